import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureFixtures, FIXTURE_FACTS, type FixturePaths } from '../../../scripts/make-fixtures.js';
import {
  exifDateToIso,
  extractMetadata,
  type MetadataRecord,
  parseIso6709,
  summarizeExiftool,
  summarizeFfprobe,
} from './metadata.js';
import { exiftoolDirect, tempDir } from './test-helpers.js';
import { toolVersions } from './tool-versions.js';

let fx: FixturePaths;
beforeAll(async () => {
  fx = await ensureFixtures();
}, 120_000);

function record(outcomes: Awaited<ReturnType<typeof extractMetadata>>, tool: string): MetadataRecord {
  const r = outcomes.find((o) => o.tool === tool);
  if (!r?.ok) throw new Error(`no ${tool} record: ${JSON.stringify(r)}`);
  return r;
}

describe('extractMetadata on photos', () => {
  it('reports GPS and capture time as exiftool itself does', async () => {
    const outcomes = await extractMetadata(fx.jpeg, 'image');
    expect(outcomes).toHaveLength(1);
    const r = record(outcomes, 'exiftool');
    const direct = exiftoolDirect(fx.jpeg, [
      'GPSLatitude',
      'GPSLongitude',
      'GPSAltitude',
      'DateTimeOriginal',
      'OffsetTimeOriginal',
      'Make',
      'Model',
      'SerialNumber',
    ]);
    expect(r.summary.latitude).toBe(direct.GPSLatitude);
    expect(r.summary.longitude).toBe(direct.GPSLongitude);
    expect(r.summary.altitude).toBe(direct.GPSAltitude);
    expect(r.summary.captureTime).toBe(
      `${String(direct.DateTimeOriginal).replace(/^(\d{4}):(\d{2}):(\d{2}) /, '$1-$2-$3T')}${direct.OffsetTimeOriginal}`,
    );
    expect(r.summary).toMatchObject({
      latitude: FIXTURE_FACTS.photo.latitude,
      longitude: FIXTURE_FACTS.photo.longitude,
      captureTime: '2024-08-09T21:15:30+03:00',
      make: direct.Make,
      model: direct.Model,
      serial: direct.SerialNumber,
      width: FIXTURE_FACTS.photo.width,
      height: FIXTURE_FACTS.photo.height,
    });
    expect(r.toolVersion).toBe((await toolVersions()).exiftool);
    expect(r.data['IPTC:City']).toBe('Fixtureville');
    expect(r.data['XMP-dc:Creator']).toBe('Synthetic Fixture');
    // The vault's own path and file dates are not evidence and are not recorded.
    expect(Object.keys(r.data).filter((k) => k === 'SourceFile' || k.startsWith('System:'))).toEqual([]);
  });

  it('gives negative coordinates south and west, and a local time without offset', async () => {
    const r = record(await extractMetadata(fx.jpegDifferent, 'image'), 'exiftool');
    const direct = exiftoolDirect(fx.jpegDifferent, ['GPSLatitude', 'GPSLongitude']);
    expect(r.summary.latitude).toBe(direct.GPSLatitude);
    expect(r.summary.longitude).toBe(direct.GPSLongitude);
    expect(r.summary.latitude).toBeCloseTo(FIXTURE_FACTS.different.latitude, 6);
    expect(r.summary.longitude).toBeCloseTo(FIXTURE_FACTS.different.longitude, 6);
    expect(r.summary.captureTime).toBe('2023-12-01T08:00:05');
  });

  it('reads a PNG', async () => {
    const r = record(await extractMetadata(fx.png, 'image'), 'exiftool');
    expect(r.summary).toMatchObject({ width: 400, height: 300 });
    expect(r.data['XMP-dc:Title']).toBe('Synthetic PNG fixture');
  });

  it('reads EXIF GPS and capture time from a HEIC', async (ctx) => {
    if (!fx.heic) return ctx.skip();
    const r = record(await extractMetadata(fx.heic, 'image'), 'exiftool');
    const direct = exiftoolDirect(fx.heic, ['GPSLatitude', 'GPSLongitude', 'DateTimeOriginal']);
    expect(r.summary).toMatchObject({
      latitude: direct.GPSLatitude,
      longitude: direct.GPSLongitude,
      captureTime: '2024-08-09T21:16:02',
      make: FIXTURE_FACTS.heic.make,
      width: FIXTURE_FACTS.heic.width,
      height: FIXTURE_FACTS.heic.height,
    });
  });

  it('still reads the EXIF header of a truncated JPEG', async () => {
    const r = record(await extractMetadata(fx.truncatedJpeg, 'image'), 'exiftool');
    expect(r.summary.latitude).toBe(FIXTURE_FACTS.photo.latitude);
  });
});

