/** SQL of issued reports and their deliveries. */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { AnyDb, AnyTransaction } from '../db/database.js';

export type ReportTables = {
  report_issues: {
    id: string;
    subject_type: string;
    subject_id: string;
    kind: string;
    version: number;
    draft: boolean;
    verification_code: string;
    pdf_sha256: string;
    pdf_size: number;
    json_sha256: string | null;
    issued_at: Date;
    issued_by: string;
    prev_hash: string;
    hash: string;
  };
  report_deliveries: {
    id: string;
    report_id: string;
    delivered_at: Date;
    recipient: string;
    channel: string;
  };
};
export type ReportRow = ReportTables['report_issues'];
type Executor = Kysely<ReportTables> | Transaction<ReportTables>;

export class ReportStore {
  readonly db: Kysely<ReportTables>;
  constructor(db: AnyDb) {
    this.db = db.withTables<ReportTables>();
  }

  transaction<T>(work: (trx: Transaction<ReportTables>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /** Serializes issuing for one subject (version numbers and the custody chain) until the transaction ends. */
  async lockSubject(trx: Transaction<ReportTables>, subjectType: string, subjectId: string): Promise<void> {
    await sql`select pg_advisory_xact_lock(7340050, hashtext(${`${subjectType}:${subjectId}`}))`.execute(trx);
  }

  async last(trx: Executor, subjectType: string, subjectId: string): Promise<ReportRow | undefined> {
    return trx
      .selectFrom('report_issues')
      .selectAll()
      .where('subject_type', '=', subjectType)
      .where('subject_id', '=', subjectId)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  async insert(trx: Executor, row: ReportRow): Promise<void> {
    await trx.insertInto('report_issues').values(row).execute();
  }

  async list(subjectType: string, subjectId: string): Promise<ReportRow[]> {
    return this.db
      .selectFrom('report_issues')
      .selectAll()
      .where('subject_type', '=', subjectType)
      .where('subject_id', '=', subjectId)
      .orderBy('version', 'asc')
      .execute();
  }

  async get(id: string, executor?: AnyTransaction): Promise<ReportRow | undefined> {
    return ((executor as Executor | undefined) ?? this.db)
      .selectFrom('report_issues')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async findByHash(sha256: string): Promise<{ row: ReportRow; format: 'pdf' | 'json' } | undefined> {
    const row = await this.db
      .selectFrom('report_issues')
      .selectAll()
      .where((eb) => eb.or([eb('pdf_sha256', '=', sha256), eb('json_sha256', '=', sha256)]))
      .limit(1)
      .executeTakeFirst();
    return row ? { row, format: row.pdf_sha256 === sha256 ? 'pdf' : 'json' } : undefined;
  }

  async findByCode(codes: string[]): Promise<ReportRow | undefined> {
    if (codes.length === 0) return undefined;
    return this.db
      .selectFrom('report_issues')
      .selectAll()
      .where('verification_code', 'in', codes)
      .limit(1)
      .executeTakeFirst();
  }

  async insertDelivery(
    trx: Executor | AnyTransaction,
    row: ReportTables['report_deliveries'],
  ): Promise<void> {
    await (trx as Executor).insertInto('report_deliveries').values(row).execute();
  }

  async deliveries(reportIds: string[]): Promise<Array<ReportTables['report_deliveries']>> {
    if (reportIds.length === 0) return [];
    return this.db
      .selectFrom('report_deliveries')
      .selectAll()
      .where('report_id', 'in', reportIds)
      .orderBy('delivered_at', 'desc')
      .execute();
  }
}
