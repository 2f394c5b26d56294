import { execFileSync } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureFixtures, FIXTURE_FACTS, type FixturePaths } from '../../../scripts/make-fixtures.js';
import { makeThumbnail, stripMetadataCopy } from './derive.js';
import { extractMetadata } from './metadata.js';
import { exiftoolAll, tempDir } from './test-helpers.js';

let fx: FixturePaths;
let out: string;
beforeAll(async () => {
  fx = await ensureFixtures();
  out = tempDir('derive');
}, 120_000);

/** Tags that would identify a place, a device or a person if left in a working copy. */
const IDENTIFYING = /gps|location|coordinates|make|model|serial|creator|artist|author|city|owner|xyz/i;

function identifyingTags(path: string): string[] {
  const all = exiftoolAll(path);
  const found = Object.entries(all)
    .filter(([k, v]) => IDENTIFYING.test(k) || IDENTIFYING.test(String(v)))
    .map(([k, v]) => `${k}=${String(v)}`);
  // The fixture values themselves must not appear anywhere either.
  const text = JSON.stringify(all);
  for (const value of [
    FIXTURE_FACTS.photo.serial,
    FIXTURE_FACTS.photo.make,
    'Fixtureville',
    '53.9006',
    '53.90',
  ]) {
    if (text.includes(value)) found.push(`value ${value}`);
  }
  return found;
}

describe('makeThumbnail', () => {
  it('makes a ≤ 512 px JPEG of a photo with no GPS, Make, Model or serial', async () => {
    const path = join(out, 'photo-thumb.jpg');
    const r = await makeThumbnail(fx.jpeg, 'image', path);
    expect(r).toMatchObject({ ok: true, tool: 'sharp', mediaType: 'image/jpeg', width: 512, height: 384 });
    expect(r.ok && r.toolVersion).toMatch(/^sharp \d/);
    expect(r.ok && r.size).toBe((await stat(path)).size);
    expect(identifyingTags(path)).toEqual([]);
    const meta = await sharp(path).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.iptc).toBeUndefined();
  });

  it('makes a WebP from a video keyframe, with no container metadata', async () => {
    const path = join(out, 'video-thumb.webp');
    const r = await makeThumbnail(fx.mp4, 'video', path);
    expect(r).toMatchObject({
      ok: true,
      tool: 'ffmpeg+sharp',
      mediaType: 'image/webp',
      width: 320,
      height: 240,
    });
    expect(r.ok && r.toolVersion).toMatch(/^ffmpeg .*; sharp /);
    expect((await readFile(path)).subarray(8, 12).toString('latin1')).toBe('WEBP');
    expect(identifyingTags(path)).toEqual([]);
  });

  it('uses the first frame of a video shorter than a second', async () => {
    const short = join(out, 'short.mp4');
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=25', '-t', '0.4'],
      ...['-c:v', 'libx264', '-pix_fmt', 'yuv420p', short],
    ]);
    const r = await makeThumbnail(short, 'video', join(out, 'short.jpg'));
    expect(r).toMatchObject({ ok: true, width: 160, height: 120 });
  });

  it('never enlarges a small image', async () => {
    const path = join(out, 'png-thumb.jpg');
    const r = await makeThumbnail(fx.png, 'image', path, { maxSize: 1000 });
    expect(r).toMatchObject({ ok: true, width: 400, height: 300 });
  });

  it('returns typed failures for damaged, empty and non-image input', async () => {
    await expect(makeThumbnail(fx.truncatedJpeg, 'image', join(out, 't.jpg'))).resolves.toMatchObject({
      ok: false,
      tool: 'sharp',
      code: 'decode',
    });
    await expect(stat(join(out, 't.jpg'))).rejects.toThrow();
    await expect(makeThumbnail(fx.empty, 'image', join(out, 'e.jpg'))).resolves.toMatchObject({ ok: false });
    await expect(makeThumbnail(fx.executableJpg, 'image', join(out, 'x.jpg'))).resolves.toMatchObject({
      ok: false,
      code: 'decode',
    });
    await expect(makeThumbnail(fx.executableJpg, 'other', join(out, 'y.jpg'))).resolves.toMatchObject({
      ok: false,
      code: 'unsupported',
    });
  });

  it('makes a clean HEIC preview, or a typed failure where sharp has no HEVC decoder', async (ctx) => {
    if (!fx.heic) return ctx.skip();
    const path = join(out, 'heic-thumb.jpg');
    const r = await makeThumbnail(fx.heic, 'image', path);
    if (r.ok) {
      expect(identifyingTags(path)).toEqual([]);
    } else {
      expect(r).toMatchObject({ tool: 'sharp', code: 'decode' });
      expect(r.message).toMatch(/HEVC|hevc|compression/);
    }
  });

  it('renders the readable part of a truncated JPEG when asked', async () => {
    const r = await makeThumbnail(fx.truncatedJpeg, 'image', join(out, 'partial.jpg'), {
      allowDamaged: true,
    });
    expect(r).toMatchObject({ ok: true, width: 512 });
  });
});

describe('stripMetadataCopy', () => {
  it('re-encodes a photo without identifying metadata, same size and format', async () => {
    const path = join(out, 'photo-clean.jpg');
    const r = await stripMetadataCopy(fx.jpeg, 'image', path);
    expect(r).toMatchObject({ ok: true, tool: 'sharp', mediaType: 'image/jpeg', width: 800, height: 600 });
    expect(identifyingTags(path)).toEqual([]);
    const [meta] = await extractMetadata(path, 'image');
    expect(meta?.ok && meta.summary).toEqual({ width: 800, height: 600 });
  });

  it('remuxes a video without creation time or location, streams intact', async () => {
    const path = join(out, 'video-clean.mp4');
    const r = await stripMetadataCopy(fx.mp4, 'video', path);
    expect(r).toMatchObject({ ok: true, tool: 'ffmpeg', mediaType: 'video/mp4' });
    expect(identifyingTags(path)).toEqual([]);
    const outcomes = await extractMetadata(path, 'video');
    const probe = outcomes.find((o) => o.tool === 'ffprobe');
    expect(probe?.ok && probe.summary).toEqual({
      durationSeconds: expect.closeTo(FIXTURE_FACTS.video.durationSeconds, 1),
      width: FIXTURE_FACTS.video.width,
      height: FIXTURE_FACTS.video.height,
      videoCodec: 'h264',
      audioCodec: 'aac',
    });
    const exif = outcomes.find((o) => o.tool === 'exiftool');
    expect(exif?.ok && exif.summary.captureTime).toBeUndefined();
    expect(exif?.ok && exif.summary.latitude).toBeUndefined();
  });

  it('leaves the original untouched', async () => {
    const before = await readFile(fx.jpeg);
    await stripMetadataCopy(fx.jpeg, 'image', join(out, 'again.jpg'));
    expect((await readFile(fx.jpeg)).equals(before)).toBe(true);
  });

  it('returns typed failures for undecodable input', async () => {
    await expect(stripMetadataCopy(fx.truncatedJpeg, 'image', join(out, 'bad.jpg'))).resolves.toMatchObject({
      ok: false,
      code: 'decode',
    });
    await expect(stripMetadataCopy(fx.executableJpg, 'video', join(out, 'bad.mp4'))).resolves.toMatchObject({
      ok: false,
      tool: 'ffmpeg',
    });
    await expect(stat(join(out, 'bad.mp4'))).rejects.toThrow();
  });
});
