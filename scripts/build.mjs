#!/usr/bin/env node
// `npm run build`: compiles the server (src/ → dist/, same folder layout) and builds the web app
// (web/ → web/dist/). `npm install` runs the same through scripts/prepare.mjs.
//
// The server is compiled with tsc, transpiling only (`--noCheck`): type errors are reported by
// `npm run typecheck` and `npm test`, and the build stays a few seconds. Measured on this machine kind
// (2 cores, under load): tsc with type-checking 9.0 s of CPU, tsc --noCheck 2.3 s, esbuild 0.35 s;
// tsc keeps the project on one compiler with no extra package.
//
// dist/ mirrors src/ one level below the project root, exactly as src/ is, so every path the code
// finds from its own location (`migrations/`, `package.json`, `web/dist/`, files beside a module)
// resolves the same from the sources and from the compiled code. Files under src/ that are not
// TypeScript (fonts, SQL, scripts served as they are…) are copied beside the compiled modules;
// tests, test helpers and notes are left out. New files under src/ need no configuration.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = path.join(root, 'src');
const outDir = path.join(root, 'dist');
/** Written last by a build; its time is the build's start, so a source saved during the build is newer. */
export const stampFile = path.join(outDir, '.build-stamp');

/** True for files under src/ that belong in dist/ as they are. */
function isAsset(name) {
  return !/\.(ts|tsx|md)$/.test(name) && !/\.test\./.test(name);
}

function copyAssets(from, to) {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) copyAssets(source, target);
    else if (entry.isFile() && isAsset(entry.name)) {
      mkdirSync(to, { recursive: true });
      copyFileSync(source, target);
    }
  }
}

/** The newest modification time of a file under `dir` (0 when empty or missing). */
function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else newest = Math.max(newest, statMtime(full));
  }
  return newest;
}

function statMtime(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** True when dist/ is missing or older than any file under src/ or migrations/ (or than the build settings). */
export function serverIsStale() {
  if (!existsSync(stampFile)) return true;
  const built = statSync(stampFile).mtimeMs;
  return (
    newestMtime(sourceDir) > built ||
    // The build's embedded database template holds the migrations.
    newestMtime(path.join(root, 'migrations')) > built ||
    statMtime(path.join(root, 'tsconfig.json')) > built ||
    statMtime(path.join(root, 'tsconfig.build.json')) > built
  );
}

/** Every compiled module under `dir`. */
function compiledModules(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name));
}

/**
 * Kysely ships as ~250 small ES modules, and loading them one by one costs every command a tenth of a
 * second (0.3–0.5 s on a loaded machine; one bundled file: under 0.1 s). The build bundles it into
 * `vendor/kysely.js` with esbuild (a development package, present wherever the build runs) and points
 * the compiled modules' imports of 'kysely' at that file. Without esbuild they import the package.
 */
function bundleKysely(distDir) {
  const entry = path.join(root, 'node_modules', 'kysely', 'dist', 'esm', 'index.js');
  let esbuild;
  try {
    esbuild = createRequire(import.meta.url)('esbuild');
  } catch {
    return;
  }
  if (!existsSync(entry)) return;
  const bundle = path.join(distDir, 'vendor', 'kysely.js');
  esbuild.buildSync({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile: bundle,
    logLevel: 'warning',
  });
  for (const file of compiledModules(distDir)) {
    if (file === bundle) continue;
    const text = readFileSync(file, 'utf8');
    let target = path.relative(path.dirname(file), bundle).split(path.sep).join('/');
    if (!target.startsWith('.')) target = `./${target}`;
    const pointed = text.replace(/(\bfrom\s*|\bimport\s*\(\s*)(['"])kysely\2/g, `$1$2${target}$2`);
    if (pointed !== text) writeFileSync(file, pointed);
  }
}

/**
 * Writes `pglite-template/` (an embedded database with every migration applied) into a fresh build, so
 * a new data directory starts as a copy of it instead of running initdb (src/platform/db/pglite-template.ts).
 * A failure leaves the build without a template: new databases are then created as before.
 */
function makePgliteTemplate(distDir) {
  const work = path.join(distDir, 'pglite-template.work');
  const module = (file) => JSON.stringify(pathToFileURL(path.join(distDir, file)).href);
  const script = `
    const { openPglite } = await import(${module('platform/db/database.js')});
    const { migrate } = await import(${module('platform/db/migrate.js')});
    const { templateStamp } = await import(${module('platform/db/pglite-template.js')});
    const database = await openPglite(${JSON.stringify(work)}, '16MB', { fromTemplate: false });
    await migrate(database.db);
    await database.close();
    process.stdout.write(templateStamp());`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
  });
  if (result.status === 0) {
    renameSync(path.join(work, 'db'), path.join(distDir, 'pglite-template'));
    writeFileSync(path.join(distDir, 'pglite-template.json'), result.stdout);
  } else {
    process.stderr.write(
      `warning: no embedded database template (${result.stderr.trim().split('\n').at(-1)})\n`,
    );
  }
  rmSync(work, { recursive: true, force: true });
}

/**
 * Compiles src/ into a fresh directory and swaps it in, so a failed build leaves the previous dist/
 * whole. Returns false (after printing the compiler's messages) when the build failed.
 */
export function buildServer() {
  const started = Date.now();
  process.stdout.write('Compiling the server…\n');
  const next = path.join(root, 'dist.next');
  const old = path.join(root, 'dist.old');
  rmSync(next, { recursive: true, force: true });
  rmSync(old, { recursive: true, force: true });
  const result = spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      'tsconfig.build.json',
      '--noCheck',
      '--outDir',
      next,
    ],
    { cwd: root, stdio: 'inherit' },
  );
  if (result.status !== 0) {
    rmSync(next, { recursive: true, force: true });
    return false;
  }
  copyAssets(sourceDir, next);
  bundleKysely(next);
  makePgliteTemplate(next);
  // The stamp carries the build's start time: sources saved while tsc ran count as newer.
  const stamp = path.join(next, '.build-stamp');
  writeFileSync(stamp, `${new Date(started).toISOString()}\n`);
  utimesSync(stamp, started / 1000, started / 1000);
  if (existsSync(outDir)) renameSync(outDir, old);
  renameSync(next, outDir);
  rmSync(old, { recursive: true, force: true });
  process.stdout.write(`Server compiled in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { buildWeb } = await import('./start.mjs');
  const which = process.argv[2] ?? 'all';
  const ok = (which === 'web' || buildServer()) && (which === 'server' || buildWeb());
  process.exit(ok ? 0 : 1);
}
