/** The `sviedka` executable as an operator uses it: real process, real embedded database. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { describe, expect, inject, it } from 'vitest';
import { openPglite } from '../../src/platform/db/database.js';

const run = promisify(execFile);
const bin = path.resolve('bin/sviedka.js');

async function sviedka(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      env: { ...process.env, ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('sviedka CLI', () => {
  const dataDir = () => path.join(inject('sviedkaTmpRoot'), 'cli-data');
  mkdtempSync(path.join(inject('sviedkaTmpRoot'), 'cli-'));

  it('explains itself with --help on every command', async () => {
    const root = await sviedka(['--help']);
    expect(root.code).toBe(0);
    for (const command of ['serve', 'migrate', 'user', 'apikey', 'audit', 'keys'])
      expect(root.stdout).toContain(command);
    const user = await sviedka(['user', '--help']);
    for (const sub of ['create', 'list', 'disable', 'reset-2fa']) expect(user.stdout).toContain(sub);
  });

  it('stops with one clear line on a bad setting or an unknown command', async () => {
    const bad = await sviedka(['--data', dataDir(), 'migrate'], { SVIEDKA_LOG_LEVEL: 'loud' });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^sviedka: invalid setting logLevel \(SVIEDKA_LOG_LEVEL/);
    const unknown = await sviedka(['frobnicate']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/unknown command/);
  });

  it('migrates, manages users and keys, verifies the audit chain and names a tampered row', async () => {
    const data = dataDir();
    const migrated = await sviedka(['--data', data, 'migrate']);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout).toMatch(/Applied migrations: 1|up to date/);

    const created = await sviedka([
      '--data',
      data,
      'user',
      'create',
      'alesia',
      '--role',
      'analyst',
      '--name',
      'Alesia Test',
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/One-time password: [a-z0-9-]{23}/);
    const duplicate = await sviedka(['--data', data, 'user', 'create', 'alesia', '--role', 'analyst']);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toMatch(/already exists\. \(SVD_AUTH_USER_EXISTS\)/);
    const badRole = await sviedka(['--data', data, 'user', 'create', 'x1', '--role', 'king']);
    expect(badRole.code).not.toBe(0);

    const list = await sviedka(['--data', data, 'user', 'list']);
    expect(list.stdout).toMatch(/alesia\s+analyst/);
    expect((await sviedka(['--data', data, 'user', 'disable', 'alesia'])).code).toBe(0);
    expect((await sviedka(['--data', data, 'user', 'list', '--json'])).stdout).toContain('"disabled": true');

    const key = await sviedka([
      '--data',
      data,
      'apikey',
      'create',
      '--name',
      'screening',
      '--org',
      'Partner',
      '--scopes',
      'screening',
    ]);
    expect(key.code, key.stderr).toBe(0);
    expect(key.stdout).toMatch(/Secret \(shown once\): svd_/);
    const keyId = /Created key ([0-9a-f-]{36})/.exec(key.stdout)![1]!;
    expect((await sviedka(['--data', data, 'apikey', 'revoke', keyId])).code).toBe(0);
    expect((await sviedka(['--data', data, 'apikey', 'list'])).stdout).toMatch(/revoked/);

    const rotated = await sviedka(['--data', data, 'keys', 'rotate']);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.stdout).toMatch(/New key version v2/);

    const verified = await sviedka(['--data', data, 'audit', 'verify']);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/Audit chain OK: \d+ rows/);

    const database = await openPglite(data);
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(database.db);
    await sql`update audit_log set action = 'user.nothing' where seq = 2`.execute(database.db);
    await database.close();
    const broken = await sviedka(['--data', data, 'audit', 'verify']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/BROKEN at row #2: content was altered/);
  }, 120_000);

  it('audit verify fails loudly when the recorded head was deleted, and checks against a head kept elsewhere', async () => {
    const data = path.join(inject('sviedkaTmpRoot'), 'cli-anchor');
    expect((await sviedka(['--data', data, 'user', 'create', 'anchor-a', '--role', 'analyst'])).code).toBe(0);
    const first = await sviedka(['--data', data, 'audit', 'verify']);
    expect(first.code, first.stderr).toBe(0);
    const head = await sviedka(['--data', data, 'audit', 'head']);
    expect(head.code, head.stderr).toBe(0);
    const signed = head.stdout.trim();
    expect(signed).toMatch(/^svd-audit-head:v1:\d+:[0-9a-f]{64}:.+:[0-9a-f]{64}$/);
    expect(first.stdout).toContain(`Recorded head: ${signed}`);

    rmSync(path.join(data, 'audit-head.json'));
    const lost = await sviedka(['--data', data, 'audit', 'verify']);
    expect(lost.code).toBe(1);
    expect(lost.stderr).toMatch(/AUDIT ANCHOR LOST — NOT VERIFIED: .*anchor file was deleted/);
    expect(existsSync(path.join(data, 'audit-head.json'))).toBe(false);

    const checked = await sviedka(['--data', data, 'audit', 'verify', '--head', signed]);
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stdout).toMatch(/includes the head given at/);
    expect(existsSync(path.join(data, 'audit-head.json'))).toBe(true);
  }, 300_000);
});
