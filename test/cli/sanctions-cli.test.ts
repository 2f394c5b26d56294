/** `sviedka sanctions list` and `sanctions export` through the real executable (the CLI contract). */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.js';
import { openRuntime } from '../../src/runtime.js';

const run = promisify(execFile);
const bin = path.resolve('bin/sviedka.js');

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

describe('sviedka sanctions list / export', { timeout: 300_000 }, () => {
  let work: string;
  let data: string;
  let proposalId: string;
  beforeAll(async () => {
    work = mkdtempSync(path.join(inject('sviedkaTmpRoot'), 'sanctions-cli-'));
    data = path.join(work, 'data');
    const runtime = await openRuntime(
      loadConfig({ env: {}, flags: { dataDir: data, logLevel: 'silent', demo: false, workers: false } }),
    );
    try {
      const system = { type: 'system', label: 'test' } as const;
      const registry = runtime.areas.registry.service;
      const dataset = await registry.createDataset(system, {
        name: 'officials',
        title: 'Officials',
        restricted: false,
      });
      await registry.importStream(
        system,
        dataset.id,
        Readable.from([
          `${JSON.stringify({ id: 'cli-person', schema: 'Person', properties: { name: ['Ihar Zhauranka', 'Ігар Жаўранка'], birthDate: ['1978'] } })}\n`,
        ]),
      );
      const proposal = await runtime.areas.sanctions.proposals.create(system, {
        entityId: 'cli-person',
        targets: [
          { jurisdiction: 'EU', programme: 'BLR' },
          { jurisdiction: 'UK', programme: 'The Republic of Belarus' },
        ],
      });
      proposalId = proposal.id;
    } finally {
      await runtime.close();
    }
  }, 300_000);

  it('lists proposals with their state per jurisdiction', async () => {
    const result = await sviedka(['--data', data, 'sanctions', 'list']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`SVD-0001\t25%\tEU:draft UK:draft\tIhar Zhauranka\t${proposalId}\n`);
    const none = await sviedka(['--data', data, 'sanctions', 'list', '--status', 'approved']);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('0 proposals');
  });

  it('exports the UK CSV whole, and refuses an unknown format without leaving a file', async () => {
    const out = path.join(work, 'uk.csv');
    const result = await sviedka([
      '--data',
      data,
      'sanctions',
      'export',
      '--format',
      'uk-sanctions-list-csv',
      '--out',
      out,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`1 proposal to ${out}`);
    const lines = readFileSync(out, 'utf8').trim().split('\r\n');
    expect(lines[0]).toMatch(/^Report Date: /);
    expect(lines[1]).toContain('Unique ID');
    expect(lines.slice(2).every((line) => line.includes('SVD-0001'))).toBe(true);
    expect(lines.some((line) => line.includes('Ігар Жаўранка') && line.includes('Belarusian'))).toBe(true);

    const bad = path.join(work, 'bad.out');
    const refused = await sviedka(['--data', data, 'sanctions', 'export', '--format', 'docx', '--out', bad]);
    expect(refused.code).not.toBe(0);
    expect(existsSync(bad)).toBe(false);
    expect(readdirSync(work).filter((name) => name.includes('.tmp'))).toEqual([]);
  });
});
