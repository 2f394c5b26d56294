/**
 * SQL migrations: numbered files in `migrations/` (`0001_platform.sql`, ...), applied in order, each in
 * its own transaction together with its bookkeeping row, identical on PGlite and PostgreSQL.
 * A transaction-scoped advisory lock keeps two processes from migrating at once.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { AnyDb } from './database.js';

export const migrationsDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../migrations',
);
const MIGRATION_LOCK = 7_340_001;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/** Reads the migration files, checking that numbers are unique. */
export function readMigrations(dir = migrationsDir): Migration[] {
  const files = readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort();
  const migrations = files.map((file) => {
    const text = readFileSync(path.join(dir, file), 'utf8');
    return {
      version: Number.parseInt(file.slice(0, 4), 10),
      name: file.slice(5, -4),
      sql: text,
      checksum: createHash('sha256').update(text).digest('hex'),
    };
  });
  migrations.forEach((migration, index) => {
    if (index > 0 && migration.version === migrations[index - 1]!.version) {
      throw new Error(
        `Two migrations share the number ${migration.version}: ${files[index - 1]} and ${files[index]}`,
      );
    }
  });
  return migrations;
}

/** Applies pending migrations; returns the versions applied. Refuses to run if an applied file changed. */
export async function migrate(db: AnyDb, migrations = readMigrations()): Promise<number[]> {
  if (await upToDate(db, migrations)) return [];
  await sql`create table if not exists schema_migrations (
    version integer primary key,
    name text not null,
    checksum text not null,
    applied_at timestamptz not null default now()
  )`.execute(db);
  const applied: number[] = [];
  for (const migration of migrations) {
    const done = await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(trx);
      const existing = await sql<{ checksum: string }>`
        select checksum from schema_migrations where version = ${migration.version}`.execute(trx);
      const row = existing.rows[0];
      if (row) {
        if (row.checksum !== migration.checksum) {
          throw new Error(
            `Migration ${migration.version} (${migration.name}) was changed after it was applied; add a new migration instead.`,
          );
        }
        return false;
      }
      await sql.raw(migration.sql).execute(trx);
      await sql`insert into schema_migrations (version, name, checksum)
        values (${migration.version}, ${migration.name}, ${migration.checksum})`.execute(trx);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
}

/**
 * True when every migration is applied with an unchanged file: the common case at start-up, answered
 * by two small reads without a lock or a transaction per migration. Anything else (a pending or a changed migration, no
 * bookkeeping table yet) goes the careful way, under the advisory lock.
 */
async function upToDate(db: AnyDb, migrations: Migration[]): Promise<boolean> {
  const table = await sql<{ name: string | null }>`
    select to_regclass('schema_migrations')::text as name`.execute(db);
  if (!table.rows[0]?.name) return false;
  const applied = await sql<{ version: number; checksum: string }>`
    select version, checksum from schema_migrations`.execute(db);
  const checksums = new Map(applied.rows.map((row) => [row.version, row.checksum]));
  return migrations.every((migration) => checksums.get(migration.version) === migration.checksum);
}
