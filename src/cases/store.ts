/** SQL of verification cases: cases, screening snapshots, hits, the case history, report bytes. */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { AnyDb, AnyTransaction } from '../platform/db/database.js';
import type { CaseStatus, RetentionClass } from './model.js';

export type CaseTables = {
  cases: {
    id: string;
    number: string;
    requester_org: string;
    requester_key: string | null;
    requester_contact: Buffer | null;
    purpose: string;
    legal_basis: string | null;
    due_date: string | null;
    retention_class: RetentionClass;
    status: CaseStatus;
    status_reason: string | null;
    assigned_to: string | null;
    created_by: string;
    created_at: Date;
    updated_at: Date;
    released_at: Date | null;
    closed_at: Date | null;
    retention_until: Date | null;
    legal_hold: boolean;
    data_key: Buffer | null;
    subject: Buffer | null;
    findings: Buffer | null;
    last_reviewed: Buffer | null;
    erased_at: Date | null;
    tombstone: Record<string, unknown> | null;
  };
  case_screenings: {
    id: string;
    case_id: string;
    run_at: Date;
    run_by: string;
    result_count: number;
    snapshot: Buffer;
  };
  case_hits: {
    id: string;
    case_id: string;
    hit_key: string;
    first_screening: string;
    last_screening: string;
    score: number;
    data: Buffer;
    review: 'pending' | 'confirmed' | 'dismissed' | 'unsure';
    review_reason: Buffer | null;
    reviewed_by: string | null;
    reviewed_at: Date | null;
  };
  case_events: {
    case_id: string;
    seq: number;
    at: Date;
    action: string;
    actor: string;
    actor_label: string | null;
    details: Record<string, unknown>;
    prev_hash: string;
    hash: string;
  };
  case_reports: { report_id: string; case_id: string; pdf: Buffer; json: Buffer };
};
export type CaseRow = Selectable<CaseTables['cases']>;
export type HitRow = Selectable<CaseTables['case_hits']>;
export type ScreeningRow = Selectable<CaseTables['case_screenings']>;
export type EventRow = Selectable<CaseTables['case_events']>;
type Executor = Kysely<CaseTables> | Transaction<CaseTables>;

export interface CaseFilter {
  org?: string | undefined;
  status?: CaseStatus | undefined;
  assignedTo?: string | undefined;
  dueBefore?: string | undefined;
  /** No limit: every matching case. */
  limit?: number | undefined;
}

export class CaseStore {
  readonly db: Kysely<CaseTables>;
  constructor(db: AnyDb) {
    this.db = db.withTables<CaseTables>();
  }

  transaction<T>(work: (trx: Transaction<CaseTables>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /** Narrows another module's transaction (review, reports) to this area's tables. */
  static within(trx: AnyTransaction): Transaction<CaseTables> {
    return trx as Transaction<CaseTables>;
  }

  async insertCase(trx: Executor, row: CaseTables['cases']): Promise<void> {
    await trx
      .insertInto('cases')
      .values({ ...row, tombstone: null })
      .execute();
  }

  async getCase(executor: Executor, id: string, lock = false): Promise<CaseRow | undefined> {
    let query = executor.selectFrom('cases').selectAll().where('id', '=', id);
    if (lock) query = query.forUpdate();
    return query.executeTakeFirst();
  }

  async updateCase(trx: Executor, id: string, patch: Partial<CaseTables['cases']>): Promise<void> {
    const { tombstone, ...rest } = patch;
    await trx
      .updateTable('cases')
      .set({
        ...rest,
        ...(tombstone !== undefined
          ? { tombstone: JSON.stringify(tombstone) as unknown as Record<string, unknown> }
          : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  async listCases(filter: CaseFilter): Promise<CaseRow[]> {
    let query = this.db.selectFrom('cases').selectAll().orderBy('created_at', 'desc').orderBy('id');
    if (filter.limit !== undefined) query = query.limit(filter.limit);
    if (filter.org !== undefined) query = query.where('requester_org', '=', filter.org);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.assignedTo) query = query.where('assigned_to', '=', filter.assignedTo);
    if (filter.dueBefore)
      query = query
        .where('due_date', '<', filter.dueBefore)
        .where('status', 'not in', ['declined', 'released', 'closed']);
    return query.execute();
  }

  async lastEvent(trx: Executor, caseId: string): Promise<EventRow | undefined> {
    return trx
      .selectFrom('case_events')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  async insertEvent(trx: Executor, row: CaseTables['case_events']): Promise<void> {
    await trx
      .insertInto('case_events')
      .values({ ...row, details: JSON.stringify(row.details) as unknown as Record<string, unknown> })
      .execute();
  }

  async events(caseId: string): Promise<EventRow[]> {
    return this.db
      .selectFrom('case_events')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('seq')
      .execute();
  }

  async insertScreening(trx: Executor, row: CaseTables['case_screenings']): Promise<void> {
    await trx.insertInto('case_screenings').values(row).execute();
  }

  async screenings(caseId: string): Promise<Array<Omit<ScreeningRow, 'snapshot'>>> {
    return this.db
      .selectFrom('case_screenings')
      .select(['id', 'case_id', 'run_at', 'run_by', 'result_count'])
      .where('case_id', '=', caseId)
      .orderBy('run_at')
      .execute();
  }

  async hits(executor: Executor, caseId: string): Promise<HitRow[]> {
    return executor
      .selectFrom('case_hits')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('score', 'desc')
      .orderBy('hit_key')
      .execute();
  }

  async insertHit(trx: Executor, row: CaseTables['case_hits']): Promise<void> {
    await trx.insertInto('case_hits').values(row).execute();
  }

  async updateHit(trx: Executor, id: string, patch: Partial<CaseTables['case_hits']>): Promise<void> {
    await trx.updateTable('case_hits').set(patch).where('id', '=', id).execute();
  }

  async insertReportBytes(trx: Executor, row: CaseTables['case_reports']): Promise<void> {
    await trx.insertInto('case_reports').values(row).execute();
  }

  async reportBytes(reportId: string): Promise<CaseTables['case_reports'] | undefined> {
    return this.db
      .selectFrom('case_reports')
      .selectAll()
      .where('report_id', '=', reportId)
      .executeTakeFirst();
  }

  /** Cases whose retention period has ended, not on hold, not yet erased. */
  async dueForErasure(now: Date, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('cases')
      .select('id')
      .where('retention_until', '<=', now)
      .where('erased_at', 'is', null)
      .where('legal_hold', '=', false)
      .orderBy('retention_until')
      .limit(limit)
      .execute();
    return rows.map((row) => row.id);
  }

  /** Deletes a case's derived rows (hits, snapshots, report bytes); returns the counts. */
  async deleteDerived(
    trx: Executor,
    caseId: string,
  ): Promise<{ hits: number; screenings: number; reports: number }> {
    const count = (result: { numDeletedRows: bigint }[]) => Number(result[0]?.numDeletedRows ?? 0);
    const hits = count(await trx.deleteFrom('case_hits').where('case_id', '=', caseId).execute());
    const screenings = count(await trx.deleteFrom('case_screenings').where('case_id', '=', caseId).execute());
    const reports = count(await trx.deleteFrom('case_reports').where('case_id', '=', caseId).execute());
    return { hits, screenings, reports };
  }
}
