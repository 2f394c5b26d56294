/** `sviedka screen` through the real executable on an embedded database (one data dir for the file). */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, inject, it } from 'vitest';

const run = promisify(execFile);
const bin = path.resolve('bin/sviedka.js');

async function sviedka(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      env: { ...process.env, SVIEDKA_LOG_LEVEL: 'warn' },
      timeout: 120_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const people = [
  {
    id: 'cli-luk',
    schema: 'Person',
    properties: {
      name: ['Лукашэнка Аляксандр Рыгоравіч', 'Лукашенко Александр Григорьевич'],
      birthDate: ['1954-08-30'],
    },
  },
  { id: 'cli-nav', schema: 'Person', properties: { name: ['Навумаў Уладзімір Уладзіміравіч'] } },
];

describe('sviedka screen', () => {
  let work: string;
  let data: string;
  beforeAll(async () => {
    work = mkdtempSync(path.join(inject('sviedkaTmpRoot'), 'screening-cli-'));
    data = path.join(work, 'data');
    const input = path.join(work, 'people.jsonl');
    writeFileSync(input, people.map((p) => JSON.stringify(p)).join('\n'));
    const imported = await sviedka(['--data', data, 'import', '--dataset', 'cli-screen', input]);
    expect(imported.code, imported.stderr).toBe(0);
  }, 120_000);

  it('JSONL: one output line per input line, in order, bad lines carry their error', async () => {
    const input = path.join(work, 'queries.jsonl');
    const bad = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    writeFileSync(
      input,
      Buffer.concat([
        Buffer.from(
          [
            JSON.stringify({
              id: 'q1',
              properties: { name: ['Aliaksandr Ryhoravich LUKASHENKA'], birthDate: ['1954'] },
            }),
            'this is not json',
            JSON.stringify({ id: 'q3', properties: { name: ['   '] } }),
            JSON.stringify({
              id: 'q4',
              properties: { name: ['Naumov Vladimir'], birthDate: ['1975-13-45'] },
            }),
            JSON.stringify({ id: 'q5', properties: { name: ['x'.repeat(10_000)] } }),
            '',
          ].join('\n'),
        ),
        bad,
        Buffer.from(`\n${JSON.stringify({ id: 'q7', properties: { name: ['Naumov Vladimir'] } })}\n`),
      ]),
    );
    const result = await sviedka([
      '--data',
      data,
      'screen',
      '--dataset',
      'cli-screen',
      '--format',
      'jsonl',
      '--limit',
      '2',
      input,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['q1', 'line-2', 'q3', 'q4', 'q5', 'line-6', 'q7']);
    expect(lines[0].results[0]).toMatchObject({ id: 'cli-luk', match: true, datasets: ['cli-screen'] });
    expect(lines[0].results.length).toBeLessThanOrEqual(2);
    expect(lines.map((l) => l.error?.code ?? null)).toEqual([
      null,
      'SVD_SCREENING_BAD_JSON',
      'SVD_SCREENING_NAME_EMPTY',
      'SVD_SCREENING_DATE_INVALID',
      'SVD_SCREENING_NAME_TOO_LONG',
      'SVD_SCREENING_BAD_UTF8',
      null,
    ]);
    expect(lines[6].results[0].id).toBe('cli-nav');
    expect(result.stderr).toContain('Screened 7 queries');
  });

  it('CSV: one row per (query, result), extra columns kept, written atomically with --out', async () => {
    const input = path.join(work, 'queries.csv');
    writeFileSync(
      input,
      'id,name,birth_date,gender,nationality,case_ref\nc1,"LUKASHENKO, Alexander",1954-08-30,male,by,K-1\nc2,,,,,K-2\n',
    );
    const out = path.join(work, 'out', 'results.csv');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.dirname(out), { recursive: true });
    const result = await sviedka([
      '--data',
      data,
      'screen',
      '--dataset',
      'cli-screen',
      '--format',
      'csv',
      '--threshold',
      '0.8',
      input,
      '--out',
      out,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    const rows = readFileSync(out, 'utf8').trim().split('\n');
    expect(rows[0]).toBe(
      'query_id,case_ref,rank,result_id,caption,score,match,datasets,matched_name,rules,error_code,error_message',
    );
    expect(rows[1]).toMatch(/^c1,K-1,1,cli-luk,/);
    expect(rows.find((r) => r.startsWith('c2,K-2'))).toContain('SVD_SCREENING_NAME_EMPTY');
    expect(readdirSync(path.dirname(out))).toEqual(['results.csv']);
  });

  it('a CSV without the required columns fails with one clear error and no output file', async () => {
    const input = path.join(work, 'bad.csv');
    writeFileSync(input, 'ident,fullname\n1,x\n');
    const out = path.join(work, 'bad-out.csv');
    const result = await sviedka([
      '--data',
      data,
      'screen',
      '--dataset',
      'cli-screen',
      '--format',
      'csv',
      input,
      '--out',
      out,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('SVD_SCREENING_CSV_COLUMNS');
    expect(result.stderr).not.toContain('    at ');
    expect(existsSync(out)).toBe(false);
  });

  it('an unknown dataset or a missing file is a clear error', async () => {
    const input = path.join(work, 'queries.jsonl');
    const unknown = await sviedka([
      '--data',
      data,
      'screen',
      '--dataset',
      'nope',
      '--format',
      'jsonl',
      input,
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('SVD_HTTP_NOT_FOUND');
    const missing = await sviedka([
      '--data',
      data,
      'screen',
      '--dataset',
      'cli-screen',
      '--format',
      'jsonl',
      path.join(work, 'none.jsonl'),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('SVD_SCREENING_INPUT');
  });
});
