/**
 * What every part of the cases area shares: loading a case with authorization (partners see only their
 * organization's cases; a denial answers like "not found" and is audited), the per-case history
 * (hash-chained, no subject data) written together with the audit row, and opening sealed values.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../platform/audit/chain.js';
import type { AuditService } from '../platform/audit/service.js';
import type { Principal } from '../platform/auth/model.js';
import { actorOf } from '../platform/auth/service.js';
import type { AnyTransaction } from '../platform/db/database.js';
import { AppError } from '../platform/errors.js';
import type { ReportService } from '../platform/reports/service.js';
import { principalKey } from '../platform/review/model.js';
import type { ReviewService } from '../platform/review/service.js';
import type { CaseKey, CaseKeys } from './case-keys.js';
import { emptyFindings, type Findings, type Subject } from './model.js';
import type { CaseEvidence, CaseScreening } from './ports.js';
import { type CaseRow, CaseStore, type EventRow } from './store.js';

export const CASE_SUBJECT = 'case';
const GENESIS = '0'.repeat(64);

export interface CaseDeps {
  store: CaseStore;
  keys: CaseKeys;
  audit: AuditService;
  review: ReviewService;
  reports: ReportService;
  screening: CaseScreening;
  evidence?: CaseEvidence | undefined;
  listStaff: () => Promise<
    Array<{ id: string; role: string; disabled: boolean; username: string; displayName: string }>
  >;
  /** Reports name the officers beside role and id (setting reportOfficerNames). */
  officerNames: boolean;
}

export function eventHash(row: Omit<EventRow, 'hash'>): string {
  return createHash('sha256')
    .update(canonicalJson({ ...row, at: new Date(row.at).toISOString() }))
    .digest('hex');
}

/** Whether the principal may see this case at all. */
export function maySee(principal: Principal, row: Pick<CaseRow, 'requester_org'>): boolean {
  if (principal.type === 'system') return true;
  if (principal.type === 'apikey')
    return principal.scopes.includes('verification') && principal.organization === row.requester_org;
  return principal.role === 'admin' || principal.role === 'analyst' || principal.role === 'reviewer';
}

export function isStaff(principal: Principal): boolean {
  return principal.type === 'system' || (principal.type === 'user' && principal.role !== 'partner');
}

export class CaseCore {
  constructor(readonly deps: CaseDeps) {}

  get store(): CaseStore {
    return this.deps.store;
  }

  /**
   * The case, if `principal` may see it; otherwise the not-found error, the denial audited. With `trx`
   * and `lock`, the row is locked for the rest of the transaction (every write to a case locks it).
   */
  async load(
    principal: Principal,
    id: string,
    action: string,
    options: { trx?: AnyTransaction; lock?: boolean } = {},
  ): Promise<CaseRow> {
    const executor = options.trx ? CaseStore.within(options.trx) : this.store.db;
    const row = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)
      ? await this.store.getCase(executor, id, options.lock)
      : undefined;
    if (!row || !maySee(principal, row)) {
      // Inside a transaction the caller has already passed the audited check (see `write`).
      if (!options.trx)
        await this.deps.audit.record({
          actor: actorOf(principal),
          action,
          outcome: 'denied',
          target: { type: CASE_SUBJECT, id: id.slice(0, 100) },
        });
      throw new AppError('SVD_HTTP_NOT_FOUND');
    }
    return row;
  }

  /** Appends to the case history and the audit log in `trx`. Details must never hold subject data. */
  async event(
    trx: AnyTransaction,
    caseId: string,
    principal: Principal,
    action: string,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    const store = CaseStore.within(trx);
    const last = await this.store.lastEvent(store, caseId);
    const actor = actorOf(principal);
    const base: Omit<EventRow, 'hash'> = {
      case_id: caseId,
      seq: (last ? Number(last.seq) : 0) + 1,
      at: new Date(),
      action,
      actor: principalKey(principal),
      actor_label: actor.label ?? null,
      details: JSON.parse(JSON.stringify(details)),
      prev_hash: last?.hash ?? GENESIS,
    };
    await this.store.insertEvent(store, { ...base, hash: eventHash(base) });
    await this.deps.audit.record(
      {
        actor,
        action: `cases.${action}`,
        target: { type: CASE_SUBJECT, id: caseId },
        purpose: principal.type === 'apikey' ? principal.purpose : null,
        details,
      },
      trx,
    );
  }

  /** Runs `work` on the locked case in a transaction. */
  async write<T>(
    principal: Principal,
    id: string,
    action: string,
    work: (trx: AnyTransaction, row: CaseRow) => Promise<T>,
  ): Promise<T> {
    // Authorize (and audit a denial) outside the transaction, then lock the row inside it.
    await this.load(principal, id, `cases.${action}`);
    return this.store.transaction(async (trx) => {
      const row = await this.load(principal, id, `cases.${action}`, { trx, lock: true });
      return work(trx, row);
    });
  }

  key(row: CaseRow): CaseKey {
    if (row.erased_at) throw new AppError('SVD_CASES_ERASED');
    return this.deps.keys.open(row.id, row.data_key);
  }

  subject(row: CaseRow, key = this.key(row)): Subject {
    return key.open<Subject>(row.subject!, `cases.subject:${row.id}`);
  }

  findings(row: CaseRow, key = this.key(row)): Findings {
    return row.findings ? key.open<Findings>(row.findings, `cases.findings:${row.id}`) : emptyFindings;
  }

  /** Refuses a step unless the case is in one of `from`. */
  requireStatus(row: CaseRow, from: readonly CaseRow['status'][]): void {
    if (row.erased_at) throw new AppError('SVD_CASES_ERASED');
    if (!from.includes(row.status))
      throw new AppError('SVD_CASES_TRANSITION', {
        message: `This step is not possible while the case is ${row.status.replace('_', ' ')}.`,
        details: { status: row.status },
      });
  }
}
