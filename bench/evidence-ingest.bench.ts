/**
 * Ingest benchmark: one large file through the full intake (stream → SHA-256 + secretstream
 * encryption → blob store → item + custody rows) in a child process, against `sha256sum` on the same
 * file in the same run. Prints throughput, the ratio to sha256sum (goal ≥ 0.8) and the child's peak
 * RSS (goal ≤ 250 MB).
 *
 * Usage: npx tsx bench/evidence-ingest.bench.ts            (512 MB, embedded database)
 *        DATABASE_URL=postgres://... npx tsx bench/evidence-ingest.bench.ts   (PostgreSQL: smaller RSS)
 *        SVIEDKA_BENCH_INGEST_MB=2048 npx tsx bench/evidence-ingest.bench.ts   (the 2 GB figure)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createCipheriv } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);

if (process.argv[2] === '--child') {
  const [file, dataDir] = process.argv.slice(3) as [string, string];
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
  await runtime.close();
  process.stdout.write(
    `${JSON.stringify({ seconds, sha256: result.sha256, maxRssBytes: process.resourceUsage().maxRSS * 1024, rssBefore, rssPeak })}\n`,
  );
  process.exit(0);
}

const megabytes = Number(process.env.SVIEDKA_BENCH_INGEST_MB ?? 512);
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
  // Warm the page cache for both contenders alike.
  execFileSync('cat', [file], { stdio: ['ignore', 'ignore', 'ignore'] });

  const t0 = process.hrtime.bigint();
  const baseline = execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0];
  const shaSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

  const dataDir = path.join(work, 'data');
  // Create the database first, in its own process: initdb's memory is not the ingest's.
  const migrate = spawnSync('node', [path.join(here, '../../bin/sviedka.js'), '--data', dataDir, 'migrate'], {
    encoding: 'utf8',
  });
  if (migrate.status !== 0) throw new Error(`migrate failed: ${migrate.stderr}`);
  const child = spawnSync('node', ['--import', 'tsx', here, '--child', file, dataDir], {
    encoding: 'utf8',
    maxBuffer: 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`ingest child failed: ${child.stderr}`);
  const result = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as {
    seconds: number;
    sha256: string;
    maxRssBytes: number;
    rssBefore: number;
    rssPeak: number;
  };
  if (result.sha256 !== baseline) throw new Error('the ingested SHA-256 differs from sha256sum');

  const mbps = (s: number) => (megabytes / s).toFixed(1);
  console.log(`evidence ingest of ${megabytes} MB (hash + encrypt + store + records)`);
  console.log(`  sha256sum baseline: ${shaSeconds.toFixed(2)} s, ${mbps(shaSeconds)} MB/s`);
  console.log(`  sviedka intake:     ${result.seconds.toFixed(2)} s, ${mbps(result.seconds)} MB/s`);
  console.log(`  ratio to sha256sum: ${(shaSeconds / result.seconds).toFixed(2)} (goal >= 0.8)`);
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
  console.log(`  peak RSS of the ingesting process: ${mb(result.maxRssBytes)} MB (goal <= 250 MB)`);
  console.log(`    before the ingest (runtime + embedded database open): ${mb(result.rssBefore)} MB`);
  console.log(`    growth during the ingest: ${mb(result.rssPeak - result.rssBefore)} MB`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
