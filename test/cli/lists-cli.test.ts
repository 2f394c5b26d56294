/** `sviedka lists import` through the real executable on an embedded database (the CLI contract). */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, inject, it } from 'vitest';

const run = promisify(execFile);
const bin = path.resolve('bin/sviedka.js');
const fixtures = path.resolve('test/fixtures/sanctions');

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

describe('sviedka lists import', { timeout: 240_000 }, () => {
  let work: string;
  let data: string;
  beforeAll(() => {
    work = mkdtempSync(path.join(inject('sviedkaTmpRoot'), 'lists-cli-'));
    data = path.join(work, 'data');
  });

  it('imports OFAC CSV files recognized by content, then the same list again unchanged', async () => {
    // Names that say nothing: the files are told apart by their columns.
    const names = ['a.csv', 'b.csv', 'c.csv'];
    for (const [i, source] of ['add.csv', 'sdn.csv', 'alt.csv'].entries())
      copyFileSync(path.join(fixtures, 'ofac', source), path.join(work, names[i]!));
    const files = names.map((name) => path.join(work, name));
    const first = await sviedka([
      '--data',
      data,
      'lists',
      'import',
      '--format',
      'ofac-sdn-csv',
      '--dataset',
      'us-sdn',
      ...files,
    ]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe(
      'us-sdn: 3 designations (2 persons, 1 organization): 3 new, 0 updated, 0 unchanged, 0 ended; skipped 1 vessels\n',
    );
    expect(first.stderr).toContain('Created dataset us-sdn');
    const again = await sviedka([
      '--data',
      data,
      'lists',
      'import',
      '--format',
      'ofac-sdn-csv',
      '--dataset',
      'us-sdn',
      ...files,
    ]);
    expect(again.stdout).toContain('0 new, 0 updated, 3 unchanged, 0 ended');
  });

  it('imports the UK list and refuses a broken file with one line and exit 1', async () => {
    const uk = await sviedka([
      '--data',
      data,
      'lists',
      'import',
      '--format',
      'uk-sanctions-list-xml',
      '--dataset',
      'uk',
      path.join(fixtures, 'uk-sanctions-list.xml'),
    ]);
    expect(uk.code, uk.stderr).toBe(0);
    expect(uk.stdout).toMatch(/^uk: 2 designations \(1 person, 1 organization\): 2 new/);

    const broken = path.join(work, 'broken.xml');
    writeFileSync(broken, '<Designations><Designation><UniqueID>X</UniqueID></Designations>');
    const result = await sviedka([
      '--data',
      data,
      'lists',
      'import',
      '--format',
      'uk-sanctions-list-xml',
      '--dataset',
      'uk2',
      broken,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^sviedka: broken\.xml:1:\d+: .*\(SVD_SANCTIONS_LIST_PARSE\)$/m);
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);

    const unknown = await sviedka([
      '--data',
      data,
      'lists',
      'import',
      '--format',
      'nope',
      '--dataset',
      'x',
      broken,
    ]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('eu-fsf-xml');
  });
});
