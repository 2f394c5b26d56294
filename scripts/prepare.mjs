#!/usr/bin/env node
// Runs after `npm install`: compiles the server and builds the web app, so the first `npm start` is
// quick and `sviedka` runs compiled code. A failure here never fails the install; `npm start` and
// `npm run build` build again and show the error.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
try {
  if (!process.env.SVIEDKA_SKIP_SERVER_BUILD && existsSync(path.join(root, 'tsconfig.build.json'))) {
    const { buildServer, serverIsStale } = await import('./build.mjs');
    if (serverIsStale() && !buildServer())
      process.stderr.write('warning: the server did not compile; `npm run build` will try again.\n');
  }
} catch (error) {
  process.stderr.write(`warning: server build skipped (${error.message})\n`);
}
if (process.env.SVIEDKA_SKIP_WEB_BUILD || !existsSync(path.join(root, 'web', 'vite.config.ts')))
  process.exit(0);
try {
  const { buildWeb, webIsStale } = await import('./start.mjs');
  if (webIsStale() && !buildWeb())
    process.stderr.write('warning: the web app did not build; `npm start` will try again.\n');
} catch (error) {
  process.stderr.write(`warning: web build skipped (${error.message})\n`);
}
