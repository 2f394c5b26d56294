import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hamming } from './hamming.js';
import { PhashIndex } from './phash-index.js';

const hex64 = fc
  .tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }))
  .map(([h, l]) => h.toString(16).padStart(8, '0') + l.toString(16).padStart(8, '0'));

/** Flips the given bit positions of a hash: near-duplicates at a controlled distance. */
function flip(hash: string, bits: number[]): string {
  let v = BigInt(`0x${hash}`);
  for (const b of bits) v ^= 1n << BigInt(b);
  return v.toString(16).padStart(16, '0');
}

function naive(entries: Array<[number, string]>, q: string, d: number) {
  return entries
    .map(([id, h], order) => ({ id, distance: hamming(h, q), order }))
    .filter((e) => e.distance <= d)
    .sort((a, b) => a.distance - b.distance || a.order - b.order)
    .map(({ id, distance }) => ({ id, distance }));
}

describe('PhashIndex', () => {
  it('answers exactly as a linear scan (random hashes with planted neighbours)', () => {
    fc.assert(
      fc.property(
        fc.array(hex64, { minLength: 1, maxLength: 300 }),
        fc.array(fc.tuple(fc.nat(299), fc.uniqueArray(fc.integer({ min: 0, max: 63 }), { maxLength: 14 }))),
        hex64,
        fc.integer({ min: 0, max: 20 }),
        (base, planted, extraQuery, maxDistance) => {
          const hashes = [...base];
          for (const [from, bits] of planted) hashes.push(flip(base[from % base.length]!, bits));
          const entries = hashes.map((h, i) => [i, h] as [number, string]);
          const index = new PhashIndex<number>();
          for (const [id, h] of entries) index.add(id, h);
          // Query an indexed hash, a perturbed one, and an unrelated one.
          const queries = [hashes[0]!, flip(hashes[hashes.length - 1]!, [1, 17, 33, 62]), extraQuery];
          for (const q of queries) {
            const want = naive(entries, q, maxDistance);
            expect(index.query(q, maxDistance)).toEqual(want);
            expect(index.scan(q, maxDistance)).toEqual(want);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is exact past the pigeonhole switch-over on a larger set', () => {
    const index = new PhashIndex<number>();
    const entries: Array<[number, string]> = [];
    let seed = 12345;
    const rand = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    for (let i = 0; i < 5000; i++) {
      const h = rand().toString(16).padStart(8, '0') + rand().toString(16).padStart(8, '0');
      entries.push([i, h]);
      index.add(i, h);
      if (i % 50 === 0) {
        const near = flip(h, [i % 64, (i * 7) % 64, (i * 13) % 64]);
        entries.push([100_000 + i, near]);
        index.add(100_000 + i, near);
      }
    }
    for (const d of [0, 3, 7, 10, 12, 15, 20]) {
      for (const [, q] of entries.slice(0, 40)) expect(index.query(q, d)).toEqual(naive(entries, q, d));
    }
  });

  it('stays exact when adds and queries interleave (entries not yet in the buckets)', () => {
    const index = new PhashIndex<number>();
    const entries: Array<[number, string]> = [];
    fc.assert(
      fc.property(fc.array(hex64, { minLength: 6000, maxLength: 6000 }), (hashes) => {
        hashes.forEach((h, i) => {
          entries.push([i, h]);
          index.add(i, h);
          if (i % 211 === 0) {
            const q = flip(h, [3, 30, 50]);
            for (const d of [3, 6, 9]) expect(index.query(q, d)).toEqual(naive(entries, q, d));
          }
        });
      }),
      { numRuns: 1 },
    );
  });

  it('keeps several ids per hash and several hashes per id', () => {
    const index = new PhashIndex();
    index.add('a', '0123456789abcdef');
    index.add('b', '0123456789abcdef');
    index.add('a', 'fedcba9876543210');
    expect(index.size).toBe(3);
    expect(index.query('0123456789abcdef', 0)).toEqual([
      { id: 'a', distance: 0 },
      { id: 'b', distance: 0 },
    ]);
    expect(index.query('0123456789abcdee', 1)).toHaveLength(2);
    expect(index.query('0123456789abcdef', -1)).toEqual([]);
    expect(new PhashIndex().query('0123456789abcdef', 10)).toEqual([]);
    expect(() => index.add('c', 'nothex')).toThrow(RangeError);
  });
});
