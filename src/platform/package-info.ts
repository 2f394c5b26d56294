/**
 * Where the installed package lives and its version. `src/` and the compiled `dist/` sit at the same
 * depth below the package root, so the same relative path finds it from both.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: `package.json`, `migrations/`, `web/dist/`. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The package version (shown by `--version` and `/api/health`). */
export const version: string = JSON.parse(
  readFileSync(path.join(projectRoot, 'package.json'), 'utf8'),
).version;
