/** SQL of the per-item chain of custody (append-only, hash-chained; see custody-chain.ts). */
import { sql } from 'kysely';
import { sanitizeDetails } from '../../platform/audit/chain.js';
import { CUSTODY_GENESIS, type CustodyRecord, hashCustodyRecord } from '../custody-chain.js';
import { EvidenceStoreBase, type EvidenceTransaction, type Executor, json } from './tables.js';

export class CustodyStore extends EvidenceStoreBase {
  /**
   * Appends custody events, in this order, to one item's chain, in one insert. The item row is locked
   * for the rest of the transaction so two writers cannot take the same sequence numbers; an item
   * created in this same transaction (`created`) is invisible to others and has no chain yet.
   */
  async appendCustody(
    trx: EvidenceTransaction,
    itemId: string,
    events: ReadonlyArray<Omit<CustodyRecord, 'itemId' | 'seq' | 'prevHash' | 'at'> & { at?: Date }>,
    options: { created?: boolean } = {},
  ): Promise<Array<CustodyRecord & { hash: string }>> {
    if (events.length === 0) return [];
    let head: { seq: number; hash: string } | undefined;
    if (!options.created) {
      await sql`select id from evidence_items where id = ${itemId} for update`.execute(trx);
      head = await trx
        .selectFrom('evidence_custody')
        .select(['seq', 'hash'])
        .where('item_id', '=', itemId)
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
    }
    const written: Array<CustodyRecord & { hash: string }> = [];
    for (const event of events) {
      const record: CustodyRecord = {
        itemId,
        seq: (head ? Number(head.seq) : 0) + 1,
        at: event.at ?? new Date(),
        action: event.action,
        actorType: event.actorType,
        actorId: event.actorId,
        actorLabel: event.actorLabel,
        details: sanitizeDetails(event.details) as Record<string, unknown>,
        prevHash: head?.hash ?? CUSTODY_GENESIS,
      };
      const hash = hashCustodyRecord(record);
      written.push({ ...record, hash });
      head = { seq: record.seq, hash };
    }
    await trx
      .insertInto('evidence_custody')
      .values(
        written.map((record) => ({
          item_id: record.itemId,
          seq: record.seq,
          at: record.at,
          action: record.action,
          actor_type: record.actorType,
          actor_id: record.actorId,
          actor_label: record.actorLabel,
          details: json(record.details),
          prev_hash: record.prevHash,
          hash: record.hash,
        })),
      )
      .execute();
    return written;
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
