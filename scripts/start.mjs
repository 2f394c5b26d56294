#!/usr/bin/env node
// `npm start`: compile the server and build the web app if their sources changed since the last build,
// then `sviedka serve`.
// Extra arguments pass through: `npm start -- --port 9000 --no-demo`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** True when web/dist is missing or older than any web source file. */
export function webIsStale() {
  const index = path.join(root, 'web', 'dist', 'index.html');
  if (!existsSync(index)) return true;
  return newestMtime(path.join(root, 'web')) > statSync(index).mtimeMs;
}

export function buildWeb() {
  const started = Date.now();
  process.stdout.write('Building the web app…\n');
  const result = spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      'web/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) return false;
  process.stdout.write(`Web app built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { buildServer, serverIsStale } = await import('./build.mjs');
  if (serverIsStale() && !buildServer()) {
    process.stderr.write('sviedka: the server failed to compile; see the errors above.\n');
    process.exit(1);
  }
  if (existsSync(path.join(root, 'web', 'vite.config.ts')) && webIsStale() && !buildWeb()) {
    process.stderr.write('sviedka: the web app failed to build; see the errors above.\n');
    process.exit(1);
  }
  const child = spawn(
    process.execPath,
    [path.join(root, 'bin', 'sviedka.js'), 'serve', ...process.argv.slice(2)],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 1));
}