describe('extractMetadata on video', () => {
  it('records exiftool and ffprobe separately, with duration, codecs, time and place', async () => {
    const outcomes = await extractMetadata(fx.mp4, 'video');
    expect(outcomes.map((o) => o.tool)).toEqual(['exiftool', 'ffprobe']);
    const probe = record(outcomes, 'ffprobe');
    expect(probe.toolVersion).toBe((await toolVersions()).ffprobe);
    expect(probe.summary).toMatchObject({
      durationSeconds: FIXTURE_FACTS.video.durationSeconds,
      width: FIXTURE_FACTS.video.width,
      height: FIXTURE_FACTS.video.height,
      videoCodec: 'h264',
      audioCodec: 'aac',
      captureTime: FIXTURE_FACTS.video.creationTime,
      latitude: FIXTURE_FACTS.video.latitude,
      longitude: FIXTURE_FACTS.video.longitude,
    });
    expect((probe.data.streams as unknown[]).length).toBe(2);

    const exif = record(outcomes, 'exiftool');
    const direct = exiftoolDirect(fx.mp4, ['GPSLatitude', 'GPSLongitude', 'CreateDate', 'Duration']);
    expect(exif.summary.latitude).toBe(direct.GPSLatitude);
    expect(exif.summary.longitude).toBe(direct.GPSLongitude);
    // QuickTime CreateDate is UTC by definition.
    expect(exif.summary.captureTime).toBe('2024-08-09T18:15:30Z');
    expect(exif.summary.durationSeconds).toBe(direct.Duration);
    expect(new Date(exif.summary.captureTime!).getTime()).toBe(
      new Date(probe.summary.captureTime!).getTime(),
    );
  });

  it('returns a typed ffprobe failure for a corrupt video, never throwing', async () => {
    const dir = tempDir('meta');
    const broken = join(dir, 'broken.mp4');
    const bytes = await readFile(fx.mp4);
    // Keep the middle only: no ftyp, no moov.
    await writeFile(broken, bytes.subarray(bytes.length / 3, (2 * bytes.length) / 3));
    const outcomes = await extractMetadata(broken, 'video');
    const probe = outcomes.find((o) => o.tool === 'ffprobe');
    expect(probe).toMatchObject({ ok: false, tool: 'ffprobe', code: 'decode' });
  });
});

describe('extractMetadata failures', () => {
  it('returns a typed exiftool failure for an empty file', async () => {
    await expect(extractMetadata(fx.empty, 'image')).resolves.toEqual([
      { ok: false, tool: 'exiftool', code: 'tool-error', message: 'File is empty' },
    ]);
  });

  it('does not throw on an executable renamed .jpg, nor on a missing file', async () => {
    const exe = await extractMetadata(fx.executableJpg, 'other');
    expect(exe[0]).toMatchObject({ tool: 'exiftool' });
    const missing = await extractMetadata(join(fx.dir, 'nope.jpg'), 'image');
    expect(missing[0]).toMatchObject({ ok: false, tool: 'exiftool' });
  });

  it('handles a file name that looks like an option', async () => {
    const dir = tempDir('meta-name');
    const odd = join(dir, '-ver.jpg');
    await copyFile(fx.jpeg, odd);
    const r = record(await extractMetadata(odd, 'image'), 'exiftool');
    expect(r.summary.make).toBe(FIXTURE_FACTS.photo.make);
  });
});

