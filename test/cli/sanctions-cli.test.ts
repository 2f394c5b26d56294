/**
 * `sviedka sanctions list`, `sanctions export` (the CLI contract) and `sanctions evidence-package` through the
 * real executable.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.js';
import { openRuntime } from '../../src/runtime.js';
import { zipEntries } from '../support/zip.js';

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
  let itemSha256: string;
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
      const stored = await runtime.areas.evidence.intake({
        stream: Readable.from([Buffer.from('synthetic witness statement')]),
        fileName: 'statement.txt',
        channel: 'cli',
        actor: system,
      });
      const content = structuredClone(proposal.content);
      content.reasons = [
        {
          text: 'Commanded the unit that detained protesters.',
          links: [{ kind: 'evidence', ref: stored.itemId }],
          confidential: false,
        },
      ];
      await runtime.areas.sanctions.proposals.update(system, proposalId, { content });
      itemSha256 = stored.sha256;
    } finally {
      await runtime.close();
    }
  }, 300_000);

  it('lists proposals with their state per jurisdiction', async () => {
    const result = await sviedka(['--data', data, 'sanctions', 'list']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(`^SVD-0001\t\\d+%\tEU:draft UK:draft\tIhar Zhauranka\t${proposalId}\n$`),
    );
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

  it('packages the evidence a proposal cites through the vault, with its manifest', async () => {
    const out = path.join(work, 'package.zip');
    const result = await sviedka([
      '--data',
      data,
      'sanctions',
      'evidence-package',
      '--proposal',
      proposalId,
      '--out',
      out,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Exported 1 item(s) cited by SVD-0001');
    const entries = zipEntries(readFileSync(out));
    const manifest = [...entries.keys()].find((name) => name.endsWith('manifest-sha256.txt'));
    expect(manifest).toBeDefined();
    expect(
      entries
        .get(manifest ?? '')?.()
        .toString('utf8'),
    ).toContain(itemSha256);

    const missing = await sviedka([
      '--data',
      data,
      'sanctions',
      'evidence-package',
      '--proposal',
      '00000000-0000-4000-8000-000000000000',
      '--out',
      path.join(work, 'none.zip'),
    ]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).not.toContain('    at ');
    expect(existsSync(path.join(work, 'none.zip'))).toBe(false);
  });
});
