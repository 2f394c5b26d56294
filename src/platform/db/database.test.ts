import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { describe, expect, inject, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.js';
import { lockDataDir } from './data-dir-lock.js';
import { readMigrations } from './migrate.js';

describeEachDatabase('migrations', (ctx) => {
  it('apply to an empty database and record every file', async () => {
    const rows = await sql<{
      version: number;
    }>`select version from schema_migrations order by version`.execute(ctx.database.db);
    expect(rows.rows.map((row) => Number(row.version))).toEqual(readMigrations().map((m) => m.version));
    const tables = await sql<{
      table_name: string;
    }>`select table_name from information_schema.tables where table_schema = 'public'`.execute(
      ctx.database.db,
    );
    const names = tables.rows.map((row) => row.table_name);
    for (const table of [
      'users',
      'sessions',
      'api_keys',
      'access_grants',
      'audit_log',
      'jobs',
      'key_versions',
    ])
      expect(names).toContain(table);
  });

  it('run concurrent transactions without interleaving', async () => {
    const db = ctx.database.db;
    await sql`create table if not exists interleave (n int)`.execute(db);
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        db
          .transaction()
          .execute(async (trx) => {
            await sql`insert into interleave values (${i})`.execute(trx);
            await new Promise((resolve) => setTimeout(resolve, 5));
            if (i % 2) throw new Error('roll back');
          })
          .catch(() => {}),
      ),
    );
    const rows = await sql<{ n: number }>`select n from interleave order by n`.execute(db);
    expect(rows.rows.map((row) => row.n)).toEqual([0, 2, 4, 6, 8]);
  });
});

describe('embedded data directory lock', () => {
  it('lets one process in and gives the second a clear error', async () => {
    const dir = mkdtempSync(path.join(inject('sviedkaTmpRoot'), 'lock-'));
    const release = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(/in use by another Sviedka process/);
    release();
    // A lock left by a dead process is taken over.
    const child = spawn(process.execPath, [
      '-e',
      `require('fs').writeFileSync(${JSON.stringify(path.join(dir, 'sviedka.lock'))}, String(process.pid))`,
    ]);
    await new Promise((resolve) => child.on('exit', resolve));
    const again = lockDataDir(dir);
    again();
    expect(mkdtempSync(path.join(os.tmpdir(), 'x'))).toBeTruthy();
  });

  it('lets exactly one of several processes racing for a stale or empty lock in, and leaves no stray files', async () => {
    const here = path.dirname(fileURLToPath(import.meta.url));
    for (const stale of ['999999999', '']) {
      const dir = mkdtempSync(path.join(inject('sviedkaTmpRoot'), 'lock-race-'));
      writeFileSync(path.join(dir, 'sviedka.lock'), stale);
      // Each contender takes the lock, says so, holds it for a moment, and releases it.
      const script = `
        import { lockDataDir } from ${JSON.stringify(pathToFileURL(path.join(here, 'data-dir-lock.ts')).href)};
        try { const release = lockDataDir(${JSON.stringify(dir)}); console.log('in');
          setTimeout(() => { release(); }, 5000); }
        catch (error) { console.log(error.code); }`;
      const outcomes = await Promise.all(
        Array.from({ length: 5 }, async () => {
          const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
          let out = '';
          child.stdout.on('data', (chunk) => (out += chunk));
          await new Promise((resolve) => child.on('exit', resolve));
          return out.trim();
        }),
      );
      expect(outcomes.filter((o) => o === 'in')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'SVD_DB_LOCKED')).toHaveLength(4);
      expect(readdirSync(dir)).toEqual([]);
    }
  }, 60_000);
});
