/** SQL of xref runs, their candidate pairs and the per-dataset settings. */
import {
  type Generated,
  type Kysely,
  type Selectable,
  type SelectQueryBuilder,
  sql,
  type Transaction,
} from 'kysely';
import type { AnyDb } from '../platform/db/database.js';
import type { Judgement } from './model.js';

export type RunState = 'queued' | 'running' | 'done' | 'failed';

export type RunTables = {
  xref_runs: {
    id: string;
    dataset_id: string;
    against_key: string;
    against: unknown;
    state: RunState;
    since_seq: Generated<number>;
    watermark: Generated<number>;
    phase: Generated<'forward' | 'reverse'>;
    cursor: string | null;
    total: Generated<number>;
    done: Generated<number>;
    suggested: Generated<number>;
    auto_decided: Generated<number>;
    skipped: Generated<number>;
    params: unknown;
    lease_owner: string | null;
    lease_until: Date | null;
    error: string | null;
    created_by: string;
    created_at: Generated<Date>;
    started_at: Date | null;
    updated_at: Generated<Date>;
    finished_at: Date | null;
  };
  xref_candidates: {
    id: Generated<number>;
    target: string;
    source: string;
    target_dataset: string;
    source_dataset: string;
    schema: string;
    score: number;
    explanations: unknown;
    judgement: Judgement | null;
    run_id: string | null;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  xref_dataset_settings: {
    dataset_id: string;
    auto_rules: boolean;
    updated_by: string;
    updated_at: Generated<Date>;
  };
};

export type RunRow = Selectable<RunTables['xref_runs']>;
export type CandidateRow = Selectable<RunTables['xref_candidates']>;
export type RunTrx = Transaction<RunTables>;
type Executor = Kysely<RunTables> | RunTrx;

export interface CandidateWrite {
  target: string;
  source: string;
  targetDataset: string;
  sourceDataset: string;
  schema: string;
  score: number;
  explanations: unknown[];
  judgement: Judgement | null;
}

/** Filters of the review queue (and of a run's output). */
export interface CandidateFilter {
  /** Both sides must lie in these datasets ('all': no restriction). */
  visible: 'all' | readonly string[];
  /** One side in `datasets[0]` and the other in `datasets[1]` (or any of the list when one is given). */
  datasetPair?: readonly [string, string | null];
  /** One side in this dataset and the other in any of `against`. */
  between?: { dataset: string; against: readonly string[] };
  minScore?: number;
  maxScore?: number;
  schema?: string;
  /** Undecided only (the queue's default). */
  undecided?: boolean;
  /** Undecided or decided positive (a run's output: pairs nobody ruled out). */
  notRuledOut?: boolean;
}

const jsonb = (value: unknown) => sql<unknown>`${JSON.stringify(value)}::jsonb`;

/** Applies a candidate filter; null when it can match nothing (no visible dataset). */
function filtered<O>(
  query: SelectQueryBuilder<RunTables, 'xref_candidates', O>,
  filter: CandidateFilter,
): SelectQueryBuilder<RunTables, 'xref_candidates', O> | null {
  if (filter.visible !== 'all') {
    const visible = filter.visible as string[];
    if (visible.length === 0) return null;
    query = query.where('target_dataset', 'in', visible).where('source_dataset', 'in', visible);
  }
  if (filter.datasetPair) {
    const [a, b] = filter.datasetPair;
    query = query.where((eb) =>
      b === null
        ? eb.or([eb('target_dataset', '=', a), eb('source_dataset', '=', a)])
        : eb.or([
            eb.and([eb('target_dataset', '=', a), eb('source_dataset', '=', b)]),
            eb.and([eb('target_dataset', '=', b), eb('source_dataset', '=', a)]),
          ]),
    );
  }
  if (filter.between) {
    const { dataset, against } = filter.between;
    if (against.length === 0) return null;
    query = query.where((eb) =>
      eb.or([
        eb.and([eb('target_dataset', '=', dataset), eb('source_dataset', 'in', against as string[])]),
        eb.and([eb('source_dataset', '=', dataset), eb('target_dataset', 'in', against as string[])]),
      ]),
    );
  }
  if (filter.minScore !== undefined) query = query.where('score', '>=', filter.minScore);
  if (filter.maxScore !== undefined) query = query.where('score', '<=', filter.maxScore);
  if (filter.schema) query = query.where('schema', '=', filter.schema);
  if (filter.undecided) query = query.where('judgement', 'is', null);
  if (filter.notRuledOut)
    query = query.where((eb) => eb.or([eb('judgement', 'is', null), eb('judgement', '=', 'positive')]));
  return query;
}

export class RunStore {
  readonly db: Kysely<RunTables>;

  constructor(db: AnyDb) {
    this.db = db.withTables<RunTables>();
  }

  // Runs

  run(id: string): Promise<RunRow | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return Promise.resolve(undefined);
    return this.db.selectFrom('xref_runs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  runFor(datasetId: string, againstKey: string): Promise<RunRow | undefined> {
    return this.db
      .selectFrom('xref_runs')
      .selectAll()
      .where('dataset_id', '=', datasetId)
      .where('against_key', '=', againstKey)
      .executeTakeFirst();
  }

  listRuns(datasetIds: 'all' | readonly string[], limit: number): Promise<RunRow[]> {
    let query = this.db.selectFrom('xref_runs').selectAll().orderBy('updated_at', 'desc').limit(limit);
    if (datasetIds !== 'all') {
      if (datasetIds.length === 0) return Promise.resolve([]);
      query = query.where('dataset_id', 'in', datasetIds as string[]);
    }
    return query.execute();
  }

  async insertRun(row: {
    id: string;
    datasetId: string;
    againstKey: string;
    against: string[] | null;
    params: unknown;
    createdBy: string;
  }): Promise<RunRow> {
    return this.db
      .insertInto('xref_runs')
      .values({
        id: row.id,
        dataset_id: row.datasetId,
        against_key: row.againstKey,
        against: jsonb(row.against),
        state: 'queued',
        params: jsonb(row.params),
        cursor: null,
        lease_owner: null,
        lease_until: null,
        error: null,
        created_by: row.createdBy,
        started_at: null,
        finished_at: null,
      })
      .onConflict((c) => c.columns(['dataset_id', 'against_key']).doNothing())
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch(async () => (await this.runFor(row.datasetId, row.againstKey))!);
  }

  /** Starts a new incremental pass over what changed after `sinceSeq`. */
  async resetRun(id: string, sinceSeq: number, params: unknown): Promise<RunRow> {
    return this.db
      .updateTable('xref_runs')
      .set({
        state: 'queued',
        since_seq: sinceSeq,
        watermark: 0,
        phase: 'forward',
        cursor: null,
        total: 0,
        done: 0,
        suggested: 0,
        auto_decided: 0,
        skipped: 0,
        params: jsonb(params),
        error: null,
        started_at: null,
        finished_at: null,
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /**
   * Takes the run's lease for `owner` unless another live owner holds it; `stale(owner)` decides
   * whether a holder whose lease has not expired is gone anyway (a killed process on this host).
   */
  async claim(
    id: string,
    owner: string,
    leaseSeconds: number,
    stale: (holder: string) => boolean,
  ): Promise<RunRow | null> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('xref_runs')
        .selectAll()
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!row) return null;
      const held =
        row.lease_owner !== null &&
        row.lease_owner !== owner &&
        row.lease_until !== null &&
        new Date(row.lease_until).getTime() > Date.now() &&
        !stale(row.lease_owner);
      if (held) return null;
      return trx
        .updateTable('xref_runs')
        .set({
          lease_owner: owner,
          lease_until: sql`now() + make_interval(secs => ${leaseSeconds})`,
          state: row.state === 'done' ? 'done' : 'running',
          started_at: row.started_at ?? sql`now()`,
          error: null,
          updated_at: sql`now()`,
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
    });
  }

  async updateRun(
    ex: Executor,
    id: string,
    values: Partial<{
      state: RunState;
      watermark: number;
      phase: 'forward' | 'reverse';
      cursor: string | null;
      total: number;
      error: string | null;
      finished: boolean;
      release: boolean;
      leaseSeconds: number;
    }>,
    add: Partial<{ done: number; suggested: number; autoDecided: number; skipped: number }> = {},
  ): Promise<RunRow> {
    return ex
      .updateTable('xref_runs')
      .set({
        ...(values.state ? { state: values.state } : {}),
        ...(values.watermark !== undefined ? { watermark: values.watermark } : {}),
        ...(values.phase ? { phase: values.phase } : {}),
        ...(values.cursor !== undefined ? { cursor: values.cursor } : {}),
        ...(values.total !== undefined ? { total: values.total } : {}),
        ...(values.error !== undefined ? { error: values.error } : {}),
        ...(values.finished ? { finished_at: sql`now()` } : {}),
        ...(values.release ? { lease_owner: null, lease_until: null } : {}),
        ...(values.leaseSeconds
          ? { lease_until: sql`now() + make_interval(secs => ${values.leaseSeconds})` }
          : {}),
        done: sql`done + ${add.done ?? 0}`,
        suggested: sql`suggested + ${add.suggested ?? 0}`,
        auto_decided: sql`auto_decided + ${add.autoDecided ?? 0}`,
        skipped: sql`skipped + ${add.skipped ?? 0}`,
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  // Candidates

  /** Runs `work` in one transaction (a page of a run: candidates and progress commit together). */
  transaction<T>(work: (trx: RunTrx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /**
   * Removes undecided candidates of `ids` whose other side lies in `otherDatasets` (a re-compared
   * entity's old suggestions go before its new ones are written).
   */
  async deleteUndecidedOf(
    trx: RunTrx,
    ids: readonly string[],
    otherDatasets: readonly string[],
  ): Promise<void> {
    if (ids.length === 0 || otherDatasets.length === 0) return;
    await trx
      .deleteFrom('xref_candidates')
      .where('judgement', 'is', null)
      .where((eb) =>
        eb.or([
          eb.and([
            eb('target', 'in', ids as string[]),
            eb('source_dataset', 'in', otherDatasets as string[]),
          ]),
          eb.and([
            eb('source', 'in', ids as string[]),
            eb('target_dataset', 'in', otherDatasets as string[]),
          ]),
        ]),
      )
      .execute();
  }

  /** Inserts candidates; a pair already present gets the new score and explanations. */
  async upsertCandidates(trx: RunTrx, runId: string, rows: CandidateWrite[]): Promise<void> {
    if (rows.length === 0) return;
    const unique = new Map(rows.map((r) => [`${r.source} ${r.target}`, r]));
    await trx
      .insertInto('xref_candidates')
      .values(
        [...unique.values()].map((r) => ({
          target: r.target,
          source: r.source,
          target_dataset: r.targetDataset,
          source_dataset: r.sourceDataset,
          schema: r.schema,
          score: r.score,
          explanations: jsonb(r.explanations),
          judgement: r.judgement,
          run_id: runId,
        })),
      )
      .onConflict((c) =>
        c.columns(['source', 'target']).doUpdateSet({
          score: (eb) => eb.ref('excluded.score'),
          explanations: sql`excluded.explanations`,
          run_id: (eb) => eb.ref('excluded.run_id'),
          updated_at: sql`now()`,
        }),
      )
      .execute();
  }

  /** Candidates touching any of `ids` (to bring their judgement in step with the resolver). */
  async candidatesTouching(ex: Executor, ids: readonly string[]): Promise<CandidateRow[]> {
    if (ids.length === 0) return [];
    return ex
      .selectFrom('xref_candidates')
      .selectAll()
      .where((eb) => eb.or([eb('target', 'in', ids as string[]), eb('source', 'in', ids as string[])]))
      .execute();
  }

  async setJudgements(
    ex: Executor,
    updates: Array<{ id: number; judgement: Judgement | null }>,
  ): Promise<void> {
    for (const judgement of ['positive', 'negative', 'unsure', null] as const) {
      const ids = updates.filter((u) => u.judgement === judgement).map((u) => u.id);
      for (let i = 0; i < ids.length; i += 1000)
        await ex
          .updateTable('xref_candidates')
          .set({ judgement, updated_at: sql`now()` })
          .where('id', 'in', ids.slice(i, i + 1000))
          .execute();
    }
  }

  candidate(id: number): Promise<CandidateRow | undefined> {
    return this.db.selectFrom('xref_candidates').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Candidates matching a filter, best score first, keyset-paged after (score, id). */
  async listCandidates(
    filter: CandidateFilter,
    page: { after?: { score: number; id: number }; limit: number; order?: 'score' | 'random' },
  ): Promise<CandidateRow[]> {
    let query = filtered(this.db.selectFrom('xref_candidates').selectAll(), filter);
    if (!query) return [];
    if (page.order === 'random') return query.orderBy(sql`random()`).limit(page.limit).execute();
    if (page.after) {
      const { score, id } = page.after;
      query = query.where(sql<boolean>`(score < ${score} or (score = ${score} and id > ${id}))`);
    }
    return query.orderBy('score', 'desc').orderBy('id').limit(page.limit).execute();
  }

  /** How many candidates match a filter (the queue's count). */
  async countCandidates(filter: CandidateFilter): Promise<number> {
    const query = filtered(
      this.db.selectFrom('xref_candidates').select((eb) => eb.fn.countAll<number>().as('n')),
      filter,
    );
    if (!query) return 0;
    return Number((await query.executeTakeFirst())?.n ?? 0);
  }

  // Settings

  async autoRules(datasetIds: readonly string[]): Promise<Map<string, boolean>> {
    if (datasetIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('xref_dataset_settings')
      .select(['dataset_id', 'auto_rules'])
      .where('dataset_id', 'in', datasetIds as string[])
      .execute();
    return new Map(rows.map((r) => [r.dataset_id, r.auto_rules]));
  }

  async setAutoRules(datasetId: string, autoRules: boolean, by: string): Promise<void> {
    await this.db
      .insertInto('xref_dataset_settings')
      .values({ dataset_id: datasetId, auto_rules: autoRules, updated_by: by })
      .onConflict((c) =>
        c.column('dataset_id').doUpdateSet({ auto_rules: autoRules, updated_by: by, updated_at: sql`now()` }),
      )
      .execute();
  }
}
