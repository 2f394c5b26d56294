import { describe, expect, it } from 'vitest';
import { runTool } from './run-tool.js';
import { toolVersions } from './tool-versions.js';

describe('runTool', () => {
  it('returns output of a successful run', async () => {
    const r = await runTool('exiftool', 'exiftool', ['-ver']);
    expect(r.ok && r.stdout.toString().trim()).toMatch(/^\d+\.\d+/);
  });

  it('reports a missing program as a typed failure', async () => {
    await expect(runTool('ffmpeg', 'sviedka-no-such-program', [])).resolves.toMatchObject({
      ok: false,
      tool: 'ffmpeg',
      code: 'missing-tool',
    });
  });

  it('kills a program that runs too long', async () => {
    const t0 = Date.now();
    await expect(runTool('ffmpeg', 'sleep', ['5'], { timeoutMs: 200 })).resolves.toMatchObject({
      ok: false,
      code: 'timeout',
    });
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('reports a non-zero exit with stderr, or passes it through when allowed', async () => {
    const r = await runTool('ffprobe', 'sh', ['-c', 'echo boom >&2; exit 3']);
    expect(r).toMatchObject({ ok: false, code: 'exit' });
    expect(!r.ok && r.message).toMatch(/boom/);
    await expect(
      runTool('exiftool', 'sh', ['-c', 'echo out; exit 1'], { allowNonZero: true }),
    ).resolves.toMatchObject({ ok: true, exitCode: 1 });
  });

  it('never passes arguments through a shell', async () => {
    const r = await runTool('exiftool', 'echo', ['$(id)', '; ls']);
    expect(r.ok && r.stdout.toString().trim()).toBe('$(id) ; ls');
  });
});

describe('toolVersions', () => {
  it('names every tool and caches the answer', async () => {
    const v = await toolVersions();
    expect(v.exiftool).toMatch(/^\d+\.\d+/);
    expect(v.ffprobe).toBeTruthy();
    expect(v.ffmpeg).toBe(v.ffprobe);
    expect(v.sharp).toMatch(/^\d+\.\d+\.\d+/);
    expect(v.libvips).toMatch(/^\d+\.\d+\.\d+/);
    expect(await toolVersions()).toBe(v);
  });
});
