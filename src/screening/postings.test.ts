import { describe, expect, it } from 'vitest';
import { Postings } from './postings.js';

describe('postings', () => {
  it('lists documents per key and answers membership, after the bulk layout and in the delta', () => {
    const postings = new Postings();
    postings.beginBulk();
    for (let doc = 0; doc < 1000; doc++) {
      postings.add(7, doc);
      if (doc % 3 === 0) postings.add(11, doc);
    }
    postings.endBulk();
    postings.add(11, 1001);
    postings.add(13, 1002);

    expect(postings.df(7)).toBe(1000);
    expect(postings.df(11)).toBe(335);
    const seen: number[] = [];
    postings.forEach(11, (doc) => seen.push(doc));
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    for (const doc of [0, 3, 999, 1001]) expect(postings.has(11, doc)).toBe(true);
    for (const doc of [1, 2, 998, 1000, 1002]) expect(postings.has(11, doc)).toBe(false);
    expect(postings.has(13, 1002)).toBe(true);
    expect(postings.has(17, 0)).toBe(false);
  });
});
