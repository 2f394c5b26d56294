/** SQL of the audit log: append under an advisory lock, read pages, stream for verification. */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { AnyDb } from '../db/database.js';
import type { AuditRecord } from './chain.js';

export type AuditLogTable = {
  seq: number;
  at: Date;
  actor_type: string;
  actor_id: string | null;
  actor_label: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: 'ok' | 'denied' | 'failed';
  purpose: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
};
export type AuditTables = {
  audit_log: AuditLogTable;
  audit_deferred: { id: string; day: string; event: unknown };
};

const AUDIT_LOCK = 7_340_002;

export type AuditExecutor = Kysely<AuditTables> | Transaction<AuditTables>;

export interface AuditRow extends AuditRecord {
  hash: string;
}

function toRecord(row: AuditLogTable): AuditRow {
  return {
    seq: Number(row.seq),
    at: new Date(row.at),
    actorType: row.actor_type,
    actorId: row.actor_id,
    actorLabel: row.actor_label,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    outcome: row.outcome,
    purpose: row.purpose,
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export interface AuditFilter {
  actor?: string | undefined;
  action?: string | undefined;
  target?: string | undefined;
  outcome?: 'ok' | 'denied' | 'failed' | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  beforeSeq?: number | undefined;
  limit: number;
}

export class AuditStore {
  readonly db: Kysely<AuditTables>;
  constructor(db: AnyDb) {
    this.db = db.withTables<AuditTables>();
  }

  /** Locks the chain head for the rest of `trx` and returns it. */
  async lockHead(trx: Transaction<AuditTables>): Promise<{ seq: number; hash: string } | undefined> {
    await sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
    const row = await trx
      .selectFrom('audit_log')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? { seq: Number(row.seq), hash: row.hash } : undefined;
  }

  async insert(trx: Transaction<AuditTables>, record: AuditRecord, hash: string): Promise<void> {
    await this.insertMany(trx, [{ ...record, hash }]);
  }

  /** Keeps events to append later (no time finer than `day`, no order): see AuditService.defer. */
  async insertDeferred(
    trx: Transaction<AuditTables>,
    rows: ReadonlyArray<{ id: string; day: string; event: unknown }>,
  ): Promise<void> {
    if (rows.length === 0) return;
    await trx
      .insertInto('audit_deferred')
      .values(rows.map((row) => ({ ...row, event: JSON.stringify(row.event) })))
      .execute();
  }

  /** Takes (reads and deletes) the deferred events of days before `day`. */
  async takeDeferred(trx: Transaction<AuditTables>, day: string): Promise<unknown[]> {
    const rows = await trx.deleteFrom('audit_deferred').where('day', '<', day).returning('event').execute();
    return rows.map((row) => (typeof row.event === 'string' ? JSON.parse(row.event) : row.event));
  }

  /** Inserts rows already chained (each with its hash), in one statement. */
  async insertMany(trx: Transaction<AuditTables>, rows: ReadonlyArray<AuditRecord & { hash: string }>) {
    if (rows.length === 0) return;
    await trx
      .insertInto('audit_log')
      .values(
        rows.map((record) => ({
          seq: record.seq,
          at: record.at,
          actor_type: record.actorType,
          actor_id: record.actorId,
          actor_label: record.actorLabel,
          action: record.action,
          target_type: record.targetType,
          target_id: record.targetId,
          outcome: record.outcome,
          purpose: record.purpose,
          details: JSON.stringify(record.details) as unknown as Record<string, unknown>,
          prev_hash: record.prevHash,
          hash: record.hash,
        })),
      )
      .execute();
  }

  /** Newest first, filtered, keyset-paginated by seq. */
  async list(filter: AuditFilter): Promise<AuditRow[]> {
    let query = this.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(filter.limit);
    if (filter.actor) {
      const actor = filter.actor;
      query = query.where((eb) =>
        eb.or([eb('actor_id', '=', actor), eb('actor_label', 'ilike', `%${actor}%`)]),
      );
    }
    if (filter.action) query = query.where('action', 'like', `${filter.action.replaceAll('%', '')}%`);
    if (filter.target) query = query.where('target_id', '=', filter.target);
    if (filter.outcome) query = query.where('outcome', '=', filter.outcome);
    if (filter.from) query = query.where('at', '>=', filter.from);
    if (filter.to) query = query.where('at', '<', filter.to);
    if (filter.beforeSeq) query = query.where('seq', '<', filter.beforeSeq);
    return (await query.execute()).map(toRecord);
  }

  /** Rows in chain order after `afterSeq`, `pageSize` at a time. */
  async *scan(pageSize = 2000, afterSeq = 0): AsyncGenerator<AuditRow[]> {
    let after = afterSeq;
    for (;;) {
      const rows = await this.db
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '>', after)
        .orderBy('seq', 'asc')
        .limit(pageSize)
        .execute();
      if (rows.length === 0) return;
      const page = rows.map(toRecord);
      yield page;
      after = page[page.length - 1]!.seq;
    }
  }
}
