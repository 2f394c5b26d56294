import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExiftoolPool, ExiftoolProcess } from './exiftool-process.js';
import { tempDir } from './test-helpers.js';

const dir = tempDir('exiftool-process');

/**
 * A stand-in for exiftool that speaks the stay-open protocol: it echoes `say:` arguments, hangs on
 * `hang` and dies on `crash`, so failures can be provoked on demand.
 */
const fake = join(dir, 'fake-exiftool.sh');
writeFileSync(
  fake,
  `#!/bin/sh
out=; mode=
while IFS= read -r line; do
  case "$line" in
    -execute*) n=\${line#-execute}
      if [ "$mode" = hang ]; then exec sleep 30; fi
      if [ "$mode" = crash ]; then echo "fake exiftool: dying" >&2; exit 3; fi
      printf '%s\\n' "$out"; printf '{ready%s}\\n' "$n"; printf 'note\\n{ready%s}\\n' "$n" >&2; out=; mode=;;
    hang) mode=hang;;
    crash) mode=crash;;
    say:*) out="$out\${line#say:}";;
  esac
done
`,
);
chmodSync(fake, 0o755);

const images: string[] = [];
beforeAll(async () => {
  for (let i = 0; i < 6; i++) {
    const file = join(dir, `image-${i}.jpg`);
    await sharp({ create: { width: 10 + i, height: 7, channels: 3, background: '#806040' } })
      .jpeg()
      .toFile(file);
    images.push(file);
  }
});

function widthOf(result: Awaited<ReturnType<ExiftoolProcess['run']>>): unknown {
  if (!result.ok) throw new Error(result.message);
  return (JSON.parse(result.stdout.toString('utf8')) as Array<Record<string, unknown>>)[0]?.[
    'File:ImageWidth'
  ];
}

const ARGS = ['-json', '-n', '-G1', '-File:ImageWidth'];

describe('ExiftoolProcess (real exiftool)', () => {
  const pool = new ExiftoolPool(2, { idleMs: 60_000 });
  afterAll(() => pool.close());

  it('answers many concurrent commands from a pool of two, each with its own file', async () => {
    const runs = Array.from({ length: 30 }, (_, i) => i % images.length);
    const results = await Promise.all(runs.map((i) => pool.run([...ARGS, images[i]!])));
    expect(results.map(widthOf)).toEqual(runs.map((i) => 10 + i));
  });

  it('reports a file exiftool cannot read on stderr and keeps going', async () => {
    const r = await pool.run(['-json', join(dir, 'no-such-file.jpg')]);
    expect(r.ok).toBe(true);
    expect(r.ok && r.stderr).toMatch(/not found/i);
    expect(r.ok && r.stderr).not.toMatch(/ready/);
    expect(widthOf(await pool.run([...ARGS, images[0]!]))).toBe(10);
  });

  it('starts a new process after the old one was killed between commands', async () => {
    const one = new ExiftoolProcess();
    try {
      expect(widthOf(await one.run([...ARGS, images[1]!]))).toBe(11);
      const pid = one.pid!;
      process.kill(pid, 'SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(widthOf(await one.run([...ARGS, images[2]!]))).toBe(12);
      expect(one.pid).not.toBe(pid);
      expect(one.starts).toBe(2);
    } finally {
      await one.close();
    }
  });
});

describe('ExiftoolProcess (failures, with a stand-in program)', () => {
  it('round-trips the protocol and separates stderr', async () => {
    const p = new ExiftoolProcess({ command: fake });
    try {
      const r = await p.run(['say:hello', 'say:-world']);
      expect(r).toMatchObject({ ok: true, stderr: 'note' });
      expect(r.ok && r.stdout.toString()).toBe('hello-world\n');
    } finally {
      await p.close();
    }
  });

  it('a crash fails only the command in flight; the queue goes on in a new process', async () => {
    const p = new ExiftoolProcess({ command: fake });
    try {
      const results = await Promise.all([p.run(['say:a']), p.run(['crash']), p.run(['say:b'])]);
      expect(results[0]).toMatchObject({ ok: true });
      expect(results[1]).toMatchObject({ ok: false, tool: 'exiftool', code: 'exit' });
      expect(!results[1].ok && results[1].message).toMatch(/dying/);
      expect(results[2].ok && results[2].stdout.toString()).toBe('b\n');
      expect(p.starts).toBe(2);
    } finally {
      await p.close();
    }
  });

  it('kills a command that runs past its timeout and restarts for the next one', async () => {
    const p = new ExiftoolProcess({ command: fake, timeoutMs: 10_000 });
    try {
      const t0 = Date.now();
      const [hung, next] = await Promise.all([p.run(['hang'], { timeoutMs: 300 }), p.run(['say:after'])]);
      expect(hung).toMatchObject({ ok: false, code: 'timeout' });
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(next.ok && next.stdout.toString()).toBe('after\n');
      expect(p.starts).toBe(2);
    } finally {
      await p.close();
    }
  });

  it('refuses arguments with line breaks, reports a missing program, and fails the queue on close', async () => {
    const p = new ExiftoolProcess({ command: fake });
    await expect(p.run(['say:a\n-b'])).resolves.toMatchObject({ ok: false, code: 'unsupported' });
    const missing = new ExiftoolProcess({ command: join(dir, 'no-such-program') });
    await expect(missing.run(['-ver'])).resolves.toMatchObject({ ok: false, code: 'missing-tool' });
    await missing.close();
    const pending = [p.run(['hang']), p.run(['say:never'])];
    await new Promise((resolve) => setTimeout(resolve, 100));
    await p.close();
    const [first, second] = await Promise.all(pending);
    expect(first).toMatchObject({ ok: false });
    expect(second).toMatchObject({ ok: false, code: 'exit' });
    await expect(p.run(['say:late'])).resolves.toMatchObject({ ok: false, code: 'exit' });
  });
});
