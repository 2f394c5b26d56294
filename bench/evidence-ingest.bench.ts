/**
 * Ingest benchmark: one large file through the full intake (stream → SHA-256 + secretstream
 * encryption → blob store → item + custody rows) in a child process, against `sha256sum` on the same
 * file in the same run. Each repetition changes the file's first bytes (a new blob every time) and times
 * sha256sum and the intake back to back; the medians and their ratio (goal ≥ 0.8) are printed, with the
 * child's peak RSS (goal ≤ 250 MB) split into what the open runtime holds before the upload and what the
 * upload adds.
 *
 * With SVIEDKA_BENCH_PGLITE_SHARED_BUFFERS, one more child, after the timed ones, opens the embedded
 * database with other PGlite buffers (`-c shared_buffers=…`; the app's setting is
 * SVIEDKA_PGLITE_SHARED_BUFFERS, default 16MB) to show what that does to the RSS.
 *
 * Usage: npx tsx bench/evidence-ingest.bench.ts            (512 MB, 3 repetitions, embedded database)
 *        SVIEDKA_BENCH_INGEST_MB=2048 npx tsx bench/evidence-ingest.bench.ts   (the 2 GB figure)
 *        SVIEDKA_BENCH_REPEAT=5 ...                          (more repetitions)
 *        SVIEDKA_BENCH_PGLITE_SHARED_BUFFERS=8MB ...         (an extra run with this setting; default: none)
 *        DATABASE_URL=postgres://... npx tsx bench/evidence-ingest.bench.ts   (PostgreSQL)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createCipheriv } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  mkdtempSync,
  openSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);

interface ChildResult {
  seconds: number;
  sha256: string;
  maxRssBytes: number;
  rssBefore: number;
  rssPeak: number;
  sharedBuffers: string;
}

if (process.argv[2] === '--child') {
  const [file, dataDir, sharedBuffers] = process.argv.slice(3) as [string, string, string | undefined];
  if (sharedBuffers) {
    const { PGlite } = await import('@electric-sql/pglite');
    const defaults = (PGlite as unknown as { defaultStartParams: string[] }).defaultStartParams;
    const create = PGlite.create.bind(PGlite);
    (PGlite as unknown as { create: typeof create }).create = ((options?: Record<string, unknown>) =>
      create({
        ...options,
        startParams: [...defaults, '-c', `shared_buffers=${sharedBuffers}`],
      })) as typeof create;
  }
  const { loadConfig } = await import('../src/platform/config.js');
  const { openRuntime } = await import('../src/runtime.js');
  const pino = (await import('pino')).default;
  const config = loadConfig({
    env: {},
    flags: {
      dataDir,
      logLevel: 'silent',
      demo: false,
      workers: false,
      databaseUrl: process.env.DATABASE_URL || undefined,
    },
  });
  const runtime = await openRuntime(config, { logger: pino({ level: 'silent' }) });
  const evidence = (runtime.areas as unknown as { evidence: import('../src/evidence/index.js').EvidenceArea })
    .evidence;
  const { sql } = await import('kysely');
  const shown = await sql<{ shared_buffers: string }>`show shared_buffers`.execute(runtime.database.db);
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 10);
  const started = process.hrtime.bigint();
  const result = await evidence.intake({
    stream: createReadStream(file, { highWaterMark: 1024 * 1024 }),
    channel: 'cli',
    actor: { type: 'system', label: 'bench' },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  await runtime.close();
  const out: ChildResult = {
    seconds,
    sha256: result.sha256,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    rssBefore,
    rssPeak,
    sharedBuffers: shown.rows[0]?.shared_buffers ?? '?',
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
  process.exit(0);
}

const megabytes = Number(process.env.SVIEDKA_BENCH_INGEST_MB ?? 512);
const repeat = Math.max(1, Number(process.env.SVIEDKA_BENCH_REPEAT ?? 3));
const smallBuffers = process.env.SVIEDKA_BENCH_PGLITE_SHARED_BUFFERS ?? 'off';
const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
const mbps = (s: number) => (megabytes / s).toFixed(1);

const work = mkdtempSync(path.join(tmpdir(), 'svd-ingest-bench-'));
try {
  const file = path.join(work, 'input.bin');
  // Incompressible bytes (AES-CTR keystream), written in a stream.
  const cipher = createCipheriv('aes-256-ctr', Buffer.alloc(32, 7), Buffer.alloc(16, 0));
  const zeros = Buffer.alloc(1024 * 1024);
  await pipeline(
    (async function* () {
      for (let i = 0; i < megabytes; i++) yield cipher.update(zeros);
    })(),
    createWriteStream(file),
  );

  const dataDir = path.join(work, 'data');
  // Create the database first, in its own process: initdb's memory is not the ingest's.
  const migrate = spawnSync('node', [path.join(here, '../../bin/sviedka.js'), '--data', dataDir, 'migrate'], {
    encoding: 'utf8',
  });
  if (migrate.status !== 0) throw new Error(`migrate failed: ${migrate.stderr}`);

  const ingest = (sharedBuffers?: string): ChildResult => {
    const child = spawnSync(
      'node',
      ['--import', 'tsx', here, '--child', file, dataDir, ...(sharedBuffers ? [sharedBuffers] : [])],
      { encoding: 'utf8', maxBuffer: 1024 * 1024 },
    );
    if (child.status !== 0) throw new Error(`ingest child failed: ${child.stderr}`);
    return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as ChildResult;
  };

  const shaTimes: number[] = [];
  const runs: ChildResult[] = [];
  console.log(`evidence ingest of ${megabytes} MB (hash + encrypt + store + records), ${repeat} repetitions`);
  for (let r = 0; r < repeat; r++) {
    // A different file each time, so every intake stores a new blob.
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.from(`repetition ${r} ${Date.now()}`), 0, undefined, 0);
    closeSync(fd);
    // Warm the page cache for both contenders alike.
    execFileSync('cat', [file], { stdio: ['ignore', 'ignore', 'ignore'] });
    const t0 = process.hrtime.bigint();
    const baseline = execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0];
    const shaSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const result = ingest();
    if (result.sha256 !== baseline) throw new Error('the ingested SHA-256 differs from sha256sum');
    shaTimes.push(shaSeconds);
    runs.push(result);
    console.log(
      `  #${r + 1}: sha256sum ${shaSeconds.toFixed(2)} s, intake ${result.seconds.toFixed(2)} s, ratio ${(shaSeconds / result.seconds).toFixed(2)}; peak RSS ${mb(result.maxRssBytes)} MB`,
    );
  }
  const sha = median(shaTimes);
  const intake = median(runs.map((r) => r.seconds));
  console.log(`  sha256sum baseline (median): ${sha.toFixed(2)} s, ${mbps(sha)} MB/s`);
  console.log(`  sviedka intake (median):     ${intake.toFixed(2)} s, ${mbps(intake)} MB/s`);
  console.log(
    `  ratio to sha256sum: ${median(runs.map((r, i) => shaTimes[i]! / r.seconds)).toFixed(2)} (median of per-run ratios; goal >= 0.8)`,
  );
  const report = (label: string, rs: ChildResult[]) => {
    console.log(
      `  peak RSS of the ingesting process, ${label}: ${mb(median(rs.map((r) => r.maxRssBytes)))} MB (goal <= 250 MB)`,
    );
    console.log(
      `    before the ingest (runtime + embedded database open): ${mb(median(rs.map((r) => r.rssBefore)))} MB`,
    );
    console.log(
      `    growth during the ingest (sampled every 10 ms): ${mb(median(rs.map((r) => r.rssPeak - r.rssBefore)))} MB`,
    );
  };
  report(`shared_buffers ${runs[0]!.sharedBuffers} (as configured)`, runs);
  if (!process.env.DATABASE_URL && smallBuffers !== 'off') {
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.from(`small buffers ${Date.now()}`), 0, undefined, 0);
    closeSync(fd);
    const small = ingest(smallBuffers);
    console.log(
      `  with PGlite started with -c shared_buffers=${smallBuffers} (instead of the configured SVIEDKA_PGLITE_SHARED_BUFFERS; intake ${small.seconds.toFixed(2)} s):`,
    );
    report(`shared_buffers ${small.sharedBuffers}`, [small]);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
