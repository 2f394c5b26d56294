/**
 * Opens the database: PGlite in the data directory (embedded default) or PostgreSQL (DATABASE_URL).
 * Both speak the same SQL; the choice is made once, here, and nothing else in the code knows it.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import { lockDataDir } from './data-dir-lock.js';
import { PGliteDialect } from './pglite-dialect.js';
import { seedFromTemplate } from './pglite-template.js';

/** A database with no tables declared: areas add theirs with `db.withTables<Tables>()`. */
export type NoTables = Record<never, never>;
export type AnyDb = Kysely<NoTables>;
/** A transaction of any area, for services that take part in another area's transaction (audit, jobs). */
// biome-ignore lint/suspicious/noExplicitAny: the point of this type is to accept every area's tables.
export type AnyTransaction = Transaction<any>;

export interface Database {
  /** The query builder. Areas narrow it to their own tables with `db.withTables<Tables>()`. */
  readonly db: AnyDb;
  readonly kind: 'pglite' | 'postgres';
  /** A label safe to print (never the password). */
  readonly label: string;
  close(): Promise<void>;
}

/** Opens PostgreSQL through a pool. `pg` loads here, so the embedded database never loads it. */
export async function openPostgres(url: string, options: { max?: number } = {}): Promise<Database> {
  const { default: pg } = await import('pg');
  // bigint columns (counts, sequence numbers) come back as JS numbers; our values stay far below 2^53.
  pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Nothing to do.
  });
  const db = new Kysely<NoTables>({ dialect: new PostgresDialect({ pool }) });
  await sql`select 1`.execute(db);
  const parsed = new URL(url);
  return {
    db,
    kind: 'postgres',
    label: `postgres://${parsed.host}${parsed.pathname}`,
    close: () => db.destroy(),
  };
}

/**
 * PostgreSQL runs as WebAssembly (PGlite). V8 compiles it first with its fast baseline compiler and
 * recompiles functions that run often with its optimizing compiler; by default that starts within the
 * first queries, so a short process (a CLI command, a server start) spends about a second of CPU
 * optimizing code it will barely use, and its exit waits for those compilations to finish. Measured on
 * `sviedka user list` (2 cores, load 12): 4.9 s CPU with the default, 3.0 s with a budget 1,000 times
 * larger, the same as never optimizing; a long run still optimizes its hot code (20,000 inserts and
 * 4,000 scans: 17.6 s CPU against 18.9 s by default and 21.3 s never optimizing). Set once, before
 * PGlite compiles its module, unless the command line chose a WebAssembly tiering flag itself.
 */
let wasmTieringSet = false;
function setWasmTiering(): void {
  if (wasmTieringSet) return;
  wasmTieringSet = true;
  if (
    process.execArgv.some((flag) =>
      /^--(no-)?(wasm-tiering-budget|liftoff|wasm-tier-up|wasm-dynamic-tiering)/.test(flag),
    )
  )
    return;
  setFlagsFromString('--wasm-tiering-budget=1800000000');
}

/**
 * Opens (creating if needed) the embedded PGlite database in `dataDir/db`, holding the directory lock.
 * `sharedBuffers` sets PostgreSQL's buffer cache inside the process (PGlite's default is 128MB; 16MB
 * measured no slower on import and ingest and keeps ~130 MB less resident). A new database starts
 * from the build's template cluster when there is one (pglite-template.ts).
 */
export async function openPglite(
  dataDir: string,
  sharedBuffers = '16MB',
  options: { fromTemplate?: boolean } = {},
): Promise<Database> {
  const release = lockDataDir(dataDir);
  try {
    setWasmTiering();
    const { PGlite } = await import('@electric-sql/pglite');
    const dir = path.join(dataDir, 'db');
    if (options.fromTemplate !== false) seedFromTemplate(dir);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const client = await PGlite.create({
      dataDir: dir,
      startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffers}`],
    });
    const db = new Kysely<NoTables>({ dialect: new PGliteDialect(client) });
    return {
      db,
      kind: 'pglite',
      label: `embedded (${dir})`,
      close: async () => {
        try {
          await db.destroy();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

/** Opens whichever database the configuration names. */
export function openDatabase(config: {
  dataDir: string;
  databaseUrl?: string | undefined;
  pgliteSharedBuffers?: string | undefined;
}): Promise<Database> {
  return config.databaseUrl
    ? openPostgres(config.databaseUrl)
    : openPglite(config.dataDir, config.pgliteSharedBuffers);
}
