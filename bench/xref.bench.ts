/**
 * Xref benchmark: a list of persons cross-referenced against a registry of officials (the synthetic
 * evaluation set's registry and its Latin-passport list, padded with persons the registry does not know)
 * through the real run (screening matcher, runners-up, page commits). Prints the whole-run time, entities
 * and candidate pairs per second, peak RSS, and precision/recall at the default threshold; the same-run
 * baseline is a pg_trgm similarity join of the same names on PostgreSQL (time and recall), when the
 * server at XREF_BENCH_PG (default postgres://postgres@127.0.0.1:5432/postgres) has pg_trgm: once on the
 * names as stored (trigrams cannot match Cyrillic against Latin) and once with the registry's Cyrillic
 * names romanized (ICAO) first, a same-script baseline. Then the review queue's next pair (queue page +
 * both sides compared) p50/p95 with the run's pending suggestions.
 *
 *   npx tsx bench/xref.bench.ts                                                   # 10,000 vs 1,000 (quick)
 *   XREF_BENCH_LIST=100000 XREF_BENCH_REGISTRY=10000 npx tsx bench/xref.bench.ts   # the size
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import { detectCyrillicLanguage, detectScript, getScheme, romanize } from '../src/names/index.js';
import { loadConfig } from '../src/platform/config.js';
import { openRuntime } from '../src/runtime.js';
import { streamPersons } from '../test/fixtures/screening/generator.js';
import { generateXrefSet } from '../test/fixtures/xref/generator.js';

const listSize = Number(process.env.XREF_BENCH_LIST ?? 10_000);
const registrySize = Number(process.env.XREF_BENCH_REGISTRY ?? 1_000);
const pgUrl = process.env.XREF_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const work = mkdtempSync(path.join(tmpdir(), 'sviedka-xref-bench-'));
const system = { type: 'system' as const, label: 'bench' };
const load = () => loadavg()[0]!.toFixed(1);

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 200);

const set = generateXrefSet(registrySize, 11);
const registryRecords = set.datasets.registry;
const known = set.datasets.passports;
const truth = new Set(
  set.truth.filter((p) => p.dataset === 'passports').map((p) => `${p.record} ${p.registry}`),
);
const list = [...known];
for (const p of streamPersons(Math.max(0, listSize - known.length), 97)) {
  list.push({
    id: `pad-${p.id}`,
    schema: 'Person',
    properties: { name: p.names.slice(-1), birthDate: [p.birthDate] },
  });
}
console.log(
  `Input: list ${list.length.toLocaleString('en')} persons (${known.length} rendered from the registry, ${truth.size} true pairs), registry ${registryRecords.length.toLocaleString('en')}; load ${load()}`,
);

const config = loadConfig({
  env: {},
  flags: { dataDir: path.join(work, 'data'), logLevel: 'silent', demo: false, workers: false },
});
const runtime = await openRuntime(config);
try {
  const registry = runtime.areas.registry.service;
  const lines = (records: object[]) => Readable.from(records.map((r) => `${JSON.stringify(r)}\n`));
  const reg = await registry.createDataset(system, { name: 'bench-registry', title: 'Registry' });
  const lst = await registry.createDataset(system, { name: 'bench-list', title: 'List' });
  await registry.importStream(system, reg.id, lines(registryRecords));
  await registry.importStream(system, lst.id, lines(list));

  const runs = runtime.areas.xref.runs;
  const started = process.hrtime.bigint();
  const { run } = await runs.start(system, { dataset: 'bench-list', against: ['bench-registry'] });
  const done = await runs.execute(run.id);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  let tp = 0;
  let fp = 0;
  for await (const page of runs.pairs(done, 0.7))
    for (const pair of page) {
      if (!pair.match) continue;
      if (truth.has(`${pair.left} ${pair.right}`)) tp++;
      else fp++;
    }
  console.log(
    `Xref run: ${seconds.toFixed(1)} s whole run, ${Math.round(done.done / seconds).toLocaleString('en')} entities/s, ` +
      `${done.suggested.toLocaleString('en')} pairs suggested (${Math.round(done.suggested / seconds).toLocaleString('en')} pairs/s kept), ` +
      `peak RSS ${(peakRss / 1048576).toFixed(0)} MB; precision ${(tp / Math.max(1, tp + fp)).toFixed(3)}, recall ${(tp / truth.size).toFixed(3)} at 0.7; load ${load()}`,
  );

  // Baseline: pg_trgm similarity join of the same names.
  const client = new pg.Client({ connectionString: pgUrl });
  try {
    await client.connect();
    await client.query('create extension if not exists pg_trgm');
    await client.query('create temporary table bench_reg (id text, name text)');
    await client.query('create temporary table bench_lst (id text, name text)');
    const insert = async (table: string, records: typeof list) => {
      const rows = records.flatMap((r) => (r.properties.name ?? []).map((n) => [r.id, n.toLowerCase()]));
      for (let i = 0; i < rows.length; i += 5000) {
        const chunk = rows.slice(i, i + 5000);
        await client.query(`insert into ${table} select * from unnest($1::text[], $2::text[])`, [
          chunk.map((r) => r[0]),
          chunk.map((r) => r[1]),
        ]);
      }
    };
    await insert('bench_reg', registryRecords);
    await insert('bench_lst', list);
    // The same join with the registry's Cyrillic names romanized first (ICAO, by the name's language): a
    // same-script baseline, since trigrams cannot match Cyrillic against Latin at all.
    const icaoBe = getScheme('icao-be');
    const icaoRu = getScheme('icao-ru');
    const latinRegistry = registryRecords.map((r) => ({
      ...r,
      properties: {
        ...r.properties,
        name: (r.properties.name ?? []).map((n) =>
          detectScript(n) === 'cyrillic'
            ? romanize(n, detectCyrillicLanguage(n) === 'ru' ? icaoRu : icaoBe)
            : n,
        ),
      },
    }));
    await client.query('create temporary table bench_reg_latin (id text, name text)');
    await insert('bench_reg_latin', latinRegistry);
    const join = async (label: string, table: string) => {
      const t0 = process.hrtime.bigint();
      await client.query(`create index on ${table} using gin (name gin_trgm_ops)`);
      await client.query(`analyze ${table}; analyze bench_lst`);
      const joined = await client.query<{ l: string; r: string }>(
        `select distinct l.id as l, r.id as r from bench_lst l join ${table} r on l.name % r.name`,
      );
      const trgmSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const found = joined.rows.filter((row) => truth.has(`${row.l} ${row.r}`)).length;
      console.log(
        `Baseline pg_trgm ${label} (similarity ≥ 0.3, GIN index): ${trgmSeconds.toFixed(1)} s, ${joined.rows.length.toLocaleString('en')} pairs, ` +
          `recall ${(found / truth.size).toFixed(3)}, precision ${(found / Math.max(1, joined.rows.length)).toFixed(3)}; ` +
          `xref run time ratio ${(seconds / trgmSeconds).toFixed(2)}; load ${load()}`,
      );
    };
    await join('on the names as stored', 'bench_reg');
    await join('on ICAO romanizations of the registry (same script)', 'bench_reg_latin');
  } catch (error) {
    console.log(`Baseline pg_trgm skipped: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }

  // Review: the next pair as the web app asks for it (a queue page and the comparison of its first pair).
  const queue = runtime.areas.xref.queue;
  const pending = (await queue.page(system, { undecided: true, order: 'score', limit: 1 })).total;
  const timings: number[] = [];
  const parts = { page: [] as number[], pairs: [] as number[], compare: [] as number[] };
  const since = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;
  let after: { score: number; id: number } | undefined;
  for (let i = 0; i < 200; i++) {
    const t = process.hrtime.bigint();
    const page = await queue.page(system, {
      undecided: true,
      order: 'score',
      limit: 30,
      ...(after ? { after } : {}),
    });
    parts.page.push(since(t));
    const first = page.items[0];
    if (!first) break;
    const t1 = process.hrtime.bigint();
    await queue.pairs(system, page.items);
    parts.pairs.push(since(t1));
    const t2 = process.hrtime.bigint();
    await queue.compare(system, first.id);
    parts.compare.push(since(t2));
    timings.push(since(t));
    after = { score: first.score, id: first.id };
  }
  timings.sort((a, b) => a - b);
  const at = (q: number) => timings[Math.min(timings.length - 1, Math.floor(q * timings.length))]!;
  console.log(
    `Review next pair (queue page of 30 + comparison), ${pending.toLocaleString('en')} pending suggestions: p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms over ${timings.length}; load ${load()}`,
  );
  const p95 = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(0.95 * (list.length - 1))] ?? 0;
  console.log(
    `  of which p95: queue page with its count ${p95(parts.page).toFixed(1)} ms, both sides summarized ${p95(parts.pairs).toFixed(1)} ms, comparison ${p95(parts.compare).toFixed(1)} ms`,
  );
} finally {
  clearInterval(sampler);
  await runtime.close();
  rmSync(work, { recursive: true, force: true });
}
