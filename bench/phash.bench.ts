/**
 * Near-duplicate lookup benchmark: PhashIndex (multi-index hashing) against a linear scan of the same
 * 100,000 hashes in the same run. Prints p50/p99 query latency of each and the ratio.
 *
 * Usage: npx tsx bench/phash.bench.ts [count=100000] [queries=2000]
 */
import { hamming } from '../src/evidence/media/hamming.js';
import { PhashIndex } from '../src/evidence/media/phash-index.js';

const COUNT = Number(process.argv[2] ?? 100_000);
const QUERIES = Number(process.argv[3] ?? 2_000);
const PLANTED = 2_000;

// Deterministic xorshift so runs are comparable.
let state = 0x9e3779b9;
function rand32(): number {
  state ^= state << 13;
  state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5;
  return state >>> 0;
}
const hex = (h: number, l: number) => h.toString(16).padStart(8, '0') + l.toString(16).padStart(8, '0');
const randomHash = () => hex(rand32(), rand32());
function perturb(hash: string, bits: number): string {
  let v = BigInt(`0x${hash}`);
  const used = new Set<number>();
  while (used.size < bits) used.add(rand32() % 64);
  for (const b of used) v ^= 1n << BigInt(b);
  return v.toString(16).padStart(16, '0');
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function time(fn: () => unknown): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const hashes: string[] = [];
for (let i = 0; i < COUNT; i++) hashes.push(randomHash());
// Planted near-duplicates: copies of existing hashes with 1..10 bits flipped.
for (let i = 0; i < PLANTED; i++) hashes.push(perturb(hashes[rand32() % COUNT]!, 1 + (rand32() % 10)));

const index = new PhashIndex<number>();
const buildMs = time(() => {
  for (let i = 0; i < hashes.length; i++) index.add(i, hashes[i]!);
});

// Buckets are built lazily by the first query after a batch of adds; time that separately.
const firstQueryMs = time(() => index.query(randomHash(), 10));

// Half the queries are near an indexed hash (they have answers), half are unrelated.
const queries: string[] = [];
for (let i = 0; i < QUERIES; i++) {
  queries.push(i % 2 === 0 ? perturb(hashes[rand32() % hashes.length]!, rand32() % 6) : randomHash());
}

console.log(`PhashIndex benchmark: ${COUNT} random + ${PLANTED} planted hashes, ${QUERIES} queries`);
console.log(
  `add: ${buildMs.toFixed(1)} ms (${((buildMs * 1000) / hashes.length).toFixed(2)} µs/hash); ` +
    `bucket build on first query: ${firstQueryMs.toFixed(1)} ms`,
);
console.log('');
console.log('maxDist | index p50 | index p99 | scan p50 | scan p99 | p50 ratio | matches/query');
for (const maxDistance of [4, 8, 10, 12, 16, 20]) {
  // Warm up both paths so the JIT has compiled them before measuring.
  for (const q of queries.slice(0, 50)) {
    index.query(q, maxDistance);
    index.scan(q, maxDistance);
  }
  const idx: number[] = [];
  const scan: number[] = [];
  let matches = 0;
  for (const q of queries) {
    let a: ReturnType<typeof index.query> = [];
    let b: ReturnType<typeof index.scan> = [];
    idx.push(time(() => (a = index.query(q, maxDistance))));
    scan.push(time(() => (b = index.scan(q, maxDistance))));
    if (a.length !== b.length || a.some((m, i) => m.id !== b[i]!.id)) {
      throw new Error(`index and scan disagree for ${q} at distance ${maxDistance}`);
    }
    matches += a.length;
  }
  idx.sort((x, y) => x - y);
  scan.sort((x, y) => x - y);
  const fmt = (ms: number) => `${(ms * 1000).toFixed(0).padStart(6)} µs`;
  console.log(
    `${String(maxDistance).padStart(7)} | ${fmt(percentile(idx, 50))} | ${fmt(percentile(idx, 99))} | ` +
      `${fmt(percentile(scan, 50)).padStart(8)} | ${fmt(percentile(scan, 99)).padStart(8)} | ` +
      `${(percentile(scan, 50) / percentile(idx, 50)).toFixed(1).padStart(8)}× | ${(matches / queries.length).toFixed(2)}`,
  );
}

// Reference point: the naive string-based scan a caller might write without the index.
const naive: number[] = [];
for (const q of queries.slice(0, 100)) naive.push(time(() => hashes.filter((h) => hamming(h, q) <= 10)));
naive.sort((x, y) => x - y);
console.log('');
console.log(
  `naive string scan (hamming() over ${hashes.length} hex strings), maxDist 10: p50 ${percentile(naive, 50).toFixed(2)} ms`,
);
