/** The `sviedka cases` contract as external checks use it: real processes, a real embedded database. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, inject, it } from 'vitest';

const run = promisify(execFile);
const bin = path.resolve('bin/sviedka.js');

async function sviedka(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      env: process.env,
      timeout: 180_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

it('creates, lists, screens, reports a draft, verifies it and refuses altered and foreign files', {
  timeout: 900_000,
}, async () => {
  const dir = mkdtempSync(path.join(inject('sviedkaTmpRoot'), 'cases-cli-'));
  const data = ['--data', path.join(dir, 'data')];
  const created = await sviedka([
    ...data,
    'cases',
    'create',
    '--requester',
    'Partner NGO',
    '--purpose',
    'Residence permit check',
    '--subject-name',
    'Ігар Мікалаевіч Пятровіч',
    '--subject-name',
    'Igor Petrovich',
    '--birth-date',
    '1979-04',
    '--json',
  ]);
  expect(created.code, created.stderr).toBe(0);
  const json = JSON.parse(created.stdout);
  expect(json).toMatchObject({ status: 'received', requesterOrg: 'Partner NGO' });
  expect(json.subject.names).toEqual(['Ігар Мікалаевіч Пятровіч', 'Igor Petrovich']);
  const id: string = json.id;

  const listed = await sviedka([...data, 'cases', 'list']);
  expect(listed.code).toBe(0);
  expect(listed.stdout).toContain(id);

  const screened = await sviedka([...data, 'cases', 'screen', id]);
  expect(screened.code, screened.stderr).toBe(0);
  expect(screened.stdout).toMatch(/^Screened: \d+ hit/);

  const released = await sviedka([...data, 'cases', 'report', id, '--out', path.join(dir, 'r.pdf')]);
  expect(released.code).not.toBe(0);
  expect(released.stderr.trim().split('\n')).toHaveLength(1);
  expect(released.stderr).toContain('SVD_CASES_NOT_RELEASED');

  const pdf = path.join(dir, 'draft.pdf');
  const report = await sviedka([...data, 'cases', 'report', id, '--out', pdf, '--draft']);
  expect(report.code, report.stderr).toBe(0);
  const bytes = readFileSync(pdf);
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');

  const ok = await sviedka([...data, 'cases', 'verify-report', pdf]);
  expect(ok.code, ok.stderr).toBe(0);
  expect(ok.stdout).toMatch(/DRAFT report of case VR-\d{4}-\w+, version 1/);

  const altered = Buffer.from(bytes);
  altered[altered.length - 300] = altered[altered.length - 300]! ^ 1;
  writeFileSync(path.join(dir, 'altered.pdf'), altered);
  const bad = await sviedka([...data, 'cases', 'verify-report', path.join(dir, 'altered.pdf')]);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toMatch(/^sviedka: NOT VALID: altered\.pdf/);

  writeFileSync(path.join(dir, 'foreign.pdf'), '%PDF-1.7\nnot ours\n');
  const foreign = await sviedka([...data, 'cases', 'verify-report', path.join(dir, 'foreign.pdf')]);
  expect(foreign.code).toBe(1);
  expect(foreign.stderr).toMatch(/not a report issued by this Sviedka instance/);

  const missing = await sviedka([...data, 'cases', 'verify-report', path.join(dir, 'nope.pdf')]);
  expect(missing.code).toBe(1);
  expect(missing.stderr.trim().split('\n')).toHaveLength(1);

  const purge = await sviedka([...data, 'cases', 'purge', '--due']);
  expect(purge.code, purge.stderr).toBe(0);
  expect(purge.stdout).toMatch(/^Erased the subject data of 0 case/);
});
