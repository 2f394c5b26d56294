/**
 * Mapped import benchmark: a generated personnel CSV (Windows-1251, `;`-separated, invented names; each
 * row makes a person, a unit, a position and an occupancy) mapped into a dataset through the datasets
 * service (read + decode + parse + map + stage, then publish in one transaction), against two baselines
 * measured in the same run: reading and parsing the CSV alone (the baseline, goal ≥ 0.3), and
 * the registry's own bulk import of the same entities as FtM JSON lines. Prints rows/s, the ratios and
 * the peak RSS (memory must stay bounded whatever the file size).
 *
 *   npx tsx bench/datasets-mapping.bench.ts                                 # 20,000 rows, embedded
 *   DATASETS_BENCH_ROWS=1000000 npx tsx bench/datasets-mapping.bench.ts     # the 1M-row figure
 *   DATASETS_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sviedka_bench_map npx tsx bench/datasets-mapping.bench.ts
 *     (the PostgreSQL database must exist and be empty)
 *   DATASETS_BENCH_IMPORT_ONLY=1 …   # the figure only: no re-import, no JSON-lines baseline
 *
 * On a shared machine the wall-clock ratio moves with the load; the CPU seconds of this process (the
 * embedded database runs inside it; a PostgreSQL server's own are not counted) are printed beside it.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { loadConfig } from '../src/platform/config.js';
import { openRuntime } from '../src/runtime.js';
import { encodeSingleByte, personnelMapping } from '../test/support/datasets-fixtures.js';

const rows = Number(process.env.DATASETS_BENCH_ROWS ?? 20_000);
const databaseUrl = process.env.DATASETS_BENCH_DATABASE_URL;
const importOnly = process.env.DATASETS_BENCH_IMPORT_ONLY === '1';
const work = mkdtempSync(path.join(tmpdir(), 'sviedka-datasets-bench-'));
const csv = path.join(work, 'personnel.csv');
const system = { type: 'system' as const, label: 'bench' };
const run = Date.now().toString(36);

const lasts = ['Ковалёў', 'Шчэрбач', 'Сидоров', 'Мельнікаў', 'Жуков', 'Лукашэвіч', 'Навумаў', 'Захарэнка'];
const firsts = ['Андрэй', 'Алесь', 'Сергей', 'Iван', 'Дмитрий', 'Павел', 'Мікола', 'Юрий'];
const fathers = ['Петрович', 'Міхайлавіч', 'Иванович', 'Сяргеевіч', 'Юрьевич'];
const ranks = ['лейтенант', 'капітан', 'сержант', 'майор', 'радавы'];

async function generate(): Promise<void> {
  const out = createWriteStream(csv);
  const write = async (text: string) => {
    if (!out.write(encodeSingleByte(text.replaceAll('I', 'І'), 'windows-1251')))
      await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  await write('person_id;last_name;first_name;patronymic;born;sex;unit_code;unit_name;rank;since;note\r\n');
  let block = '';
  for (let i = 1; i <= rows; i++) {
    const unit = i % 400;
    const day = String((i % 28) + 1).padStart(2, '0');
    const month = String((i % 12) + 1).padStart(2, '0');
    block += `${run}${i};${lasts[i % 8]};${firsts[(i * 7) % 8]};${fathers[i % 5]};${day}.${month}.${1960 + (i % 40)};м;U${unit};Падраздзяленне ${unit};${ranks[i % 5]};${2000 + (i % 24)};\r\n`;
    if (i % 5000 === 0 || i === rows) {
      await write(block);
      block = '';
    }
  }
  await new Promise<void>((resolve) => out.end(resolve));
}

async function parseOnly(): Promise<number> {
  let count = 0;
  const decoder = new TextDecoder('windows-1251');
  const parser = parse({ delimiter: ';', relax_column_count: true });
  const text = Readable.from(
    (async function* () {
      for await (const chunk of createReadStream(csv, { highWaterMark: 256 * 1024 }))
        yield decoder.decode(chunk as Buffer, { stream: true });
    })(),
  );
  text.pipe(parser);
  for await (const _record of parser) count++;
  return count - 1;
}

async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; cpu: number; value: T }> {
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const value = await work();
  const used = process.cpuUsage(cpu);
  return {
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    cpu: (used.user + used.system) / 1e6,
    value,
  };
}

const rate = (count: number, seconds: number) => Math.round(count / seconds).toLocaleString('en');
let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 100);

try {
  await generate();
  const megabytes = statSync(csv).size / 1024 / 1024;
  console.log(
    `Input: ${rows.toLocaleString('en')} rows, ${megabytes.toFixed(1)} MB (Windows-1251); database: ${databaseUrl ? 'PostgreSQL' : 'embedded PGlite'}`,
  );
  const base = await timed(parseOnly);
  console.log(
    `Baseline 1 (read + decode + parse the CSV, no mapping, no database): ${rate(base.value, base.seconds)} rows/s (${base.cpu.toFixed(1)} s CPU)`,
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
    const datasets = runtime.areas.datasets.service;
    const name = `bench-${run}`;
    await registry.createDataset(system, { name, title: 'Mapping benchmark' });
    writeFileSync(path.join(work, 'personnel.yml'), personnelMapping('csv_url: personnel.csv'));
    const mappingText = personnelMapping('csv_url: personnel.csv');
    const mapped = await timed(() =>
      datasets.run(system, name, { mappingText, mappingName: 'personnel.yml', sources: { baseDir: work } }),
    );
    const summary = mapped.value;
    console.log(
      `Mapped import: ${rate(summary.rowsRead, mapped.seconds)} rows/s (${summary.entitiesWritten.toLocaleString('en')} entities, ${rate(summary.entitiesWritten, mapped.seconds)} entities/s, ${summary.rowsRejected} rows rejected) = ${(base.seconds / mapped.seconds).toFixed(3)} of baseline 1 (goal ≥ 0.3); ${mapped.cpu.toFixed(1)} s CPU in this process = ${(base.cpu / mapped.cpu).toFixed(3)} of baseline 1 in CPU time`,
    );
    if (!importOnly) {
      const again = await timed(() =>
        datasets.run(system, name, { mappingText, mappingName: 'personnel.yml', sources: { baseDir: work } }),
      );
      console.log(
        `Re-import (all unchanged): ${rate(again.value.rowsRead, again.seconds)} rows/s (${again.value.entitiesUnchanged.toLocaleString('en')} unchanged)`,
      );

      // Baseline 2: the same entities as FtM JSON lines through the registry's own bulk import.
      const jsonl = path.join(work, 'entities.ftm.jsonl');
      const out = createWriteStream(jsonl);
      for await (const line of registry.exportLines(system, (await registry.getDataset(system, name)).id))
        out.write(line.replaceAll('"id":"', '"id":"j'));
      await new Promise<void>((resolve) => out.end(resolve));
      const target = await registry.createDataset(system, { name: `${name}-jsonl`, title: 'JSONL baseline' });
      const bulk = await timed(() =>
        registry.importStream(system, target.id, createReadStream(jsonl), { batchSize: 500 }),
      );
      console.log(
        `Baseline 2 (registry bulk import of the same ${bulk.value.imported.toLocaleString('en')} entities as FtM JSON lines): ${rate(bulk.value.imported, bulk.seconds)} entities/s; mapped import = ${(summary.entitiesWritten / mapped.seconds / (bulk.value.imported / bulk.seconds)).toFixed(2)} of it in entities/s`,
      );
    }
  } finally {
    await runtime.close();
  }
  clearInterval(sampler);
  console.log(`Peak RSS: ${(peak / 1024 / 1024).toFixed(0)} MB`);
} finally {
  clearInterval(sampler);
  rmSync(work, { recursive: true, force: true });
}
