/**
 * Registry import/export benchmark: a generated FtM JSON lines file (synthetic officials with positions,
 * identifications and sanctions) imported through the registry service, re-imported (every entity
 * unchanged) and exported, against a same-run baseline that only reads, splits, parses and validates
 * the same file (no database). Prints entities/s of each step, the ratio to the baseline, and peak RSS.
 *
 *   npx tsx bench/registry-import.bench.ts                                   # 10,000 persons (~32k entities), embedded
 *   REGISTRY_BENCH_PERSONS=100000 npx tsx bench/registry-import.bench.ts     # ~320k entities
 *   REGISTRY_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sviedka_bench npx tsx bench/registry-import.bench.ts
 *     (the PostgreSQL database must exist and be empty or hold an earlier run's schema)
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/platform/config.js';
import { splitLines } from '../src/platform/lines.js';
import { demoEntities } from '../src/registry/seed.js';
import { validateEntity } from '../src/registry/validate.js';
import { openRuntime } from '../src/runtime.js';

const persons = Number(process.env.REGISTRY_BENCH_PERSONS ?? 10_000);
const databaseUrl = process.env.REGISTRY_BENCH_DATABASE_URL;
const work = mkdtempSync(path.join(tmpdir(), 'sviedka-registry-bench-'));
const file = path.join(work, 'entities.ftm.jsonl');
const system = { type: 'system' as const, label: 'bench' };
const run = Date.now().toString(36);

async function generate(): Promise<number> {
  const out = createWriteStream(file);
  let count = 0;
  for (let block = 0; block * 1000 < persons; block++) {
    const entities = demoEntities({
      persons: Math.min(1000, persons - block * 1000),
      prefix: `b${run}-${block}`,
      seed: block + 1,
    });
    count += entities.length;
    const text = `${entities.map((entity) => JSON.stringify(entity)).join('\n')}\n`;
    if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(resolve));
  return count;
}

async function baseline(): Promise<number> {
  let valid = 0;
  for await (const line of splitLines(createReadStream(file, { highWaterMark: 256 * 1024 }))) {
    if (!('text' in line) || !line.text) continue;
    if ('entity' in validateEntity(JSON.parse(line.text))) valid++;
  }
  return valid;
}

async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await work();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, value };
}

const rate = (count: number, seconds: number) => Math.round(count / seconds).toLocaleString('en');

try {
  const entities = await generate();
  const megabytes = statSync(file).size / 1024 / 1024;
  console.log(
    `Input: ${persons.toLocaleString('en')} persons, ${entities.toLocaleString('en')} entities, ${megabytes.toFixed(1)} MB; database: ${databaseUrl ? 'PostgreSQL' : 'embedded PGlite'}`,
  );

  const base = await timed(baseline);
  console.log(
    `Baseline (read + split + parse + validate, no database): ${rate(entities, base.seconds)} entities/s`,
  );

  const config = loadConfig({
    env: {},
    flags: {
      dataDir: path.join(work, 'data'),
      logLevel: 'silent',
      demo: false,
      workers: false,
      ...(databaseUrl ? { databaseUrl } : {}),
    },
  });
  const runtime = await openRuntime(config);
  try {
    const registry = runtime.areas.registry.service;
    const dataset = await registry.createDataset(system, { name: `bench-${run}`, title: 'Benchmark' });
    const importOnce = () =>
      registry.importStream(system, dataset.id, createReadStream(file, { highWaterMark: 256 * 1024 }), {
        fileName: 'bench',
      });
    const first = await timed(importOnce);
    console.log(
      `Import (new entities): ${rate(entities, first.seconds)} entities/s, ${(megabytes / first.seconds).toFixed(2)} MB/s, ${first.seconds.toFixed(1)} s; ratio to baseline ${(base.seconds / first.seconds).toFixed(3)} (imported ${first.value.imported}, rejected ${first.value.rejected})`,
    );
    const second = await timed(importOnce);
    console.log(
      `Re-import (all unchanged): ${rate(entities, second.seconds)} entities/s, ${second.seconds.toFixed(1)} s; ratio to baseline ${(base.seconds / second.seconds).toFixed(3)} (unchanged ${second.value.unchanged})`,
    );
    const exported = await timed(async () => {
      let lines = 0;
      for await (const chunk of registry.exportLines(system, dataset.id))
        lines += chunk.split('\n').length - 1;
      return lines;
    });
    console.log(
      `Export: ${rate(exported.value, exported.seconds)} entities/s, ${exported.seconds.toFixed(1)} s; ratio to baseline ${(base.seconds / exported.seconds).toFixed(3)}`,
    );
    const scanned = await timed(async () => {
      let count = 0;
      for await (const batch of runtime.areas.registry.scanForIndex({ batchSize: 2000 }))
        count += batch.length;
      return count;
    });
    console.log(`scanForIndex (full build read): ${rate(scanned.value, scanned.seconds)} entities/s`);
  } finally {
    await runtime.close();
  }
  console.log(`Peak RSS: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
