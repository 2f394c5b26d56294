/**
 * The fragment spool: fragments come out grouped by entity and in the order they went in, whether
 * they stayed in memory or went through sorted run files; equal fragments of an entity are folded into
 * its first one (its row count says how many); the run files are removed on close.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Fragment, FragmentSpool } from './spool.js';

function fragmentsOf(count: number) {
  const out: Array<Omit<Fragment, 'seq' | 'rows'>> = [];
  for (let i = 0; i < count; i++) {
    // Every row: a person of its own, and one of 7 units (the same fragment each time).
    out.push({
      entityId: `p${(i * 7919) % count}`,
      schema: 'Person',
      properties: { name: [`Person "${i}"\n`] },
      query: 0,
      line: i + 2,
      ref: `line ${i + 2}`,
    });
    out.push({
      entityId: `u${i % 7}`,
      schema: 'PublicBody',
      properties: { name: [`Unit ${i % 7}`] },
      query: 0,
      line: i + 2,
      ref: `line ${i + 2}`,
    });
  }
  // A unit fragment that adds a value, and one of another schema: both kept, after the first ones.
  out.push({
    entityId: 'u3',
    schema: 'PublicBody',
    properties: { country: ['by'] },
    query: 1,
    line: 9,
    ref: 'row 9',
  });
  out.push({
    entityId: 'u3',
    schema: 'Person',
    properties: { name: ['X'] },
    query: 1,
    line: 10,
    ref: 'row 10',
  });
  return out;
}

async function drain(spool: FragmentSpool): Promise<Fragment[]> {
  const out: Fragment[] = [];
  for await (const fragment of spool.fragments()) out.push(fragment);
  return out;
}

describe('fragment spool', () => {
  for (const [label, limits] of [
    ['in memory', undefined],
    ['through run files', { memoryChars: 2_000, repeatChars: 16 * 1024 * 1024 }],
    ['through run files, no room to fold', { memoryChars: 2_000, repeatChars: 0 }],
  ] as const) {
    it(`groups fragments by entity in the order they came (${label})`, async () => {
      const work = mkdtempSync(path.join(tmpdir(), 'sviedka-spool-'));
      const spool = new FragmentSpool(work, limits);
      const input = fragmentsOf(500);
      for (const fragment of input) await spool.add(fragment);
      if (limits) expect(readdirSync(work).filter((name) => name.startsWith('spool-'))).toHaveLength(1);
      const out = await drain(spool);

      const ids = out.map((f) => f.entityId);
      expect(ids).toEqual([...ids].sort());
      // Every row is accounted for, once.
      expect(out.reduce((sum, f) => sum + f.rows, 0)).toBe(input.length);
      // Within an entity, fragments keep their order: the unit's first row comes first.
      const u3 = out.filter((f) => f.entityId === 'u3');
      expect(u3[0]).toMatchObject({ line: 5, schema: 'PublicBody', properties: { name: ['Unit 3'] } });
      expect(u3.at(-2)).toMatchObject({ properties: { country: ['by'] }, ref: 'row 9' });
      expect(u3.at(-1)).toMatchObject({ schema: 'Person', ref: 'row 10', rows: 1 });
      if (limits?.repeatChars !== 0) {
        // The unit's 71 equal fragments are one, standing for 71 rows.
        expect(u3).toHaveLength(3);
        expect(u3[0]!.rows).toBe(71);
        expect(spool.kept).toBe(500 + 7 + 2);
      } else expect(u3).toHaveLength(71 + 2);
      expect(out.find((f) => f.entityId === 'p0')).toMatchObject({ properties: { name: ['Person "0"\n'] } });

      await spool.close();
      expect(readdirSync(work)).toEqual([]);
    });
  }

  it('removes its run files when the reader stops early', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'sviedka-spool-'));
    const spool = new FragmentSpool(work, { memoryChars: 500, repeatChars: 0 });
    for (const fragment of fragmentsOf(100)) await spool.add(fragment);
    for await (const fragment of spool.fragments()) if (fragment.entityId > 'p5') break;
    await spool.close();
    expect(existsSync(work) && readdirSync(work)).toEqual([]);
  });
});
