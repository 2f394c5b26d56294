/** `sviedka import` / `export` through the real executable on an embedded database. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, inject, it } from 'vitest';

const run = promisify(execFile);
const bin = path.resolve('bin/sviedka.js');
const fixtures = path.resolve('test/fixtures/registry');

async function sviedka(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      env: { ...process.env, SVIEDKA_LOG_LEVEL: 'warn' },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

// Each command starts a process and opens the embedded database (seconds each on a busy machine).
describe('sviedka import / export', { timeout: 180_000 }, () => {
  let work: string;
  let data: string;
  beforeAll(() => {
    work = mkdtempSync(path.join(inject('sviedkaTmpRoot'), 'registry-cli-'));
    data = path.join(work, 'data');
  });

  it('imports a file with a rejects file, a summary line and plain progress lines; exit code 2', async () => {
    const input = path.join(work, 'mixed.jsonl');
    writeFileSync(input, readFileSync(path.join(fixtures, 'mixed.ftm.jsonl')));
    const result = await sviedka([
      '--data',
      data,
      'import',
      '--dataset',
      'cli-demo',
      '--title',
      'CLI demo',
      '--licence',
      'CC0',
      input,
    ]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toBe(
      `cli-demo: imported 3, unchanged 0, rejected 10 (see ${input}.rejects.jsonl)\n`,
    );
    // Not a terminal: plain progress lines, no bar escape codes.
    expect(result.stderr).toMatch(/^Importing mixed\.jsonl: \d+\/\d+ \(\d+\/s\)$/m);
    expect(result.stderr).not.toContain('\u001b[');
    expect(result.stderr).toContain('Created dataset cli-demo');
    const rejects = readFileSync(`${input}.rejects.jsonl`, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rejects.map((r) => r.line)).toEqual([2, 3, 4, 5, 6, 7, 10, 11, 12, 13]);
    expect(rejects[2]).toMatchObject({ code: 'SVD_REGISTRY_BAD_DATE' });
    // No temporary files are left behind.
    expect(readdirSync(work).filter((name) => name.includes('.tmp'))).toEqual([]);
  });

  it('re-imports idempotently with exit 0, exports to a file and to stdout, and round-trips', async () => {
    const input = path.join(work, 'valid.jsonl');
    writeFileSync(
      input,
      readFileSync(path.join(fixtures, 'valid.ftm.jsonl'), 'utf8').replaceAll('"fx-', '"cv-'),
    );
    const first = await sviedka(['--data', data, 'import', '--dataset', 'cli-valid', input]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe('cli-valid: imported 10, unchanged 0, rejected 0\n');
    expect(existsSync(`${input}.rejects.jsonl`)).toBe(false);
    const again = await sviedka(['--data', data, 'import', '--dataset', 'cli-valid', input]);
    expect(again.stdout).toBe('cli-valid: imported 0, unchanged 10, rejected 0\n');

    const out = path.join(work, 'export.jsonl');
    const exported = await sviedka(['--data', data, 'export', '--dataset', 'cli-valid', '--out', out]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toContain('cli-valid: exported 10 entities');
    const parse = (text: string) =>
      text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line))
        .sort((a, b) => a.id.localeCompare(b.id));
    // The only difference: country codes are stored lower-case (the fixture has "BY").
    expect(parse(readFileSync(out, 'utf8'))).toEqual(
      parse(readFileSync(input, 'utf8').replace('"BY"', '"by"')),
    );
    const stdout = await sviedka(['--data', data, 'export', '--dataset', 'cli-valid']);
    expect(stdout.code).toBe(0);
    expect(stdout.stdout).toBe(readFileSync(out, 'utf8'));
    const back = await sviedka(['--data', data, 'import', '--dataset', 'cli-valid', out]);
    expect(back.stdout).toBe('cli-valid: imported 0, unchanged 10, rejected 0\n');
  });

  it('stops with one coded line on a missing file or an unknown dataset', async () => {
    const missing = await sviedka([
      '--data',
      data,
      'import',
      '--dataset',
      'x',
      path.join(work, 'nope.jsonl'),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/SVD_REGISTRY_FILE/);
    const unknown = await sviedka(['--data', data, 'export', '--dataset', 'no-such-dataset']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^sviedka: No dataset named no-such-dataset\. \(SVD_HTTP_NOT_FOUND\)$/m);
    const badName = await sviedka([
      '--data',
      data,
      'import',
      '--dataset',
      'Bad Name!',
      path.join(fixtures, 'valid.ftm.jsonl'),
    ]);
    expect(badName.code).toBe(1);
    expect(badName.stderr).toMatch(/SVD_HTTP_VALIDATION/);
  });
});
