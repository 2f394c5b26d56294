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
    await this.appendMany(trx, itemId, [{ action, actor, details, ...(at ? { at } : {}) }]);
  }

  /**
   * Appends several events to one item's chain, in order, each mirrored in the audit log: one write
   * for the chain and one for the log. `created`: the item was inserted in this transaction.
   */
  async appendMany(
    trx: EvidenceTransaction,
    itemId: string,
    events: ReadonlyArray<{
      action: CustodyAction;
      actor: AuditActor;
      details?: Record<string, unknown>;
      at?: Date;
    }>,
    options: { created?: boolean } = {},
  ): Promise<void> {
    const written = await this.store.appendCustody(
      trx,
      itemId,
      events.map((event) => ({
        action: event.action,
        actorType: event.actor.type,
        actorId: event.actor.id ?? null,
        actorLabel: event.actor.label ?? null,
        details: event.details ?? {},
        ...(event.at ? { at: event.at } : {}),
      })),
      options,
    );
    await this.audit.recordMany(
      events.map((event, index) => ({
        actor: event.actor,
        action: `evidence.custody.${event.action}`,
        target: { type: 'evidence_item', id: itemId },
        details: { seq: written[index]!.seq, hash: written[index]!.hash, ...(event.details ?? {}) },
        ...(event.at ? { at: event.at } : {}),
      })),
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
