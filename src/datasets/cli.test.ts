/** `sviedka import --mapping` through the real executable on an embedded database. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { encodeSingleByte, personnelCsv, personnelMapping } from '../../test/support/datasets-fixtures.js';

const run = promisify(execFile);
const bin = path.resolve('bin/sviedka.js');

async function sviedka(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      env: { ...process.env, SVIEDKA_LOG_LEVEL: 'warn' },
      timeout: 170_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

// Each command starts a process and opens the embedded database (seconds each on a busy machine).
describe('sviedka import --mapping', { timeout: 180_000 }, () => {
  let work: string;
  let data: string;
  let mapping: string;
  let csv: string;
  beforeAll(() => {
    work = mkdtempSync(path.join(inject('sviedkaTmpRoot'), 'datasets-cli-'));
    data = path.join(work, 'data');
    mapping = path.join(work, 'personnel.yml');
    csv = path.join(work, 'roster-2020.csv');
    writeFileSync(mapping, personnelMapping('csv_url: not-this-one.csv'));
    const rows = personnelCsv(['5;Ragged;row', '6;Бадзей;Пётр;Ігаравіч;31.02.1981;м;U1;ОМОН;радавы;2021;']);
    writeFileSync(csv, encodeSingleByte(rows, 'windows-1251'));
  });

  it('dry run: FtM JSON lines on stdout, the summary on stderr, nothing written', async () => {
    const result = await sviedka([
      '--data',
      data,
      'import',
      '--dataset',
      'roster',
      '--mapping',
      mapping,
      '--source',
      csv,
      '--dry-run',
      '--limit',
      '2',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const entities = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(entities.map((e) => e.schema).sort()).toEqual([
      'Occupancy',
      'Occupancy',
      'Person',
      'Person',
      'Position',
      'Position',
      'PublicBody',
    ]);
    expect(
      entities.find((e) => e.schema === 'Person' && e.properties.lastName[0] === 'Шчэрбач').properties
        .birthDate,
    ).toEqual(['1975-12-31']);
    expect(result.stderr).toMatch(
      /^roster: rows read 2, entities 7 \(dry run: nothing written\), rows rejected 0, time \d+\.\d s$/m,
    );
    expect(result.stderr).not.toContain('Created dataset');
  });

  it('imports with progress on stderr, the summary on stdout and rejected rows in a rejects file (exit 2)', async () => {
    const result = await sviedka([
      '--data',
      data,
      'import',
      '--dataset',
      'roster',
      '--mapping',
      mapping,
      '--source',
      csv,
    ]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toMatch(
      new RegExp(
        `^roster: rows read 6, entities written 13, unchanged 0, rows rejected 2 \\(see ${csv.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\.rejects\\.jsonl\\), time \\d+\\.\\d s\\n$`,
      ),
    );
    expect(result.stderr).toMatch(/^Reading roster-2020\.csv: \d+\/\d+ \(\d+\/s\)$/m);
    const rejects = readFileSync(`${csv}.rejects.jsonl`, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rejects).toEqual([
      expect.objectContaining({ line: 7, code: 'SVD_DATASETS_RAGGED_ROW', source: 'roster-2020.csv' }),
      expect.objectContaining({ line: 8, code: 'SVD_DATASETS_BAD_VALUE', column: 'born' }),
    ]);
  });

  it('refuses a bad mapping with file:line problems and creates nothing (exit 1)', async () => {
    const bad = path.join(work, 'bad.yml');
    writeFileSync(
      bad,
      personnelMapping('csv_url: x.csv').replace('key_literal: person', 'key_litteral: person'),
    );
    const result = await sviedka([
      '--data',
      data,
      'import',
      '--dataset',
      'never-made',
      '--mapping',
      bad,
      '--source',
      csv,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^sviedka: bad\.yml:15: entity "person": unknown key "key_litteral"/m);
    expect(result.stderr).toContain('SVD_DATASETS_BAD_MAPPING');
    expect(existsSync(path.join(work, 'bad.yml.rejects.jsonl'))).toBe(false);
    const exported = await sviedka(['--data', data, 'export', '--dataset', 'never-made']);
    expect(exported.stderr).toMatch(/No dataset named never-made/);
  });
});
