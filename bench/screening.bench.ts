/**
 * Screening benchmark on synthetic persons with 3–6 names each (Belarusian and Russian Cyrillic forms
 * plus romanizations): index build time and memory, single-query latency in-process and over HTTP,
 * bulk throughput on one core, and quality. Same-run baseline: PostgreSQL pg_trgm similarity search
 * over the same names (name only) on the same queries, on the local server; our speed and recall are
 * reported as ratios to it.
 *
 *   npx tsx --expose-gc bench/screening.bench.ts                    # 100,000 persons
 *   SCREENING_BENCH_N=1000000 npx tsx --expose-gc bench/screening.bench.ts
 *
 * Env: SCREENING_BENCH_N (persons), SCREENING_BENCH_QUERIES (1500), SCREENING_BENCH_BASELINE_QUERIES
 * (300: pg_trgm is slow at the larger sizes), SCREENING_BENCH_PG (postgres://postgres@127.0.0.1:5432),
 * SCREENING_BENCH_SKIP_PG=1 to skip the baseline.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../src/platform/config.js';
import { buildApp } from '../src/platform/http/app.js';
import { openRuntime } from '../src/runtime.js';
import { jsonlWriter, readJsonl } from '../src/screening/bulk.js';
import type { IndexEntity } from '../src/screening/candidate-index.js';
import { screenQuery } from '../src/screening/engine.js';
import { prepareQuery } from '../src/screening/query.js';
import { screeningRoutes } from '../src/screening/routes.js';
import { type ScreeningRegistry, ScreeningService, screenBulk } from '../src/screening/service.js';
import { evaluate } from '../test/fixtures/screening/evaluate.js';
import {
  type EvalQuery,
  generateQueries,
  personProperties,
  type SyntheticPerson,
  streamPersons,
  surnameGivenCombos,
} from '../test/fixtures/screening/generator.js';

const N = Number(process.env.SCREENING_BENCH_N ?? 100_000);
const QUERIES = Number(process.env.SCREENING_BENCH_QUERIES ?? 1500);
const BASELINE_QUERIES = Number(process.env.SCREENING_BENCH_BASELINE_QUERIES ?? 300);
const PG_URL = process.env.SCREENING_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432';
const SEED = 11;
const gc = (globalThis as { gc?: () => void }).gc;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
function latency(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
  };
}
const fmt = (l: { p50: number; p99: number; mean: number }) =>
  `p50 ${l.p50.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms, mean ${l.mean.toFixed(2)} ms`;

function memory() {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed, external: m.external + m.arrayBuffers };
}

function entityOf(p: SyntheticPerson, seq: number): IndexEntity {
  return {
    id: p.id,
    schema: 'Person',
    datasetId: 'bench',
    caption: p.names[0]!,
    properties: personProperties(p),
    changeSeq: seq,
    deleted: false,
  };
}

/** A registry stand-in that streams the synthetic persons (regenerated, never all in memory). */
function memoryRegistry(): ScreeningRegistry {
  return {
    async *scanForIndex({ afterSeq = 0, batchSize = 5000 } = {}) {
      if (afterSeq > 0) return;
      let batch: IndexEntity[] = [];
      let seq = 0;
      for (const p of streamPersons(N, SEED, { minNames: 3 })) {
        batch.push(entityOf(p, ++seq));
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    },
    // Result details come from the database in production (one primary-key read per call); here a stub.
    async getEntitiesByIds(ids: string[]) {
      return new Map(
        ids.map((id) => [
          id,
          {
            id,
            schema: 'Person',
            datasetId: 'bench',
            caption: id,
            properties: {},
            changeSeq: 0,
            deleted: false,
          },
        ]),
      );
    },
    async visibleDatasetIds() {
      return 'all' as const;
    },
    async listDatasets() {
      return [{ id: 'bench', name: 'bench' }];
    },
  };
}

async function main() {
  console.log(
    `Screening benchmark: ${N.toLocaleString('en')} synthetic persons (3–6 names each), Node ${process.version}${gc ? '' : ' (run with --expose-gc for exact memory)'}`,
  );

  // 1. Index build, fed in batches like the registry scan.
  const before = memory();
  const silent = pino({ level: 'silent' });
  const work = mkdtempSync(path.join(tmpdir(), 'screening-bench-'));
  const config = loadConfig({
    env: {},
    flags: { dataDir: work, logLevel: 'silent', demo: false, workers: false },
  });
  const runtime = await openRuntime(config, { logger: silent });
  const service = new ScreeningService(memoryRegistry(), runtime.audit, silent);
  const afterRuntime = memory();
  const started = performance.now();
  await service.ensureIndex();
  const buildMs = performance.now() - started;
  const afterBuild = memory();
  const stats = service.index.stats();
  const indexHeap = afterBuild.heap + afterBuild.external - (afterRuntime.heap + afterRuntime.external);
  console.log(
    `index: ${stats.liveDocuments.toLocaleString('en')} persons, ${stats.names.toLocaleString('en')} names, ${stats.distinctTokens.toLocaleString('en')} distinct tokens, ${stats.keys.toLocaleString('en')} keys, ${stats.postings.toLocaleString('en')} postings`,
  );
  console.log(
    `index build: ${(buildMs / 1000).toFixed(1)} s (${Math.round((stats.liveDocuments / buildMs) * 1000).toLocaleString('en')} persons/s); memory: index ${mb(indexHeap)} (heap+buffers), RSS ${mb(afterBuild.rss)} (was ${mb(before.rss)} before)`,
  );

  // 2. Queries: a sample of persons kept for rendering; negatives checked against all combinations.
  const sample: SyntheticPerson[] = [];
  const combos = new Set<string>();
  let k = 0;
  const generationStarted = performance.now();
  for (const p of streamPersons(N, SEED, { minNames: 3 })) {
    combos.add(`${p.surnameBe.toLowerCase()}|${p.given.id}`);
    if (k++ % Math.max(1, Math.floor(N / 20_000)) === 0) sample.push(p);
  }
  const generationMs = performance.now() - generationStarted;
  console.log(
    `(generating the persons alone takes ${(generationMs / 1000).toFixed(1)} s, so indexing proper ≈ ${((buildMs - generationMs) / 1000).toFixed(1)} s)`,
  );
  const positives = Math.round(QUERIES * 0.65);
  const queries: EvalQuery[] = generateQueries(sample, positives, QUERIES - positives, 5, combos);
  void surnameGivenCombos;

  // 3. In-process latency (prepare + retrieve + score + explain), after a warm-up.
  const prepared = queries.map((q) => prepareQuery(q.query, service.index.analyse));
  for (const p of prepared.slice(0, 100))
    if (!('code' in p)) screenQuery(service.index, p, { datasets: 'all', threshold: 0.7, limit: 5 });
  const inProcess: number[] = [];
  for (const q of queries) {
    const t0 = performance.now();
    const p = prepareQuery(q.query, service.index.analyse);
    if (!('code' in p)) screenQuery(service.index, p, { datasets: 'all', threshold: 0.7, limit: 5 });
    inProcess.push(performance.now() - t0);
  }
  const inLatency = latency(inProcess);
  console.log(`in-process query latency: ${fmt(inLatency)}`);

  // 4. Quality at the default threshold on these queries.
  const quality = evaluate(service.index, queries, 0.7);
  console.log(
    `quality @0.7: precision ${quality.precision.toFixed(3)}, recall ${quality.recall.toFixed(3)}, F1 ${quality.f1.toFixed(3)}, top-1 ${quality.top1.toFixed(3)} (${quality.positives} positives, ${quality.negatives} hard negatives)`,
  );

  // 5. Over HTTP: the real app (auth, access rules, audit row per call) on a local port.
  const app = await buildApp({
    auth: runtime.auth,
    logger: false,
    bodyLimitBytes: 10 * 1024 * 1024,
    // The benchmark measures the server, not the per-key limit.
    apiKeyRatePerMinute: 1_000_000,
    secureCookies: false,
    version: 'bench',
    register: [screeningRoutes(service)],
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const { secret } = await runtime.auth.createApiKey(
    { type: 'system', label: 'bench' },
    { name: 'bench', organization: 'bench', scopes: ['screening'] },
  );
  const httpQueries = queries.slice(0, Math.min(queries.length, 500));
  const http: number[] = [];
  for (let i = 0; i < httpQueries.length + 20; i++) {
    const q = httpQueries[i % httpQueries.length]!;
    const t0 = performance.now();
    const response = await fetch(`http://127.0.0.1:${port}/api/match`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${secret}`,
        'x-purpose': 'benchmark',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ queries: { q: q.query } }),
    });
    await response.json();
    if (i >= 20) http.push(performance.now() - t0);
  }
  const httpLatency = latency(http);
  console.log(`HTTP /api/match latency (one query a call, audited): ${fmt(httpLatency)}`);
  await app.close();

  // 6. Bulk throughput on one core: JSONL in, JSONL out (discarded), the whole pipeline.
  const bulkLines = queries.map((q, i) => `${JSON.stringify({ id: `b${i}`, ...q.query })}\n`);
  const bulkStarted = performance.now();
  const summary = await screenBulk(
    service,
    { type: 'system', label: 'bench' },
    readJsonl(Readable.from(bulkLines.map((l) => Buffer.from(l)))),
    jsonlWriter(),
    () => {},
    { datasets: [], threshold: 0.7, limit: 5, excludeEntityIds: [] },
  );
  const bulkRate = summary.queries / ((performance.now() - bulkStarted) / 1000);
  console.log(
    `bulk screen throughput: ${Math.round(bulkRate).toLocaleString('en')} queries/s on one core (${summary.queries} queries)`,
  );
  await runtime.close();
  rmSync(work, { recursive: true, force: true });

  // 7. Baseline: pg_trgm over the same names.
  if (process.env.SCREENING_BENCH_SKIP_PG) return;
  const dbName = `sviedka_screening_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: `${PG_URL}/postgres` });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const client = new pg.Client({ connectionString: `${PG_URL}/${dbName}` });
  try {
    await client.connect();
    await client.query('create extension if not exists pg_trgm');
    await client.query('create table names (entity_id text not null, name text not null)');
    const loadStarted = performance.now();
    let rows: string[][] = [];
    const flush = async () => {
      if (rows.length === 0) return;
      const params: string[] = [];
      const values = rows.map(([id, name]) => {
        params.push(id!, name!);
        return `($${params.length - 1}, $${params.length})`;
      });
      await client.query(`insert into names values ${values.join(',')}`, params);
      rows = [];
    };
    for (const p of streamPersons(N, SEED, { minNames: 3 })) {
      for (const name of p.names) rows.push([p.id, name]);
      if (rows.length >= 5000) await flush();
    }
    await flush();
    await client.query('create index names_trgm on names using gin (name gin_trgm_ops)');
    await client.query('analyze names');
    console.log(
      `baseline load: ${((performance.now() - loadStarted) / 1000).toFixed(1)} s (insert + GIN trigram index)`,
    );

    const baselineQueries = queries.slice(0, BASELINE_QUERIES);
    const thresholds = [0.3, 0.4, 0.5, 0.6, 0.7];
    const answers: Array<Array<[string, number]>> = [];
    const base: number[] = [];
    await client.query('set pg_trgm.similarity_threshold = 0.3');
    for (const q of baselineQueries) {
      const name = q.query.properties.name?.[0] ?? '';
      const t0 = performance.now();
      const result = await client.query(
        'select entity_id, max(similarity(name, $1)) as s from names where name % $1 group by entity_id order by s desc limit 5',
        [name],
      );
      base.push(performance.now() - t0);
      answers.push(result.rows.map((r: { entity_id: string; s: number }) => [r.entity_id, Number(r.s)]));
    }
    const baseLatency = latency(base);
    console.log(`baseline pg_trgm latency (${baselineQueries.length} queries): ${fmt(baseLatency)}`);
    const ours = evaluate(service.index, baselineQueries, 0.7);
    console.log(
      `ours on the same ${baselineQueries.length} queries: precision ${ours.precision.toFixed(3)}, recall ${ours.recall.toFixed(3)}, F1 ${ours.f1.toFixed(3)}`,
    );
    let bestMatching: { t: number; precision: number; recall: number } | null = null;
    for (const t of thresholds) {
      let tp = 0;
      let fp = 0;
      let positives = 0;
      baselineQueries.forEach((q, i) => {
        const matched = answers[i]!.filter(([, s]) => s >= t);
        if (q.expected) {
          positives++;
          if (matched.some(([id]) => id === q.expected)) tp++;
          fp += matched.filter(([id]) => id !== q.expected).length;
        } else fp += matched.length;
      });
      const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
      const recall = positives === 0 ? 1 : tp / positives;
      console.log(
        `  baseline @similarity ${t}: precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}`,
      );
      if (precision >= ours.precision && (!bestMatching || recall > bestMatching.recall))
        bestMatching = { t, precision, recall };
    }
    const bestRecall = Math.max(
      ...thresholds.map((t) => {
        let tp = 0;
        let positives = 0;
        baselineQueries.forEach((q, i) => {
          if (!q.expected) return;
          positives++;
          if (answers[i]!.some(([id, s]) => id === q.expected && s >= t)) tp++;
        });
        return positives === 0 ? 0 : tp / positives;
      }),
    );
    console.log(
      `ratios: latency p50 ${(baseLatency.p50 / inLatency.p50).toFixed(1)}× faster in-process, ${(baseLatency.p50 / httpLatency.p50).toFixed(1)}× faster over HTTP; ` +
        `recall ${bestMatching ? `${(ours.recall / Math.max(bestMatching.recall, 1e-9)).toFixed(2)}× the baseline at equal or better precision (baseline @${bestMatching.t}: P ${bestMatching.precision.toFixed(3)}, R ${bestMatching.recall.toFixed(3)})` : 'n/a (the baseline never reaches our precision)'}; ` +
        `recall ${(ours.recall / Math.max(bestRecall, 1e-9)).toFixed(2)}× the baseline's best recall at any precision (${bestRecall.toFixed(3)})`,
    );
  } finally {
    await client.end().catch(() => {});
    await admin.query(`drop database if exists ${dbName}`);
    await admin.end();
  }
}

await main();
