/** SQL of the datasets area: runs, kept rejects and provenance. */
import { type Generated, type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { AnyDb, AnyTransaction } from '../platform/db/database.js';
import type { RowReject, RunSource, RunStatus } from './model.js';

export type DatasetsTables = {
  datasets_runs: {
    id: string;
    dataset_id: string;
    actor: string;
    mapping_name: string | null;
    mapping_sha256: string;
    mapping_text: string;
    sources: unknown;
    status: RunStatus;
    rows_read: Generated<number>;
    rows_rejected: Generated<number>;
    entities_written: Generated<number>;
    entities_unchanged: Generated<number>;
    bytes_read: Generated<number>;
    bytes_total: number | null;
    error: string | null;
    registry_import_id: string | null;
    evidence_item_id: string | null;
    started_at: Generated<Date>;
    finished_at: Date | null;
  };
  datasets_rejects: { run_id: string; n: number; reject: unknown };
  datasets_provenance: {
    entity_id: string;
    run_id: string;
    query: number;
    line: number;
    ref: string;
    rows: number;
  };
};

export type RunRow = Omit<Selectable<DatasetsTables['datasets_runs']>, 'sources'> & { sources: RunSource[] };
const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);
const jsonb = (value: unknown) => sql<unknown>`${JSON.stringify(value)}::jsonb`;
/** Rows per bulk statement. */
const BULK_ROWS = 5000;

function toRunRow(row: Selectable<DatasetsTables['datasets_runs']>): RunRow {
  return {
    ...row,
    sources: (json(row.sources) ?? []) as RunSource[],
    bytes_read: Number(row.bytes_read),
    bytes_total: row.bytes_total === null ? null : Number(row.bytes_total),
  };
}

export class DatasetsStore {
  readonly db: Kysely<DatasetsTables>;

  constructor(db: AnyDb) {
    this.db = db.withTables<DatasetsTables>();
  }

  #on(trx?: AnyTransaction): Kysely<DatasetsTables> | Transaction<DatasetsTables> {
    return (trx as Transaction<DatasetsTables> | undefined) ?? this.db;
  }

  async insertRun(row: {
    id: string;
    dataset_id: string;
    actor: string;
    mapping_name: string | null;
    mapping_sha256: string;
    mapping_text: string;
    status: RunStatus;
    evidence_item_id?: string | null;
  }): Promise<void> {
    await this.db.insertInto('datasets_runs').values(row).execute();
  }

  async updateRun(
    id: string,
    values: Partial<{
      status: RunStatus;
      sources: RunSource[];
      rows_read: number;
      rows_rejected: number;
      entities_written: number;
      entities_unchanged: number;
      bytes_read: number;
      bytes_total: number | null;
      error: string | null;
      registry_import_id: string;
      finished_at: Date;
    }>,
    trx?: AnyTransaction,
  ): Promise<void> {
    const { sources, ...rest } = values;
    await this.#on(trx)
      .updateTable('datasets_runs')
      .set({ ...rest, ...(sources ? { sources: jsonb(sources) } : {}) })
      .where('id', '=', id)
      .execute();
  }

  async getRun(id: string): Promise<RunRow | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const row = await this.db.selectFrom('datasets_runs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRunRow(row) : undefined;
  }

  async listRuns(datasetId: string, limit: number): Promise<RunRow[]> {
    const rows = await this.db
      .selectFrom('datasets_runs')
      .selectAll()
      .where('dataset_id', '=', datasetId)
      .orderBy('started_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toRunRow);
  }

  /** The run of a dataset that is still going, if any. */
  async activeRun(datasetId: string): Promise<RunRow | undefined> {
    const row = await this.db
      .selectFrom('datasets_runs')
      .selectAll()
      .where('dataset_id', '=', datasetId)
      .where('status', 'in', ['queued', 'staging', 'publishing'])
      .executeTakeFirst();
    return row ? toRunRow(row) : undefined;
  }

  /** Runs a previous process left unfinished (it crashed or was killed): they can only fail now. */
  async failAbandonedRuns(message: string): Promise<number> {
    const rows = await this.db
      .updateTable('datasets_runs')
      .set({ status: 'failed', error: message, finished_at: new Date() })
      .where('status', 'in', ['staging', 'publishing'])
      .returning('id')
      .execute();
    return rows.length;
  }

  // Rejects and provenance

  async keepRejects(runId: string, first: number, rejects: RowReject[]): Promise<void> {
    if (rejects.length === 0) return;
    await this.db
      .insertInto('datasets_rejects')
      .values(rejects.map((reject, i) => ({ run_id: runId, n: first + i, reject: jsonb(reject) })))
      .execute();
  }

  async rejects(runId: string, limit: number): Promise<RowReject[]> {
    const rows = await this.db
      .selectFrom('datasets_rejects')
      .select('reject')
      .where('run_id', '=', runId)
      .orderBy('n')
      .limit(limit)
      .execute();
    return rows.map((row) => json(row.reject) as RowReject);
  }

  /** Records where each entity came from, as of run `runId`. */
  async upsertProvenance(
    trx: AnyTransaction,
    runId: string,
    rows: Array<{
      entity_id: string;
      query: number;
      line: number;
      ref: string;
      rows: number;
    }>,
  ): Promise<void> {
    if (rows.length === 0) return;
    for (let i = 0; i < rows.length; i += BULK_ROWS) {
      const slice = rows.slice(i, i + BULK_ROWS);
      await sql`
        insert into datasets_provenance (entity_id, run_id, query, line, ref, rows)
        select t.entity_id, ${runId}::uuid, t.query, t.line, t.ref, t.rows
        from unnest(${slice.map((r) => r.entity_id)}::text[], ${slice.map((r) => r.query)}::int[],
          ${slice.map((r) => r.line)}::int[], ${slice.map((r) => r.ref)}::text[], ${slice.map((r) => r.rows)}::int[])
          as t(entity_id, query, line, ref, rows)
        on conflict (entity_id) do update set
          run_id = excluded.run_id, query = excluded.query, line = excluded.line, ref = excluded.ref,
          rows = excluded.rows`.execute(this.#on(trx));
    }
  }

  async provenance(entityId: string) {
    return this.db
      .selectFrom('datasets_provenance as p')
      .innerJoin('datasets_runs as r', 'r.id', 'p.run_id')
      .select([
        'p.entity_id',
        'p.run_id',
        'p.query',
        'p.line',
        'p.ref',
        'p.rows',
        'r.dataset_id',
        'r.sources',
        'r.mapping_sha256',
        'r.finished_at',
      ])
      .where('p.entity_id', '=', entityId)
      .executeTakeFirst();
  }
}
