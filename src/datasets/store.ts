/** SQL of the datasets area: runs, staged fragments, kept rejects and provenance. */
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
  datasets_stage: {
    run_id: string;
    entity_id: string;
    seq: number;
    schema: string;
    properties: unknown;
    query: number;
    line: number;
    ref: string;
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
export type StagedRow = Omit<Selectable<DatasetsTables['datasets_stage']>, 'properties' | 'run_id'> & {
  properties: Record<string, string[]>;
};
export interface Fragment {
  entityId: string;
  seq: number;
  schema: string;
  properties: Record<string, string[]>;
  query: number;
  line: number;
  ref: string;
}

const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);
const jsonb = (value: unknown) => sql<unknown>`${JSON.stringify(value)}::jsonb`;

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
    for (const row of rows) await this.clearStage(row.id);
    return rows.length;
  }

  // Staging

  async stage(runId: string, fragments: Fragment[]): Promise<void> {
    for (let i = 0; i < fragments.length; i += 1000) {
      await this.db
        .insertInto('datasets_stage')
        .values(
          fragments.slice(i, i + 1000).map((f) => ({
            run_id: runId,
            entity_id: f.entityId,
            seq: f.seq,
            schema: f.schema,
            properties: jsonb(f.properties),
            query: f.query,
            line: f.line,
            ref: f.ref,
          })),
        )
        .execute();
    }
  }

  /** Staged fragments after (entityId, seq), ordered by entity id then order of appearance. */
  async stagePage(
    trx: AnyTransaction,
    runId: string,
    after: { entityId: string; seq: number } | null,
    limit: number,
  ): Promise<Fragment[]> {
    let query = this.#on(trx)
      .selectFrom('datasets_stage')
      .select(['entity_id', 'seq', 'schema', 'properties', 'query', 'line', 'ref'])
      .where('run_id', '=', runId)
      .orderBy('entity_id')
      .orderBy('seq')
      .limit(limit);
    if (after) query = query.where(sql<boolean>`(entity_id, seq) > (${after.entityId}, ${after.seq})`);
    const rows = await query.execute();
    return rows.map((row) => ({
      entityId: row.entity_id,
      seq: Number(row.seq),
      schema: row.schema,
      properties: json(row.properties) as Record<string, string[]>,
      query: row.query,
      line: row.line,
      ref: row.ref,
    }));
  }

  async clearStage(runId: string, trx?: AnyTransaction): Promise<void> {
    await this.#on(trx).deleteFrom('datasets_stage').where('run_id', '=', runId).execute();
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

  async upsertProvenance(
    trx: AnyTransaction,
    rows: Array<{
      entity_id: string;
      run_id: string;
      query: number;
      line: number;
      ref: string;
      rows: number;
    }>,
  ): Promise<void> {
    if (rows.length === 0) return;
    await this.#on(trx)
      .insertInto('datasets_provenance')
      .values(rows)
      .onConflict((conflict) =>
        conflict.column('entity_id').doUpdateSet({
          run_id: (eb) => eb.ref('excluded.run_id'),
          query: (eb) => eb.ref('excluded.query'),
          line: (eb) => eb.ref('excluded.line'),
          ref: (eb) => eb.ref('excluded.ref'),
          rows: (eb) => eb.ref('excluded.rows'),
        }),
      )
      .execute();
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