describe('parseIso6709', () => {
  it('reads degrees, degrees-minutes and degrees-minutes-seconds forms', () => {
    expect(parseIso6709('+53.9006+027.5590/')).toEqual({ latitude: 53.9006, longitude: 27.559 });
    expect(parseIso6709('-34.6037-058.3816+025.123/')).toEqual({
      latitude: -34.6037,
      longitude: -58.3816,
      altitude: 25.123,
    });
    const dm = parseIso6709('+5354.036+02733.540/')!;
    expect(dm.latitude).toBeCloseTo(53.9006, 6);
    expect(dm.longitude).toBeCloseTo(27.559, 6);
    const dms = parseIso6709('+535402.16+0273332.4/')!;
    expect(dms.latitude).toBeCloseTo(53.9006, 6);
    expect(dms.longitude).toBeCloseTo(27.559, 6);
    expect(parseIso6709('+40.6894-074.0447+010CRSWGS_84/')).toMatchObject({
      latitude: 40.6894,
      altitude: 10,
    });
  });

  it('rejects garbage and out-of-range values', () => {
    expect(parseIso6709('')).toBeUndefined();
    expect(parseIso6709('53.9 27.5')).toBeUndefined();
    expect(parseIso6709('+95.0000+027.0000/')).toBeUndefined();
  });
});

describe('exifDateToIso', () => {
  it('converts EXIF and QuickTime dates', () => {
    expect(exifDateToIso('2024:08:09 21:15:30')).toBe('2024-08-09T21:15:30');
    expect(exifDateToIso('2024:08:09 21:15:30.25+0300')).toBe('2024-08-09T21:15:30.25+03:00');
    expect(exifDateToIso('2024:08:09 18:15:30', true)).toBe('2024-08-09T18:15:30Z');
    expect(exifDateToIso('0000:00:00 00:00:00', true)).toBeUndefined();
    expect(exifDateToIso('yesterday')).toBeUndefined();
  });
});

describe('summaries from recorded JSON', () => {
  it('applies hemisphere references when exiftool gives no composite', () => {
    expect(
      summarizeExiftool({
        'GPS:GPSLatitude': 12.5,
        'GPS:GPSLatitudeRef': 'S',
        'GPS:GPSLongitude': 45.25,
        'GPS:GPSLongitudeRef': 'W',
        'GPS:GPSAltitude': 30,
        'GPS:GPSAltitudeRef': 1,
      }),
    ).toEqual({ latitude: -12.5, longitude: -45.25, altitude: -30 });
  });

  it('reads Apple QuickTime keys from ffprobe', () => {
    expect(
      summarizeFfprobe({
        format: {
          duration: '3.5',
          tags: {
            'com.apple.quicktime.location.ISO6709': '+53.9006+027.5590+220.000/',
            'com.apple.quicktime.creationdate': '2024-08-09T21:15:30+0300',
            'com.apple.quicktime.make': 'Apple',
            'com.apple.quicktime.model': 'iPhone 15',
            creation_time: '2024-08-09T18:15:31.000000Z',
          },
        },
        streams: [{ codec_type: 'video', codec_name: 'hevc', width: 1920, height: 1080 }],
      }),
    ).toEqual({
      durationSeconds: 3.5,
      width: 1920,
      height: 1080,
      videoCodec: 'hevc',
      captureTime: '2024-08-09T21:15:30+03:00',
      latitude: 53.9006,
      longitude: 27.559,
      altitude: 220,
      make: 'Apple',
      model: 'iPhone 15',
    });
  });
});
