#!/usr/bin/env node
// Runs after `npm install`: builds the web app so the first `npm start` is quick. A failure here
// never fails the install; `npm start` builds again and shows the error.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (process.env.SVIEDKA_SKIP_WEB_BUILD || !existsSync(path.join(root, 'web', 'vite.config.ts')))
  process.exit(0);
try {
  const { buildWeb, webIsStale } = await import('./start.mjs');
  if (webIsStale() && !buildWeb())
    process.stderr.write('warning: the web app did not build; `npm start` will try again.\n');
} catch (error) {
  process.stderr.write(`warning: web build skipped (${error.message})\n`);
}
