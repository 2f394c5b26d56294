/**
 * Writing the chain of custody: every event is appended to the item's hash chain and mirrored in the
 * platform audit log, in the caller's transaction, so neither exists without the other.
 */
import type { AuditActor, AuditService } from '../platform/audit/service.js';
import type { CustodyRecord } from './custody-chain.js';
import type { CustodyAction, CustodyEvent } from './model.js';
import type { CustodyStore } from './store/custody.js';
import type { EvidenceTransaction, Executor } from './store/tables.js';

/** The actor of automatic processing steps. */
export const PROCESSING_ACTOR: AuditActor = { type: 'system', label: 'evidence-processing' };

export class CustodyLog {
  constructor(
    private readonly store: CustodyStore,
    private readonly audit: AuditService,
  ) {}

  /** Appends a custody event and mirrors it in the platform audit log, in the caller's transaction. */
  async append(
    trx: EvidenceTransaction,
    itemId: string,
    action: CustodyAction,
    actor: AuditActor,
    details: Record<string, unknown> = {},
    at?: Date,
  ): Promise<void> {
    const event = await this.store.appendCustody(trx, {
      itemId,
      action,
      actorType: actor.type,
      actorId: actor.id ?? null,
      actorLabel: actor.label ?? null,
      details,
      ...(at ? { at } : {}),
    });
    await this.audit.record(
      {
        actor,
        action: `evidence.custody.${action}`,
        target: { type: 'evidence_item', id: itemId },
        details: { seq: event.seq, hash: event.hash, ...details },
        ...(at ? { at } : {}),
      },
      trx,
    );
  }

  /** An item's chain as stored (with hashes), in order. */
  records(itemId: string, ex: Executor = this.store.db): Promise<Array<CustodyRecord & { hash: string }>> {
    return this.store.custody(ex, itemId);
  }

  /** An item's chain as API events (not redacted: see Items.redactCustody). */
  async events(itemId: string): Promise<CustodyEvent[]> {
    return (await this.records(itemId)).map(toCustodyEvent);
  }

  transaction<T>(work: (trx: EvidenceTransaction) => Promise<T>): Promise<T> {
    return this.store.transaction(work);
  }
}

export function toCustodyEvent(row: Omit<CustodyRecord, 'itemId'> & { hash: string }): CustodyEvent {
  return {
    seq: row.seq,
    at: row.at.toISOString(),
    action: row.action,
    actor: { type: row.actorType, id: row.actorId, label: row.actorLabel },
    details: row.details,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}
