/** SQL of the per-item chain of custody (append-only, hash-chained; see custody-chain.ts). */
import { sql } from 'kysely';
import { sanitizeDetails } from '../../platform/audit/chain.js';
import { CUSTODY_GENESIS, type CustodyRecord, hashCustodyRecord } from '../custody-chain.js';
import { EvidenceStoreBase, type EvidenceTransaction, type Executor, json } from './tables.js';

export class CustodyStore extends EvidenceStoreBase {
  /**
   * Appends a custody event to an item's chain. The item row is locked for the rest of the transaction
   * so two writers cannot take the same sequence number.
   */
  async appendCustody(
    trx: EvidenceTransaction,
    event: Omit<CustodyRecord, 'seq' | 'prevHash' | 'at'> & { at?: Date },
  ): Promise<CustodyRecord & { hash: string }> {
    await sql`select id from evidence_items where id = ${event.itemId} for update`.execute(trx);
    const head = await trx
      .selectFrom('evidence_custody')
      .select(['seq', 'hash'])
      .where('item_id', '=', event.itemId)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    const record: CustodyRecord = {
      itemId: event.itemId,
      seq: (head?.seq ?? 0) + 1,
      at: event.at ?? new Date(),
      action: event.action,
      actorType: event.actorType,
      actorId: event.actorId,
      actorLabel: event.actorLabel,
      details: sanitizeDetails(event.details) as Record<string, unknown>,
      prevHash: head?.hash ?? CUSTODY_GENESIS,
    };
    const hash = hashCustodyRecord(record);
    await trx
      .insertInto('evidence_custody')
      .values({
        item_id: record.itemId,
        seq: record.seq,
        at: record.at,
        action: record.action,
        actor_type: record.actorType,
        actor_id: record.actorId,
        actor_label: record.actorLabel,
        details: json(record.details),
        prev_hash: record.prevHash,
        hash,
      })
      .execute();
    return { ...record, hash };
  }

  async custody(ex: Executor, itemId: string): Promise<Array<CustodyRecord & { hash: string }>> {
    const rows = await ex
      .selectFrom('evidence_custody')
      .selectAll()
      .where('item_id', '=', itemId)
      .orderBy('seq')
      .execute();
    return rows.map((row) => ({
      itemId: row.item_id,
      seq: Number(row.seq),
      at: new Date(row.at),
      action: row.action,
      actorType: row.actor_type,
      actorId: row.actor_id,
      actorLabel: row.actor_label,
      details: (typeof row.details === 'string' ? JSON.parse(row.details) : row.details) as Record<
        string,
        unknown
      >,
      prevHash: row.prev_hash,
      hash: row.hash,
    }));
  }
}
