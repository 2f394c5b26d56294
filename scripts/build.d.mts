// Types of build.mjs for the TypeScript files that import it (tests, benchmarks).
export const stampFile: string;
export function serverIsStale(): boolean;
export function buildServer(): boolean;
