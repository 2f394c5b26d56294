/**
 * Full-pipeline benchmark: N small distinct JPEGs through intake (hash, encrypt, records) and
 * processing (type, exiftool metadata, thumbnail, stripped copy, perceptual hash, near-duplicate
 * linking). Prints items/s of intake alone and of the whole pipeline, against a same-run baseline:
 * plain SHA-256 of the same files.
 *
 * Usage: npx tsx bench/evidence-pipeline.bench.ts          (1,000 images)
 *        SVIEDKA_BENCH_IMAGES=10000 npx tsx bench/evidence-pipeline.bench.ts
 * Also reuses the near-duplicate lookup figure: npx tsx bench/phash.bench.ts (100,000 hashes).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import pino from 'pino';
import sharp from 'sharp';
import type { EvidenceArea } from '../src/evidence/index.js';
import { loadConfig } from '../src/platform/config.js';
import { openRuntime } from '../src/runtime.js';

const count = Number(process.env.SVIEDKA_BENCH_IMAGES ?? 1000);
const work = mkdtempSync(path.join(tmpdir(), 'svd-pipeline-bench-'));
try {
  const images: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const pixels = Buffer.alloc(96 * 72 * 3);
    // 32-bit LCG in integer arithmetic (a float product would lose bits and repeat images).
    let s = Math.imul(i + 1, 2654435761) >>> 0;
    for (let p = 0; p < pixels.length; p++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      pixels[p] = (s >>> 16) & 0xff;
    }
    images.push(
      await sharp(pixels, { raw: { width: 96, height: 72, channels: 3 } })
        .jpeg({ quality: 80 })
        .toBuffer(),
    );
  }
  const t0 = process.hrtime.bigint();
  for (const image of images) createHash('sha256').update(image).digest('hex');
  const hashSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

  const config = loadConfig({
    env: {},
    flags: { dataDir: path.join(work, 'data'), logLevel: 'silent', demo: false, workers: false },
  });
  const runtime = await openRuntime(config, { logger: pino({ level: 'silent' }) });
  const evidence = (runtime.areas as unknown as { evidence: EvidenceArea }).evidence;
  const cpu1 = process.cpuUsage();
  const t1 = process.hrtime.bigint();
  for (const [i, image] of images.entries()) {
    await evidence.intake({
      stream: Readable.from([image]),
      fileName: `img-${i}.jpg`,
      channel: 'cli',
      actor: { type: 'system', label: 'bench' },
    });
  }
  const intakeSeconds = Number(process.hrtime.bigint() - t1) / 1e9;
  const intakeCpu = process.cpuUsage(cpu1);
  const cpu2 = process.cpuUsage();
  const t2 = process.hrtime.bigint();
  const processed = await runtime.jobs.drain();
  const processSeconds = Number(process.hrtime.bigint() - t2) / 1e9;
  const processCpu = process.cpuUsage(cpu2);
  // CPU time of this process (its threads: the database, sharp, crypto; not exiftool or ffmpeg) per item:
  // on a busy machine the rates above fall with the share of the processors this run gets, this less so.
  const cpuMs = (usage: NodeJS.CpuUsage) => ((usage.user + usage.system) / 1000 / count).toFixed(1);
  // Every item must have been processed in that time: jobs left queued (retrying) or dead are reported.
  const states = await sql<{ state: string; n: number; error: string | null }>`
    select state, count(*)::int as n, min(last_error) as error from jobs
    where type = 'evidence.process' group by state order by state`.execute(runtime.database.db);
  await runtime.close();
  const total = intakeSeconds + processSeconds;
  console.log(
    `evidence pipeline, ${count} small JPEGs (${(images.reduce((a, b) => a + b.length, 0) / count / 1024).toFixed(1)} KiB each)`,
  );
  console.log(`  baseline SHA-256 only: ${(count / hashSeconds).toFixed(0)} items/s`);
  console.log(
    `  intake (hash, encrypt, store, custody): ${(count / intakeSeconds).toFixed(1)} items/s, ${cpuMs(intakeCpu)} ms CPU per item`,
  );
  console.log(
    `  processing (${processed} jobs: metadata, thumbnail, stripped copy, pHash, links): ${(count / processSeconds).toFixed(1)} items/s, ${cpuMs(processCpu)} ms CPU per item`,
  );
  const distinct = new Set(images.map((image) => createHash('sha256').update(image).digest('hex'))).size;
  if (distinct !== count) console.log(`  NOTE: only ${distinct} distinct images`);
  for (const row of states.rows)
    if (row.state !== 'succeeded')
      console.log(`  NOT DONE: ${row.n} jobs ${row.state}${row.error ? ` (e.g. ${row.error})` : ''}`);
  console.log(
    `  full pipeline: ${(count / total).toFixed(1)} items/s (${total.toFixed(1)} s); ratio to SHA-256 alone ${(hashSeconds / total).toFixed(4)}`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
