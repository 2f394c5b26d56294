import { describe, expect, it } from 'vitest';
import { type Line, splitLines } from './lines.js';

async function collect(chunks: Array<Uint8Array | string>, max?: number): Promise<Line[]> {
  const out: Line[] = [];
  async function* source() {
    for (const chunk of chunks) yield chunk;
  }
  for await (const line of splitLines(source(), max)) out.push(line);
  return out;
}

const texts = (lines: Line[]) => lines.map((line) => ('text' in line ? line.text : `<${line.error}>`));

describe('splitLines', () => {
  it('splits across chunk boundaries, drops CR and a BOM, keeps a last line without newline', async () => {
    const lines = await collect(['\ufeffone\r\ntw', 'o\n\nthr', 'ee']);
    expect(texts(lines)).toEqual(['one', 'two', '', 'three']);
    expect(lines.map((line) => line.lineNo)).toEqual([1, 2, 3, 4]);
    expect(lines.at(-1)!.bytesRead).toBe(Buffer.byteLength('\ufeffone\r\ntwo\n\nthree'));
  });

  it('reports invalid UTF-8 per line and a multi-byte character split between chunks is fine', async () => {
    const word = Buffer.from('Ўладзімір', 'utf8');
    const lines = await collect([
      word.subarray(0, 1),
      word.subarray(1),
      Buffer.from([0x0a, 0xff, 0xfe, 0x0a, 0x61]),
    ]);
    expect(texts(lines)).toEqual(['Ўладзімір', '<bad_utf8>', 'a']);
  });

  it('skips an over-long line without buffering it, and goes on', async () => {
    const big = Buffer.alloc(64 * 1024, 0x61);
    const chunks: Uint8Array[] = [Buffer.from('ok\n')];
    for (let i = 0; i < 40; i++) chunks.push(big);
    chunks.push(Buffer.from('\nafter\n'));
    const lines = await collect(chunks, 1024 * 1024);
    expect(texts(lines)).toEqual(['ok', '<too_long>', 'after']);
    const long = lines[1]!;
    expect('length' in long && long.length).toBe(40 * 64 * 1024);
  });

  it('accepts a line of exactly the limit and rejects one byte more', async () => {
    const exact = 'x'.repeat(100);
    expect(texts(await collect([`${exact}\n`, `${exact}x\n`, `${exact}\r\n`], 100))).toEqual([
      exact,
      '<too_long>',
      exact,
    ]);
  });
});
