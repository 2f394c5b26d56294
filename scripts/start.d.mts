// Types of start.mjs for the TypeScript files that import it (tests, benchmarks).
export function webIsStale(): boolean;
export function buildWeb(): boolean;
