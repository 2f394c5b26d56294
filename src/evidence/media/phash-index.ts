import { popcount32, splitHash } from './hamming.js';

export interface PhashMatch<Id> {
  id: Id;
  distance: number;
}

const BLOCKS = 4;
const BLOCK_VALUES = 1 << 16;

/** All 16-bit masks ordered by popcount, and where each popcount's run ends (`ends[k]` = count with ≤ k bits). */
const MASKS: { masks: Uint16Array; ends: Uint32Array } = (() => {
  const byWeight: number[][] = Array.from({ length: 17 }, () => []);
  for (let m = 0; m < BLOCK_VALUES; m++) byWeight[popcount32(m)]!.push(m);
  const masks = new Uint16Array(BLOCK_VALUES);
  const ends = new Uint32Array(17);
  let n = 0;
  for (let k = 0; k <= 16; k++) {
    for (const m of byWeight[k]!) masks[n++] = m;
    ends[k] = n;
  }
  return { masks, ends };
})();

/** The 16-bit block `b` (0 = most significant) of a hash given as high/low 32-bit halves. */
function block(hi: number, lo: number, b: number): number {
  switch (b) {
    case 0:
      return hi >>> 16;
    case 1:
      return hi & 0xffff;
    case 2:
      return lo >>> 16;
    default:
      return lo & 0xffff;
  }
}

/**
 * Per-block probe radii for a query radius `d` (generalised pigeonhole, Norouzi et al. 2012): with
 * r = ⌊d/4⌋ and a = d − 4r, two hashes within d agree to within r bits on one of the first a+1 blocks
 * or within r−1 bits on one of the others; otherwise the distance would be at least 4r + a + 1 > d.
 */
function blockRadii(d: number): number[] {
  const r = Math.floor(d / BLOCKS);
  const a = d - BLOCKS * r;
  return Array.from({ length: BLOCKS }, (_, b) => (b <= a ? r : r - 1));
}

/**
 * An in-memory index of 64-bit perceptual hashes answering "which items are within Hamming distance d"
 * without scanning everything. Multi-index hashing: each hash is filed under its four 16-bit blocks, and
 * a query probes, per block, every block value within that block's radius ({@link blockRadii}), then
 * checks the full distance of each candidate once. For d = 10 that is 3 × 137 + 17 bucket probes and
 * about 700 candidates among 100,000 hashes, against 100,000 popcounts for a scan.
 *
 * Buckets are kept as flat typed arrays (counting sort), rebuilt when enough entries have been added
 * since the last build; entries added since are scanned directly, so interleaved add/query stays cheap.
 * Several ids may share a hash; an id may be added once per hash it has (e.g. each video keyframe).
 */
export class PhashIndex<Id = string> {
  private ids: Id[] = [];
  private hi = new Uint32Array(1024);
  private lo = new Uint32Array(1024);
  /** Entries [0, built) are in the bucket arrays; later ones are scanned. */
  private built = 0;
  /** Per block: start of each block value's run in `items` (65,537 entries). */
  private offsets: Uint32Array[] = [];
  /** Per block: entry positions grouped by block value. */
  private items: Uint32Array[] = [];
  /** Query-local "already checked" marks, reset by bumping the epoch instead of clearing. */
  private seen = new Uint32Array(1024);
  private epoch = 0;

  /** Number of (id, hash) entries. */
  get size(): number {
    return this.ids.length;
  }

