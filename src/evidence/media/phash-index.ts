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
 * An in-memory index of 64-bit perceptual hashes answering "which items are within Hamming distance d"
 * without scanning everything. Multi-index hashing: each hash is filed under its four 16-bit blocks. By
 * the pigeonhole principle two hashes within distance d agree to within ⌊d/4⌋ bits on at least one block,
 * so a query probes, per block, every value within that radius, then checks the full distance of each
 * candidate. For d ≤ 10 that is 4 × 137 bucket probes, against 100,000 popcounts for a scan.
 * Several ids may share a hash; an id may be added once per hash it has (e.g. each video keyframe).
 */
export class PhashIndex<Id = string> {
  private ids: Id[] = [];
  private hi = new Uint32Array(1024);
  private lo = new Uint32Array(1024);
  /** Per block, per 16-bit value: positions of the hashes with that block value. */
  private readonly buckets: Array<Array<number[] | undefined>> = Array.from(
    { length: BLOCKS },
    () => new Array<number[] | undefined>(BLOCK_VALUES),
  );
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
    for (let b = 0; b < BLOCKS; b++) {
      const table = this.buckets[b]!;
      const v = block(h, l, b);
      const list = table[v];
      if (list) list.push(pos);
      else table[v] = [pos];
    }
  }

  /**
   * Entries within `maxDistance` bits of `hash`, nearest first (ties in insertion order). Falls back to
   * a scan when the radius is so large that probing would cost more than scanning.
   */
  query(hash: string, maxDistance: number): PhashMatch<Id>[] {
    if (maxDistance < 0 || this.ids.length === 0) return [];
    const [qh, ql] = splitHash(hash);
    const radius = Math.floor(maxDistance / BLOCKS);
    if (radius >= 16 || BLOCKS * MASKS.ends[radius]! * 2 > this.ids.length)
      return this.scan(hash, maxDistance);

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
    const probes = MASKS.ends[radius]!;
    const hits: number[] = [];
    const dists: number[] = [];
    for (let b = 0; b < BLOCKS; b++) {
      const table = this.buckets[b]!;
      const qv = block(qh, ql, b);
      for (let i = 0; i < probes; i++) {
        const list = table[qv ^ masks[i]!];
        if (!list) continue;
        for (let j = 0; j < list.length; j++) {
          const pos = list[j]!;
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
