/**
 * The media tools are an attack surface: a playlist inside a file must not make them fetch a URL, a confined
 * tool has no network and writes only where its output goes, and truncated or malformed media end as typed
 * failures (recorded as processing failures by the pipeline), never as a thrown error.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFixtures, type FixturePaths } from '../../../scripts/make-fixtures.js';
import { stripMetadataCopy } from './derive.js';
import { extractMetadata } from './metadata.js';
import { runTool } from './run-tool.js';
import { confinementMode } from './sandbox.js';
import { extractVideoFrame, probeDurationSeconds } from './video-frame.js';

describe('media tools confined', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sviedka-sandbox-'));
  let server: Server;
  let port = 0;
  let connections = 0;
  let fx: FixturePaths;
  beforeAll(async () => {
    fx = await ensureFixtures();
    server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('a playlist that references a URL makes neither ffprobe nor ffmpeg fetch it', async () => {
    const playlist = path.join(dir, 'evidence.m3u8');
    writeFileSync(
      playlist,
      `#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nhttp://127.0.0.1:${port}/segment0.ts\n#EXT-X-ENDLIST\n`,
    );
    const records = await extractMetadata(playlist, 'video');
    expect(records.find((r) => r.tool === 'ffprobe')).toMatchObject({ ok: false });
    expect(await extractVideoFrame(playlist, 1)).toMatchObject({ ok: false });
    const duration = await probeDurationSeconds(playlist);
    expect(typeof duration === 'number' ? duration : 0).toBe(0);
    const copy = await stripMetadataCopy(playlist, 'video', path.join(dir, 'copy.mp4'));
    expect(copy).toMatchObject({ ok: false });
    expect(connections).toBe(0);
  });

  it('truncated and malformed media end as typed failures', async () => {
    const truncated = path.join(dir, 'truncated.mp4');
    writeFileSync(truncated, readFileSync(fx.mp4).subarray(0, 1500));
    const garbage = path.join(dir, 'garbage.mp4');
    writeFileSync(garbage, Buffer.concat([Buffer.from('\0\0\0\x18ftypmp42'), Buffer.alloc(4096, 0xff)]));
    for (const file of [truncated, garbage]) {
      const frame = await extractVideoFrame(file, 1);
      expect(frame.ok, file).toBe(false);
      if (!frame.ok) expect(['decode', 'exit', 'timeout']).toContain(frame.code);
      const copy = await stripMetadataCopy(file, 'video', path.join(dir, `${path.basename(file)}.copy.mp4`));
      expect(copy.ok, file).toBe(false);
      for (const record of await extractMetadata(file, 'video'))
        expect(record.tool).toMatch(/exiftool|ffprobe/);
    }
  });

  it.skipIf(confinementMode() !== 'bubblewrap')(
    'a confined tool has no network and writes only in its output directory',
    async () => {
      const output = path.join(dir, 'output');
      mkdirSync(output);
      const outside = path.join(dir, 'outside.txt');
      const inside = path.join(output, 'inside.txt');
      const wrote = await runTool('ffmpeg', 'sh', ['-c', `touch ${inside}; touch ${outside}; true`], {
        writable: [output],
      });
      expect(wrote.ok).toBe(true);
      expect(existsSync(inside)).toBe(true);
      expect(existsSync(outside)).toBe(false);

      const before = connections;
      const fetched = await runTool('ffmpeg', 'ffmpeg', [
        '-v',
        'error',
        '-i',
        `http://127.0.0.1:${port}/direct.ts`,
        '-f',
        'null',
        '-',
      ]);
      expect(fetched.ok).toBe(false);
      expect(connections).toBe(before);
    },
  );
});
