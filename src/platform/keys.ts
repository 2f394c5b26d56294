/**
 * Key checks and rotation. Each master key version has a check value in the database, so starting
 * with the wrong key fails at once instead of corrupting data. Rotation adds a key version and then
 * re-encrypts, in small committed batches, every registered encrypted column whose values are under
 * an older version; run it again after an interruption and it continues where it stopped.
 */
import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import { KeyRing } from './crypto.js';
import type { AnyDb } from './db/database.js';
import { AppError } from './errors.js';

export interface EncryptedColumn {
  table: string;
  idColumn: string;
  column: string;
  /** Associated data the value is bound to, from the row id. */
  aad: (id: string) => string;
}

const encryptedColumns: EncryptedColumn[] = [];

/** Declares a column holding `KeyRing.encryptField` values, so rotation re-encrypts it. */
export function registerEncryptedColumn(column: EncryptedColumn): void {
  if (!encryptedColumns.some((c) => c.table === column.table && c.column === column.column))
    encryptedColumns.push(column);
}

registerEncryptedColumn({
  table: 'users',
  idColumn: 'id',
  column: 'totp_secret',
  aad: (id) => `users.totp_secret:${id}`,
});
registerEncryptedColumn({
  table: 'users',
  idColumn: 'id',
  column: 'totp_pending_secret',
  aad: (id) => `users.totp_pending_secret:${id}`,
});

function checkValue(ring: KeyRing, version: number): string {
  return createHmac('sha256', ring.subkey('field', version)).update('sviedka key check').digest('hex');
}

/** Fails if a key version differs from the one this database was encrypted with; records new versions. */
export async function checkKeys(db: AnyDb, ring: KeyRing): Promise<void> {
  const rows = await sql<{
    version: number;
    check_value: string;
  }>`select version, check_value from key_versions`.execute(db);
  const known = new Map(rows.rows.map((row) => [Number(row.version), row.check_value]));
  for (const version of ring.versions()) {
    const expected = known.get(version);
    const actual = checkValue(ring, version);
    if (expected === undefined) {
      await sql`insert into key_versions (version, check_value) values (${version}, ${actual}) on conflict do nothing`.execute(
        db,
      );
    } else if (expected !== actual) {
      throw new AppError('SVD_CRYPTO_KEY', {
        message: `master key v${version} does not match this database: wrong key file or SVIEDKA_MASTER_KEY`,
      });
    }
  }
  const missing = [...known.keys()].filter((version) => !ring.versions().includes(version));
  if (missing.length) {
    const used = await countUnderVersions(db, missing);
    if (used > 0) {
      throw new AppError('SVD_CRYPTO_KEY', {
        message: `${used} value(s) are encrypted under key version(s) ${missing.join(', ')} which the key ring lacks`,
      });
    }
  }
}

async function countUnderVersions(db: AnyDb, versions: number[]): Promise<number> {
  let total = 0;
  for (const c of encryptedColumns) {
    const result = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(c.table)}
      where ${sql.ref(c.column)} is not null and get_byte(${sql.ref(c.column)}, 0) in (${sql.join(versions)})`.execute(
      db,
    );
    total += Number(result.rows[0]?.n ?? 0);
  }
  return total;
}

export interface RotationProgress {
  column: string;
  done: number;
  remaining: number;
}

/**
 * Re-encrypts every registered column's values that are not under the ring's current version.
 * With `addVersion`, first appends a new key version (unless a previous rotation is unfinished).
 */
export async function rotateKeys(
  db: AnyDb,
  ring: KeyRing,
  options: { addVersion: boolean; batchSize?: number; onProgress?: (progress: RotationProgress) => void },
): Promise<{ ring: KeyRing; reencrypted: number; newVersion: boolean }> {
  const older = ring.versions().filter((version) => version !== ring.current);
  const unfinished = older.length > 0 && (await countUnderVersions(db, older)) > 0;
  let current = ring;
  let newVersion = false;
  if (options.addVersion && !unfinished) {
    current = KeyRing.addVersion(ring);
    await checkKeys(db, current);
    newVersion = true;
  }
  const batchSize = options.batchSize ?? 500;
  let reencrypted = 0;
  for (const c of encryptedColumns) {
    let done = 0;
    for (;;) {
      const moved = await db.transaction().execute(async (trx) => {
        const rows = await sql<{
          id: string;
          value: Buffer;
        }>`select ${sql.ref(c.idColumn)}::text as id, ${sql.ref(c.column)} as value
          from ${sql.table(c.table)}
          where ${sql.ref(c.column)} is not null and get_byte(${sql.ref(c.column)}, 0) <> ${current.current}
          limit ${batchSize} for update`.execute(trx);
        for (const row of rows.rows) {
          const aad = c.aad(row.id);
          const plaintext = current.decryptField(row.value, aad);
          const value = current.encryptField(plaintext, aad);
          await sql`update ${sql.table(c.table)} set ${sql.ref(c.column)} = ${value}
            where ${sql.ref(c.idColumn)}::text = ${row.id}`.execute(trx);
        }
        return rows.rows.length;
      });
      if (moved === 0) break;
      done += moved;
      reencrypted += moved;
      options.onProgress?.({ column: `${c.table}.${c.column}`, done, remaining: -1 });
    }
  }
  return { ring: current, reencrypted, newVersion };
}

/** A text column whose values move, once, into an encrypted column (data written before it existed). */
export interface PlaintextColumn {
  table: string;
  idColumn: string;
  /** The old text column; emptied (`emptyValue`) once its value is sealed. */
  plain: string;
  /** The registered encrypted column the value moves to. */
  sealed: string;
  aad: (id: string) => string;
  /** What the text column holds afterwards: null, or '' for a NOT NULL column. */
  emptyValue: null | '';
}

/**
 * Seals the values of a text column written before it was encrypted, in small committed batches: run
 * again after an interruption and it continues where it stopped; with nothing left it costs one query
 * (give the table a partial index on the rows still to do).
 */
export async function sealPlaintextColumn(
  db: AnyDb,
  ring: KeyRing,
  column: PlaintextColumn,
  batchSize = 500,
): Promise<number> {
  let sealed = 0;
  for (;;) {
    const moved = await db.transaction().execute(async (trx) => {
      const rows = await sql<{ id: string; value: string }>`
        select ${sql.ref(column.idColumn)}::text as id, ${sql.ref(column.plain)} as value
          from ${sql.table(column.table)}
         where ${sql.ref(column.plain)} is not null and ${sql.ref(column.plain)} <> ''
         limit ${batchSize} for update`.execute(trx);
      for (const row of rows.rows)
        await sql`update ${sql.table(column.table)}
           set ${sql.ref(column.sealed)} = ${ring.encryptField(row.value, column.aad(row.id))},
               ${sql.ref(column.plain)} = ${column.emptyValue}
         where ${sql.ref(column.idColumn)}::text = ${row.id}`.execute(trx);
      return rows.rows.length;
    });
    if (moved === 0) return sealed;
    sealed += moved;
  }
}
