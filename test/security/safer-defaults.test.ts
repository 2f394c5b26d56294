/**
 * Safer defaults and honest imports (issue 15, item 12): a server (PostgreSQL, or an address beyond
 * loopback) seeds no demo data unless asked and is warned about a master key inside its data directory;
 * an https public address makes cookies Secure; `evidence import-dir` reports what it skipped; a staff
 * resumable upload to a destination the uploader may not use is refused at creation; a multi-file
 * upload that fails midway says which files were stored.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EvidenceArea } from '../../src/evidence/index.js';
import { keyInsideDataDir, loadConfig } from '../../src/platform/config.js';
import type { Runtime } from '../../src/runtime.js';
import { loggedInClient, useTestApp } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';

const root = path.resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
const temporary = (prefix: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('safer defaults', () => {
  const config = (env: Record<string, string>) =>
    loadConfig({ env: { SVIEDKA_DATA_DIR: '/srv/sviedka', ...env } });

  it('no demo data by default on PostgreSQL or on an address beyond loopback, unless asked for', () => {
    expect(config({}).demo).toBe(true);
    expect(config({ SVIEDKA_HOST: '::1' }).demo).toBe(true);
    expect(config({ DATABASE_URL: 'postgres://db.internal/sviedka' }).demo).toBe(false);
    expect(config({ SVIEDKA_HOST: '0.0.0.0' }).demo).toBe(false);
    expect(config({ SVIEDKA_HOST: '10.1.2.3' }).demo).toBe(false);
    expect(config({ SVIEDKA_HOST: '0.0.0.0', SVIEDKA_DEMO: 'true' }).demo).toBe(true);
    expect(loadConfig({ env: { SVIEDKA_HOST: '0.0.0.0' }, flags: { demo: true } }).demo).toBe(true);
  });

  it('Secure cookies by default when the public address is https', () => {
    expect(config({}).secureCookies).toBe(false);
    expect(config({ SVIEDKA_PUBLIC_URL: 'http://sviedka.test' }).secureCookies).toBe(false);
    expect(config({ SVIEDKA_PUBLIC_URL: 'https://sviedka.example.org' }).secureCookies).toBe(true);
    expect(
      config({ SVIEDKA_PUBLIC_URL: 'https://sviedka.example.org', SVIEDKA_SECURE_COOKIES: 'false' })
        .secureCookies,
    ).toBe(false);
  });

  it('warns about a master key inside the data directory on a server, not on a workstation', () => {
    const server = config({ DATABASE_URL: 'postgres://db.internal/sviedka' });
    expect(keyInsideDataDir(server, '/srv/sviedka/keys/master.key')).toBe(true);
    expect(keyInsideDataDir(server, '/etc/sviedka/master.key')).toBe(false);
    expect(keyInsideDataDir(server, '/srv/sviedka-keys/master.key')).toBe(false);
    // The key from the environment (no file), or the embedded database on loopback: no warning.
    expect(keyInsideDataDir(server, undefined)).toBe(false);
    expect(keyInsideDataDir(config({}), '/srv/sviedka/keys/master.key')).toBe(false);
    expect(keyInsideDataDir(config({ SVIEDKA_HOST: '0.0.0.0' }), '/srv/sviedka/keys/master.key')).toBe(true);
  });
});

describe('evidence import-dir', () => {
  it('reports the symbolic links, FIFOs and unreadable files it skipped', () => {
    const seized = temporary('svd-seized-');
    mkdirSync(path.join(seized, 'docs'));
    writeFileSync(path.join(seized, 'docs', 'readme.txt'), 'a regular file of the seized disk\n');
    symlinkSync('/etc/hostname', path.join(seized, 'docs', 'link-out'));
    execFileSync('mkfifo', [path.join(seized, 'pipe')]);
    const unreadable = process.getuid?.() !== 0;
    if (unreadable) writeFileSync(path.join(seized, 'secret.bin'), 'x', { mode: 0o000 });
    const data = temporary('svd-import-data-');
    const run = (json: boolean) =>
      spawnSync(
        'node',
        [
          path.join(root, 'bin', 'sviedka.js'),
          '--data',
          data,
          'evidence',
          'import-dir',
          seized,
          '--source',
          'test disk',
          '--no-process',
          ...(json ? ['--json'] : []),
        ],
        {
          encoding: 'utf8',
          env: { ...process.env, SVIEDKA_LOG_LEVEL: 'warn', DATABASE_URL: '' },
          timeout: 180_000,
        },
      );
    const text = run(false);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toContain('skipped  docs/link-out  (symbolic link (not followed))');
    expect(text.stdout).toContain('skipped  pipe  (FIFO)');
    if (unreadable) expect(text.stdout).toMatch(/skipped {2}secret\.bin {2}\(unreadable/);
    const skippedCount = unreadable ? 3 : 2;
    expect(text.stdout).toContain(
      `Imported 1 file(s), 0 already stored, ${skippedCount} skipped (listed above).`,
    );

    const json = run(true);
    expect(json.status, json.stderr).toBe(0);
    const lines = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.filter((line) => 'skipped' in line)).toEqual(
      expect.arrayContaining([
        { skipped: 'docs/link-out', reason: 'symbolic link (not followed)' },
        { skipped: 'pipe', reason: 'FIFO' },
      ]),
    );
    expect(lines.find((line) => 'id' in line)).toMatchObject({
      relativePath: 'docs/readme.txt',
      duplicate: true,
    });
  }, 400_000);
});

describeEachDatabase('staff uploads are refused early and report what was stored', (ctx) => {
  const t = useTestApp(ctx);
  const evidenceOf = (runtime: Runtime) => (runtime.areas as unknown as { evidence: EvidenceArea }).evidence;
  const metadata = (fields: Record<string, string>) =>
    Object.entries(fields)
      .map(([name, value]) => `${name} ${Buffer.from(value).toString('base64')}`)
      .join(',');

  it('a resumable upload into a collection or incident the uploader may not use is refused at creation', async () => {
    const analyst = await loggedInClient(t, 'analyst');
    const staff = { cookie: analyst.cookie, 'x-csrf-token': analyst.csrf, 'tus-resumable': '1.0.0' };
    const restricted = await evidenceOf(t.runtime).compartments.find('Citizen submissions');
    const create = (fields: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/api/evidence/tus',
        headers: { ...staff, 'upload-length': '1000000', 'upload-metadata': metadata(fields) },
      });
    for (const fields of [
      { filename: 'a.mp4', collectionId: restricted!.id } as Record<string, string>,
      { filename: 'a.mp4', incidentId: '00000000-0000-4000-8000-000000000000' },
    ]) {
      const refused = await create(fields);
      expect(refused.statusCode).toBe(404);
      expect(refused.json().error.code).toBe('SVD_HTTP_NOT_FOUND');
      expect(refused.headers.location).toBeUndefined();
    }
    const allowed = await create({ filename: 'a.mp4' });
    expect(allowed.statusCode).toBe(201);
    const denial = await t.runtime.audit.list({ action: 'evidence.intake', outcome: 'denied', limit: 5 });
    expect(denial.length).toBeGreaterThan(0);
  });

  it('a multi-file upload that fails midway says which files were stored and which failed', async () => {
    const analyst = await loggedInClient(t, 'analyst');
    const service = evidenceOf(t.runtime).intakeService;
    const saved = service.options.maxBytes;
    (service.options as { maxBytes: number }).maxBytes = 1000;
    try {
      const boundary = 'b';
      const file = (name: string, bytes: number) =>
        `Content-Disposition: form-data; name="files"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n${'x'.repeat(bytes)}`;
      const body = [
        `--${boundary}\r\n${file('first.bin', 10)}`,
        file('second.bin', 20),
        file('too-large.bin', 5000),
        file('never.bin', 30),
      ].join(`\r\n--${boundary}\r\n`);
      const answer = await t.app.inject({
        method: 'POST',
        url: '/api/evidence/upload',
        headers: {
          cookie: analyst.cookie,
          'x-csrf-token': analyst.csrf,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
        payload: `${body}\r\n--${boundary}--\r\n`,
      });
      expect(answer.statusCode).toBe(413);
      const error = answer.json().error;
      expect(error.code).toBe('SVD_BLOB_TOO_LARGE');
      expect(error.details.failedFile).toBe('too-large.bin');
      expect(error.details.stored.map((item: { fileName: string }) => item.fileName)).toEqual([
        'first.bin',
        'second.bin',
      ]);
      expect(error.details.stored[0].itemId).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      (service.options as { maxBytes: number }).maxBytes = saved;
    }
  });
});
