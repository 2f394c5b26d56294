import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureFixtures, type FixturePaths } from '../../../scripts/make-fixtures.js';
import { hamming, splitHash } from './hamming.js';
import { perceptualHash, phashFromGray32 } from './phash.js';

let fx: FixturePaths;
beforeAll(async () => {
  fx = await ensureFixtures();
}, 120_000);

async function hashOf(input: string | Buffer): Promise<string> {
  const r = await perceptualHash(input);
  if (!r.ok) throw new Error(r.message);
  return r.hash;
}

describe('perceptualHash', () => {
  it('keeps the near-duplicate (60 %, low quality) within distance 10 and the different image far', async () => {
    const original = await hashOf(fx.jpeg);
    const near = await hashOf(fx.jpegNearDuplicate);
    const different = await hashOf(fx.jpegDifferent);
    expect(original).toMatch(/^[0-9a-f]{16}$/);
    expect(hamming(original, near)).toBeLessThanOrEqual(10);
    expect(hamming(original, different)).toBeGreaterThan(20);
  });

  it('gives the same hash for a file and its bytes, and records the tool', async () => {
    const fromPath = await perceptualHash(fx.jpeg);
    expect(fromPath).toMatchObject({ ok: true, algorithm: 'dct-phash-64', tool: 'sharp' });
    expect(await hashOf(await readFile(fx.jpeg))).toBe(fromPath.ok && fromPath.hash);
  });

  it('survives format change and mild brightness change', async () => {
    const original = await hashOf(fx.jpeg);
    const png = await sharp(fx.jpeg).png().toBuffer();
    const brighter = await sharp(fx.jpeg).modulate({ brightness: 1.1 }).jpeg({ quality: 70 }).toBuffer();
    expect(hamming(original, await hashOf(png))).toBeLessThanOrEqual(4);
    expect(hamming(original, await hashOf(brighter))).toBeLessThanOrEqual(10);
  });

  it('hashes several keyframes of a video, near the thumbnail frame first', async () => {
    const r = await perceptualHash(fx.mp4, 'video', { videoFrames: 3 });
    expect(r).toMatchObject({ ok: true, tool: 'ffmpeg+sharp' });
    if (!r.ok) return;
    expect(r.frames).toHaveLength(3);
    expect(r.frames[0]!.timeSeconds).toBe(1);
    expect(r.hash).toBe(r.frames[0]!.hash);
    for (const f of r.frames) expect(f.hash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('returns typed failures for undecodable input', async () => {
    for (const path of [fx.truncatedJpeg, fx.empty, fx.executableJpg]) {
      await expect(perceptualHash(path)).resolves.toMatchObject({ ok: false, tool: 'sharp', code: 'decode' });
    }
    await expect(perceptualHash(fx.executableJpg, 'video')).resolves.toMatchObject({
      ok: false,
      code: 'decode',
    });
    await expect(perceptualHash(fx.jpeg, 'document')).resolves.toMatchObject({
      ok: false,
      code: 'unsupported',
    });
  });
});

describe('phashFromGray32', () => {
  // A smooth 2-D scene (a bright blob off-centre on a diagonal ramp): energy in both directions.
  const gradient = Array.from({ length: 1024 }, (_, i) => {
    const x = i % 32;
    const y = Math.floor(i / 32);
    return 40 + 2 * x + 3 * y + 120 * Math.exp(-((x - 10) ** 2 + (y - 20) ** 2) / 40);
  });

  it('ignores overall brightness and contrast (DC dropped, median threshold)', () => {
    const h = phashFromGray32(gradient);
    expect(phashFromGray32(gradient.map((v) => v + 5))).toBe(h);
    expect(phashFromGray32(gradient.map((v) => v * 0.5 + 20))).toBe(h);
  });

  it('is far from its inverse', () => {
    const h = phashFromGray32(gradient);
    expect(hamming(h, phashFromGray32(gradient.map((v) => 255 - v)))).toBeGreaterThan(20);
  });

  it('rejects the wrong number of pixels', () => {
    expect(() => phashFromGray32([1, 2, 3])).toThrow(RangeError);
  });
});

describe('hamming', () => {
  it('counts differing bits across both halves', () => {
    expect(hamming('0000000000000000', '0000000000000000')).toBe(0);
    expect(hamming('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hamming('8000000000000001', '0000000000000000')).toBe(2);
    expect(hamming('F0F0F0F0F0F0F0F0', 'f0f0f0f0f0f0f0f0')).toBe(0);
  });

  it('rejects malformed hashes', () => {
    expect(() => splitHash('xyz')).toThrow(RangeError);
    expect(() => hamming('00', '00')).toThrow(RangeError);
  });
});
