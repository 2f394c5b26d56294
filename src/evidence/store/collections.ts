/** SQL of collections, the vault's compartments. */
import { type CollectionRow, EvidenceStoreBase, type EvidenceTransaction, type Executor } from './tables.js';

export class CollectionStore extends EvidenceStoreBase {
  collections(): Promise<Array<CollectionRow & { item_count: number }>> {
    return this.db
      .selectFrom('evidence_collections as k')
      .selectAll('k')
      .select((eb) =>
        eb
          .selectFrom('evidence_items as i')
          .select((inner) => inner.fn.countAll<number>().as('n'))
          .whereRef('i.collection_id', '=', 'k.id')
          .as('item_count'),
      )
      .execute() as Promise<Array<CollectionRow & { item_count: number }>>;
  }

  collection(ex: Executor, id: string): Promise<CollectionRow | undefined> {
    return ex
      .selectFrom('evidence_collections')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst() as Promise<CollectionRow | undefined>;
  }

  collectionByNameHash(ex: Executor, nameHash: string): Promise<CollectionRow | undefined> {
    return ex
      .selectFrom('evidence_collections')
      .selectAll()
      .where('name_hash', '=', nameHash)
      .executeTakeFirst() as Promise<CollectionRow | undefined>;
  }

  /** Collections created before names were hashed and sealed. */
  unhashed(trx: EvidenceTransaction): Promise<CollectionRow[]> {
    return trx
      .selectFrom('evidence_collections')
      .selectAll()
      .where('name_hash', 'is', null)
      .forUpdate()
      .execute() as Promise<CollectionRow[]>;
  }

  async setName(
    trx: EvidenceTransaction,
    id: string,
    name: Pick<CollectionRow, 'name' | 'name_sealed' | 'name_hash'>,
  ): Promise<void> {
    await trx.updateTable('evidence_collections').set(name).where('id', '=', id).execute();
  }

  async insertCollection(trx: EvidenceTransaction, row: Omit<CollectionRow, 'created_at'>): Promise<boolean> {
    const inserted = await trx
      .insertInto('evidence_collections')
      .values(row)
      .onConflict((oc) => oc.column('name_hash').doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  /** Every collection as a compartment (id, restricted). */
  collectionCompartments(): Promise<Array<{ id: string; restricted: boolean }>> {
    return this.db.selectFrom('evidence_collections').select(['id', 'restricted']).execute();
  }
}
