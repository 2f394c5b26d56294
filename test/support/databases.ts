/**
 * Runs a test suite on every database kind: PGlite and PostgreSQL. Each suite gets a fresh, migrated
 * database of its own (a copy of the run's template), so suites can run in parallel.
 *
 *   describeEachDatabase('audit', (ctx) => {
 *     it('appends', async () => { const db = ctx.database.db; ... });
 *   });
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { type Database, openPglite, openPostgres } from '../../src/platform/db/database.js';
import { createDatabaseFrom, dropDatabase } from './postgres.js';

export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseContext {
  readonly kind: DatabaseKind;
  /** The open database (valid inside tests and hooks). */
  readonly database: Database;
  /** A fresh data directory for this suite (blobs, keys); the PGlite database lives inside it. */
  readonly dataDir: string;
  /** The PostgreSQL URL when kind is 'postgres'. */
  readonly databaseUrl: string | undefined;
}

let counter = 0;

/** Makes a fresh database of `kind` and a data directory; returns it with a disposer. */
export async function freshDatabase(
  kind: DatabaseKind,
): Promise<DatabaseContext & { dispose(): Promise<void> }> {
  const root = inject('sviedkaTmpRoot');
  const dataDir = mkdtempSync(path.join(root, `${kind}-`));
  if (kind === 'pglite') {
    cpSync(inject('pgliteTemplate'), dataDir, { recursive: true });
    const database = await openPglite(dataDir);
    return {
      kind,
      database,
      dataDir,
      databaseUrl: undefined,
      dispose: async () => {
        await database.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const name = `sviedka_test_${inject('sviedkaRunId')}_${process.pid}_${counter++}`;
  const url = await createDatabaseFrom(inject('postgresTemplate'), name);
  const database = await openPostgres(url, { max: 5 });
  return {
    kind,
    database,
    dataDir,
    databaseUrl: url,
    dispose: async () => {
      await database.close();
      await dropDatabase(name);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The database kinds available in this run (PostgreSQL may be skipped outside CI). */
export function databaseKinds(): DatabaseKind[] {
  return inject('postgresTemplate') ? ['pglite', 'postgres'] : ['pglite'];
}

/** Declares `body` once per database kind, with a fresh database per kind. */
export function describeEachDatabase(name: string, body: (ctx: DatabaseContext) => void): void {
  for (const kind of databaseKinds()) {
    describe(`${name} [${kind}]`, () => {
      let current: (DatabaseContext & { dispose(): Promise<void> }) | undefined;
      const ctx: DatabaseContext = {
        kind,
        get database() {
          if (!current) throw new Error('database not ready (use it inside tests or hooks)');
          return current.database;
        },
        get dataDir() {
          if (!current) throw new Error('database not ready');
          return current.dataDir;
        },
        get databaseUrl() {
          return current?.databaseUrl;
        },
      };
      beforeAll(async () => {
        current = await freshDatabase(kind);
      });
      afterAll(async () => {
        await current?.dispose();
      });
      body(ctx);
    });
  }
}
