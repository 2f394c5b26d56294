#!/usr/bin/env node
/**
 * `npm run bench [NAME...]`: runs the benchmarks under bench/ one after another at their quick default
 * sizes (each file's header says how to run the full-size figure). With names, runs only those
 * (`npm run bench screening bot-broadcast`). Each benchmark prints its own figures and its ratio to a
 * baseline measured in the same run.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const available = readdirSync(path.join(root, 'bench'))
  .filter((name) => name.endsWith('.bench.ts'))
  .map((name) => name.slice(0, -'.bench.ts'.length))
  .sort();

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`Unknown benchmark: ${unknown.join(', ')}. Available: ${available.join(', ')}`);
  process.exit(2);
}

let failed = 0;
for (const name of wanted.length > 0 ? wanted : available) {
  console.log(`\n=== ${name}`);
  const started = Date.now();
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--expose-gc', path.join('bench', `${name}.bench.ts`)],
    { cwd: root, stdio: 'inherit' },
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    failed++;
    console.error(`=== ${name} failed (exit ${result.status ?? result.signal}) after ${seconds} s`);
  } else console.log(`=== ${name} done in ${seconds} s`);
}
process.exit(failed > 0 ? 1 : 0);
