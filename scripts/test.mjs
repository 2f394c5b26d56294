#!/usr/bin/env node
// `npm test`: everything CI checks, in order, stopping at the first failing step:
// system tools (idempotent) → lint → type-check → server and web builds → unit + integration tests (PGlite and
// PostgreSQL) → browser tests. Ends with one line "N passed, M failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const outDir = path.join(root, 'test', '.tmp');
mkdirSync(outDir, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
const timings = [];

function step(name, command, args, options = {}) {
  const started = Date.now();
  process.stdout.write(`\n▶ ${name}\n`);
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' },
    ...options,
  });
  const seconds = (Date.now() - started) / 1000;
  timings.push(`${name}: ${seconds.toFixed(1)} s`);
  return result.status === 0;
}

function countVitest(file) {
  if (!existsSync(file)) return false;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  totals.passed += report.numPassedTests ?? 0;
  totals.failed += report.numFailedTests ?? 0;
  totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  return true;
}

function finish(ok) {
  process.stdout.write(`\nTimings:\n  ${timings.join('\n  ')}\n`);
  if (!ok && totals.failed === 0) totals.failed = 1;
  process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
  process.exit(ok ? 0 : 1);
}

const steps = [
  () =>
    existsSync(path.join(root, 'scripts', 'setup-system.sh'))
      ? step('system tools (chromium, ffmpeg, exiftool)', 'bash', ['scripts/setup-system.sh'])
      : true,
  () => step('lint (biome)', bin('biome'), ['check', '.']),
  () => step('type-check (server)', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']),
  () =>
    existsSync(path.join(root, 'web', 'tsconfig.json')) &&
    existsSync(path.join(root, 'web', 'src', 'main.tsx'))
      ? step('type-check (web)', bin('tsc'), ['-p', 'web/tsconfig.json', '--noEmit'])
      : true,
  () => step('server build', process.execPath, ['scripts/build.mjs', 'server']),
  () =>
    existsSync(path.join(root, 'web', 'vite.config.ts'))
      ? step('web build', bin('vite'), ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'])
      : true,
  () => {
    const report = path.join(outDir, 'vitest-report.json');
    rmSync(report, { force: true });
    const ok = step('unit and integration tests (PGlite + PostgreSQL)', bin('vitest'), [
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
    ]);
    return countVitest(report) && ok;
  },
  () => {
    if (!existsSync(path.join(root, 'web', 'vitest.config.ts'))) return true;
    const report = path.join(outDir, 'vitest-web-report.json');
    rmSync(report, { force: true });
    const ok = step('web unit tests', bin('vitest'), [
      'run',
      '--config',
      'web/vitest.config.ts',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
    ]);
    return countVitest(report) && ok;
  },
  () => {
    if (!existsSync(path.join(root, 'test', 'e2e', 'vitest.config.ts'))) return true;
    const report = path.join(outDir, 'vitest-e2e-report.json');
    rmSync(report, { force: true });
    const ok = step('browser tests (Chromium)', bin('vitest'), [
      'run',
      '--config',
      'test/e2e/vitest.config.ts',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
    ]);
    return countVitest(report) && ok;
  },
];

for (const run of steps) if (!run()) finish(false);
finish(true);
