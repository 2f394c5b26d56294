/**
 * The xref command-line contract through the real executable on an embedded database:
 * `xref run --dataset A [--against B] [--threshold T] [--out FILE]`, `xref decide`, `resolver export`,
 * `resolver import` — names, flags, exit codes and output shapes as external checks use them.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, inject, it } from 'vitest';

const run = promisify(execFile);
const bin = path.resolve('bin/sviedka.js');

async function sviedka(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      env: { ...process.env, SVIEDKA_LOG_LEVEL: 'warn' },
      timeout: 240_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const registry = [
  {
    id: 'r-nav',
    name: ['Навумаў Уладзімір Уладзіміравіч'],
    birthDate: ['1956-02-07'],
    idNumber: ['3070256A012PB4'],
  },
  { id: 'r-kav', name: ['Кавалёў Сяргей Іванавіч', 'Ковалёв Сергей Иванович'], birthDate: ['1970-05-05'] },
  { id: 'r-sha', name: ['Шаршнёва Вольга Мікалаеўна'], birthDate: ['1981-11-30'] },
  { id: 'r-dzm', name: ['Дзмітрыеў Ігар Пятровіч'], birthDate: ['1962'] },
];
const list = [
  { id: 'l-1', name: ['NAUMOV Vladimir Vladimirovich'], birthDate: ['1956-02-07'] },
  { id: 'l-2', name: ['Kavaliou Siarhei'], birthDate: ['1970'] },
  { id: 'l-3', name: ['Ольга Николаевна Шаршнёва'], birthDate: ['1981-11-30'] },
  { id: 'l-4', name: ['Navumau Uladzimir'], passportNumber: ['MP1234567'], idNumber: ['3070256A012PB4'] },
  { id: 'l-5', name: ['Petrov Petr Petrovich'], birthDate: ['1990-01-01'] },
];
const ftm = (rows: Array<{ id: string } & Record<string, unknown>>) =>
  rows.map(({ id, ...properties }) => JSON.stringify({ id, schema: 'Person', properties })).join('\n');

describe('sviedka xref / resolver', () => {
  let work: string;
  let data: string;
  beforeAll(async () => {
    work = mkdtempSync(path.join(inject('sviedkaTmpRoot'), 'xref-cli-'));
    data = path.join(work, 'data');
    writeFileSync(path.join(work, 'registry.jsonl'), ftm(registry));
    writeFileSync(path.join(work, 'list.jsonl'), ftm(list));
    for (const [dataset, file] of [
      ['xref-registry', 'registry.jsonl'],
      ['xref-list', 'list.jsonl'],
    ]) {
      const imported = await sviedka([
        '--data',
        data,
        'import',
        '--dataset',
        dataset!,
        path.join(work, file!),
      ]);
      expect(imported.code, imported.stderr).toBe(0);
    }
  }, 300_000);

  it('xref run writes every suggested pair as a JSON line, left in A and right in B; a re-run reuses', async () => {
    const out = path.join(work, 'pairs.jsonl');
    const result = await sviedka([
      '--data',
      data,
      'xref',
      'run',
      '--dataset',
      'xref-list',
      '--against',
      'xref-registry',
      '--out',
      out,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Xref xref-list against xref-registry');
    const pairs = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    for (const pair of pairs) {
      expect(Object.keys(pair).sort()).toEqual(['explanations', 'left', 'match', 'right', 'score']);
      expect(pair.left).toMatch(/^l-/);
      expect(pair.right).toMatch(/^r-/);
      expect(pair.score).toBeGreaterThanOrEqual(0);
      expect(pair.score).toBeLessThanOrEqual(1);
      expect(pair.match).toBe(pair.score >= 0.7);
      expect(Array.isArray(pair.explanations)).toBe(true);
    }
    const matched = pairs.filter((p) => p.match).map((p) => `${p.left}=${p.right}`);
    expect(matched).toEqual(expect.arrayContaining(['l-1=r-nav', 'l-2=r-kav', 'l-3=r-sha', 'l-4=r-nav']));
    expect(matched.some((m) => m.startsWith('l-5='))).toBe(false);

    const again = await sviedka([
      '--data',
      data,
      'xref',
      'run',
      '--dataset',
      'xref-list',
      '--threshold',
      '0.99',
    ]);
    expect(again.code, again.stderr).toBe(0);
  }, 300_000);

  it('xref decide records a judgement the next run respects; bad input is one coded line', async () => {
    const decided = await sviedka([
      '--data',
      data,
      'xref',
      'decide',
      'l-2',
      'r-kav',
      'negative',
      '--reason',
      'other man',
    ]);
    expect(decided.code, decided.stderr).toBe(0);
    const self = await sviedka(['--data', data, 'xref', 'decide', 'l-2', 'l-2', 'positive']);
    expect(self.code).toBe(1);
    expect(self.stderr).toMatch(/SVD_XREF_SELF_PAIR/);
    const unknown = await sviedka(['--data', data, 'xref', 'decide', 'l-2', 'nobody', 'positive']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/SVD_HTTP_NOT_FOUND/);

    const out = path.join(work, 'pairs2.jsonl');
    const rerun = await sviedka([
      '--data',
      data,
      'xref',
      'run',
      '--dataset',
      'xref-list',
      '--against',
      'xref-registry',
      '--out',
      out,
    ]);
    expect(rerun.code, rerun.stderr).toBe(0);
    const pairs = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(pairs.some((p) => p.left === 'l-2' && p.right === 'r-kav')).toBe(false);
  }, 300_000);

  it('resolver export writes nomenklatura lines; import reports a bad line by number and exits 2', async () => {
    const exported = path.join(work, 'judgements.ijson');
    const result = await sviedka(['--data', data, 'resolver', 'export', '--out', exported]);
    expect(result.code, result.stderr).toBe(0);
    const rows = readFileSync(exported, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rows).toContainEqual([
      'r-kav',
      'l-2',
      'negative',
      null,
      expect.stringMatching(/^cli:/),
      expect.any(String),
    ]);

    const input = path.join(work, 'incoming.ijson');
    writeFileSync(
      input,
      `${JSON.stringify(['l-3', 'r-sha', 'positive', null, 'editor', '2024-01-01T00:00:00'])}\nnot json\n`,
    );
    const imported = await sviedka(['--data', data, 'resolver', 'import', input]);
    expect(imported.code).toBe(2);
    expect(imported.stderr).toContain('incoming.ijson: line 2:');
    expect(imported.stdout).toContain('Imported 1 judgements');

    // The imported decision merges l-3 and r-sha: the merged export writes them once, with referents.
    const merged = path.join(work, 'merged.ftm.jsonl');
    const exportedMerged = await sviedka([
      '--data',
      data,
      'export',
      '--dataset',
      'xref-list',
      '--merged',
      '--out',
      merged,
    ]);
    expect(exportedMerged.code, exportedMerged.stderr).toBe(0);
    const entities = readFileSync(merged, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const person = entities.find((e) => e.referents?.includes('l-3'));
    expect(person).toMatchObject({ id: expect.stringMatching(/^sv-/), referents: ['l-3', 'r-sha'] });
    expect(entities.some((e) => e.id === 'l-3')).toBe(false);
    expect(entities.some((e) => e.id === 'l-2' && e.referents === undefined)).toBe(true);
  }, 300_000);
});
