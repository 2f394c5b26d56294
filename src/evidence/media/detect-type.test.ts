import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureFixtures, type FixturePaths } from '../../../scripts/make-fixtures.js';
import { detectType, kindOf } from './detect-type.js';
import { tempDir } from './test-helpers.js';

let fx: FixturePaths;
beforeAll(async () => {
  fx = await ensureFixtures();
}, 120_000);

describe('detectType', () => {
  it('recognises JPEG, PNG and MP4 from their bytes', async () => {
    expect(await detectType(fx.jpeg)).toMatchObject({
      ok: true,
      mediaType: 'image/jpeg',
      extension: 'jpg',
      kind: 'image',
      nameMismatch: false,
      warnings: [],
    });
    expect(await detectType(fx.png)).toMatchObject({ ok: true, mediaType: 'image/png', kind: 'image' });
    expect(await detectType(fx.mp4)).toMatchObject({ ok: true, mediaType: 'video/mp4', kind: 'video' });
  });

  it('recognises a HEIC', async (ctx) => {
    if (!fx.heic) return ctx.skip();
    expect(await detectType(fx.heic)).toMatchObject({ ok: true, mediaType: 'image/heic', kind: 'image' });
  });

  it('judges by content, not by name', async () => {
    const r = await detectType(fx.jpeg, 'holiday.png');
    expect(r).toMatchObject({ ok: true, mediaType: 'image/jpeg', nameExtension: 'png', nameMismatch: true });
    expect(await detectType(fx.jpeg, 'IMG_0001.JPEG')).toMatchObject({ nameMismatch: false });
    expect(await detectType(fx.jpeg, 'no-extension')).toMatchObject({
      nameExtension: '',
      nameMismatch: false,
    });
  });

  it('catches an executable renamed .jpg', async () => {
    const r = await detectType(fx.executableJpg);
    expect(r).toMatchObject({ ok: true, mediaType: 'application/x-elf', kind: 'other', nameMismatch: true });
  });

  it('returns a typed failure for a zero-byte file', async () => {
    await expect(detectType(fx.empty)).resolves.toEqual({
      ok: false,
      tool: 'file-type',
      code: 'empty',
      message: expect.any(String),
    });
  });

  it('returns a typed failure for a missing file', async () => {
    await expect(detectType(join(fx.dir, 'does-not-exist.jpg'))).resolves.toMatchObject({
      ok: false,
      code: 'io',
    });
  });

  it('flags a truncated JPEG but still names its type', async () => {
    const r = await detectType(fx.truncatedJpeg);
    expect(r).toMatchObject({ ok: true, mediaType: 'image/jpeg' });
    expect(r.ok && r.warnings.join(' ')).toMatch(/truncated/);
  });

  it('treats UTF-8 text as a document and unknown bytes as other', async () => {
    const dir = tempDir('detect');
    const text = join(dir, 'note.txt');
    await writeFile(text, 'Свядзе: запіс сведкі\n'.repeat(1000));
    expect(await detectType(text)).toMatchObject({ ok: true, mediaType: 'text/plain', kind: 'document' });
    const junk = join(dir, 'junk.bytes');
    await writeFile(junk, Buffer.from([0x00, 0x13, 0x37, 0xfe, 0x00, 0x01]));
    expect(await detectType(junk)).toMatchObject({
      ok: true,
      mediaType: 'application/octet-stream',
      kind: 'other',
      nameMismatch: false,
    });
    // Bytes with no JPEG signature contradict a .jpg name.
    const fake = join(dir, 'fake.jpg');
    await writeFile(fake, Buffer.from([0x00, 0x13, 0x37, 0xfe, 0x00, 0x01]));
    expect(await detectType(fake)).toMatchObject({ ok: true, kind: 'other', nameMismatch: true });
    expect(await detectType(text, 'letter.pdf')).toMatchObject({ ok: true, nameMismatch: true });
  });

  it('handles a 100 MB file quickly, reading only its ends', async () => {
    const large = await ensureFixtures(fx.dir, { large: true });
    const t0 = performance.now();
    const r = await detectType(large.large!, 'upload.mp4');
    expect(r).toMatchObject({ ok: true, size: 100 * 1024 * 1024, kind: 'other', nameMismatch: true });
    expect(performance.now() - t0).toBeLessThan(1000);
  }, 60_000);

  it('maps media types to kinds', () => {
    expect(kindOf('image/heic')).toBe('image');
    expect(kindOf('audio/ogg')).toBe('audio');
    expect(kindOf('application/pdf')).toBe('document');
    expect(kindOf('application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe(
      'document',
    );
    expect(kindOf('application/zip')).toBe('archive');
    expect(kindOf('application/x-elf')).toBe('other');
  });
});
