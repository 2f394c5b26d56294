/** SQL of citizens' items waiting for their daily batch (no time finer than the day, no order). */
import { EvidenceStoreBase, type EvidenceTransaction } from './tables.js';

export class CitizenBatchStore extends EvidenceStoreBase {
  async add(trx: EvidenceTransaction, itemId: string, day: string): Promise<void> {
    await trx
      .insertInto('evidence_citizen_batch')
      .values({ item_id: itemId, received_on: day })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  /** Takes (reads and deletes) the items received on days before `day`. */
  async take(trx: EvidenceTransaction, day: string): Promise<string[]> {
    const rows = await trx
      .deleteFrom('evidence_citizen_batch')
      .where('received_on', '<', day)
      .returning('item_id')
      .execute();
    return rows.map((row) => row.item_id);
  }

  /** Items waiting (for the home page and tests). */
  async waiting(): Promise<number> {
    const row = await this.db
      .selectFrom('evidence_citizen_batch')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
