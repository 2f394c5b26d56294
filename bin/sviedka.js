#!/usr/bin/env node
// The `sviedka` executable. Runs the compiled server in dist/ (built by `npm install` and
// `npm run build`). When a source under src/ is newer than that build (a development checkout after an
// edit or a `git pull`), it runs the TypeScript sources through tsx instead, so what runs is always
// what is in src/; SVIEDKA_FROM_SOURCE=1 forces that. A production install has no tsx and runs dist/.
import { existsSync } from 'node:fs';
import { serverIsStale } from '../scripts/build.mjs';

const compiled = new URL('../dist/cli/main.js', import.meta.url);

async function loadTsx() {
  try {
    return (await import('tsx/esm/api')).register;
  } catch {
    return undefined;
  }
}

if (process.env.SVIEDKA_FROM_SOURCE === '1' || serverIsStale()) {
  const register = await loadTsx();
  if (register) {
    register();
    await import('../src/cli/main.ts');
  } else if (existsSync(compiled)) {
    process.stderr.write('sviedka: warning: src/ changed since the last build; run `npm run build`.\n');
    await import(compiled.href);
  } else {
    process.stderr.write('sviedka: the server is not built; run `npm run build` (or `npm install`).\n');
    process.exit(1);
  }
} else {
  await import(compiled.href);
}