  /** Adds an entry. `hash` is 16 hex digits as made by `perceptualHash`. */
  add(id: Id, hash: string): void {
    const [h, l] = splitHash(hash);
    const pos = this.ids.length;
    if (pos === this.hi.length) {
      const grow = (a: Uint32Array) => {
        const b = new Uint32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.hi = grow(this.hi);
      this.lo = grow(this.lo);
      this.seen = grow(this.seen);
    }
    this.ids.push(id);
    this.hi[pos] = h;
    this.lo[pos] = l;
  }

  /** Counting sort of all entries by each block value. */
  private rebuild(): void {
    const n = this.ids.length;
    this.offsets = [];
    this.items = [];
    for (let b = 0; b < BLOCKS; b++) {
      const offsets = new Uint32Array(BLOCK_VALUES + 1);
      for (let pos = 0; pos < n; pos++) offsets[block(this.hi[pos]!, this.lo[pos]!, b) + 1]!++;
      for (let v = 0; v < BLOCK_VALUES; v++) offsets[v + 1]! += offsets[v]!;
      const fill = offsets.slice(0, BLOCK_VALUES);
      const items = new Uint32Array(n);
      for (let pos = 0; pos < n; pos++) items[fill[block(this.hi[pos]!, this.lo[pos]!, b)]!++] = pos;
      this.offsets.push(offsets);
      this.items.push(items);
    }
    this.built = n;
  }

  /**
   * Entries within `maxDistance` bits of `hash`, nearest first (ties in insertion order). Falls back to
   * a scan when the radius is so large that probing would cost more than scanning.
   */
  query(hash: string, maxDistance: number): PhashMatch<Id>[] {
    const n = this.ids.length;
    if (maxDistance < 0 || n === 0) return [];
    const radii = blockRadii(maxDistance);
    // Cost model (measured, bench/phash.bench.ts): a probe costs about one scanned entry and a
    // candidate about four; expected candidates per probe are n / 65,536.
    let probes = 0;
    for (const r of radii) probes += r < 0 ? 0 : r >= 16 ? BLOCK_VALUES : MASKS.ends[r]!;
    if (probes * (1 + (4 * n) / BLOCK_VALUES) >= n) return this.scan(hash, maxDistance);
    if (n - this.built > Math.max(1024, this.built >>> 3)) this.rebuild();

    const [qh, ql] = splitHash(hash);
    this.epoch = (this.epoch + 1) >>> 0;
    if (this.epoch === 0) {
      this.seen.fill(0);
      this.epoch = 1;
    }
    const epoch = this.epoch;
    const seen = this.seen;
    const his = this.hi;
    const los = this.lo;
    const masks = MASKS.masks;
    const hits: number[] = [];
    const dists: number[] = [];
    for (let b = 0; b < BLOCKS; b++) {
      const r = radii[b]!;
      if (r < 0 || this.built === 0) continue;
      const offsets = this.offsets[b]!;
      const items = this.items[b]!;
      const qv = block(qh, ql, b);
      const end = MASKS.ends[r]!;
      for (let i = 0; i < end; i++) {
        const v = qv ^ masks[i]!;
        for (let j = offsets[v]!, stop = offsets[v + 1]!; j < stop; j++) {
          const pos = items[j]!;
          if (seen[pos] === epoch) continue;
          seen[pos] = epoch;
          const d = popcount32((his[pos]! ^ qh) >>> 0) + popcount32((los[pos]! ^ ql) >>> 0);
          if (d <= maxDistance) {
            hits.push(pos);
            dists.push(d);
          }
        }
      }
    }
    for (let pos = this.built; pos < n; pos++) {
      const d = popcount32((his[pos]! ^ qh) >>> 0) + popcount32((los[pos]! ^ ql) >>> 0);
      if (d <= maxDistance) {
        hits.push(pos);
        dists.push(d);
      }
    }
    return this.collect(hits, dists);
  }
  /** The same answer as {@link query} by checking every entry; the baseline the index is measured against. */
  scan(hash: string, maxDistance: number): PhashMatch<Id>[] {
    if (maxDistance < 0) return [];
    const [qh, ql] = splitHash(hash);
    const his = this.hi;
    const los = this.lo;
    const hits: number[] = [];
    const dists: number[] = [];
    for (let pos = 0, n = this.ids.length; pos < n; pos++) {
      const d = popcount32((his[pos]! ^ qh) >>> 0) + popcount32((los[pos]! ^ ql) >>> 0);
      if (d <= maxDistance) {
        hits.push(pos);
        dists.push(d);
      }
    }
    return this.collect(hits, dists);
  }

  private collect(hits: number[], dists: number[]): PhashMatch<Id>[] {
    const order = hits.map((_, i) => i);
    order.sort((a, b) => dists[a]! - dists[b]! || hits[a]! - hits[b]!);
    return order.map((i) => ({ id: this.ids[hits[i]!]!, distance: dists[i]! }));
  }
}
