/**
 * SQL of what processing writes about an item: processing events, metadata records, working copies
 * (derivatives), perceptual hashes and near-duplicate links.
 */
import { type Insertable, sql } from 'kysely';
import {
  EvidenceStoreBase,
  type EvidenceTables,
  type EvidenceTransaction,
  type Executor,
  type ItemRow,
  json,
  type Visible,
} from './tables.js';

export class ProcessingStore extends EvidenceStoreBase {
  async insertMetadata(
    trx: EvidenceTransaction,
    rows: Array<Insertable<EvidenceTables['evidence_metadata']>>,
  ) {
    if (rows.length === 0) return;
    await trx
      .insertInto('evidence_metadata')
      .values(
        rows.map((row) => ({
          ...row,
          data: json(row.data),
          summary: json(row.summary),
          warnings: json(row.warnings),
        })),
      )
      .execute();
  }

  metadata(itemId: string) {
    return this.db
      .selectFrom('evidence_metadata')
      .selectAll()
      .where('item_id', '=', itemId)
      .orderBy('created_at')
      .orderBy('tool')
      .execute();
  }

  async insertProcessing(
    trx: EvidenceTransaction,
    rows: Array<Insertable<EvidenceTables['evidence_processing']>>,
  ) {
    if (rows.length) await trx.insertInto('evidence_processing').values(rows).execute();
  }

  processing(itemId: string) {
    return this.db
      .selectFrom('evidence_processing')
      .selectAll()
      .where('item_id', '=', itemId)
      .orderBy('at')
      .execute();
  }

  /**
   * An item to process, with what earlier processing stored for it (its steps, working copies and
   * whether it has hashes), in one query.
   */
  async itemToProcess(itemId: string): Promise<
    | {
        item: ItemRow;
        done: { steps: Set<string>; derivatives: Set<string>; phashes: boolean };
      }
    | undefined
  > {
    const { rows } = await sql<
      ItemRow & { done_steps: string[]; done_derivatives: string[]; done_phashes: boolean }
    >`
      select i.*,
             array(select distinct step from evidence_processing where item_id = i.id) as done_steps,
             array(select purpose from evidence_derivatives where item_id = i.id) as done_derivatives,
             exists(select 1 from evidence_phashes where item_id = i.id) as done_phashes
        from evidence_items i where i.id = ${itemId}`.execute(this.db);
    const row = rows[0];
    if (!row) return undefined;
    const { done_steps, done_derivatives, done_phashes, ...item } = row;
    return {
      item: item as ItemRow,
      done: { steps: new Set(done_steps), derivatives: new Set(done_derivatives), phashes: done_phashes },
    };
  }

  async insertDerivatives(
    trx: EvidenceTransaction,
    rows: Array<Insertable<EvidenceTables['evidence_derivatives']>>,
  ) {
    if (rows.length === 0) return;
    await trx
      .insertInto('evidence_derivatives')
      .values(rows)
      .onConflict((oc) => oc.columns(['item_id', 'purpose']).doNothing())
      .execute();
  }

  derivatives(itemId: string) {
    return this.db.selectFrom('evidence_derivatives').selectAll().where('item_id', '=', itemId).execute();
  }

  async itemsWithThumbnail(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('evidence_derivatives')
      .select('item_id')
      .where('item_id', 'in', ids)
      .where('purpose', '=', 'thumbnail')
      .execute();
    return new Set(rows.map((row) => row.item_id));
  }

  async insertPhashes(rows: EvidenceTables['evidence_phashes'][], ex: Executor) {
    if (rows.length === 0) return;
    await ex
      .insertInto('evidence_phashes')
      .values(rows)
      .onConflict((oc) => oc.columns(['item_id', 'frame_seconds']).doNothing())
      .execute();
  }

  phashes(itemId: string) {
    return this.db
      .selectFrom('evidence_phashes')
      .select(['frame_seconds', 'hash'])
      .where('item_id', '=', itemId)
      .orderBy('frame_seconds')
      .execute();
  }

  async *allPhashes(pageSize = 20_000): AsyncGenerator<Array<{ item_id: string; hash: string }>> {
    let after: { item_id: string; frame_seconds: number } | undefined;
    for (;;) {
      let query = this.db
        .selectFrom('evidence_phashes')
        .select(['item_id', 'hash', 'frame_seconds'])
        .orderBy('item_id')
        .orderBy('frame_seconds')
        .limit(pageSize);
      if (after) {
        const a = after;
        query = query.where((eb) =>
          eb.or([
            eb('item_id', '>', a.item_id),
            eb.and([eb('item_id', '=', a.item_id), eb('frame_seconds', '>', a.frame_seconds)]),
          ]),
        );
      }
      const rows = await query.execute();
      if (rows.length === 0) return;
      yield rows;
      const last = rows[rows.length - 1]!;
      after = { item_id: last.item_id, frame_seconds: Number(last.frame_seconds) };
    }
  }

  async insertLink(
    trx: EvidenceTransaction,
    a: string,
    b: string,
    distance: number,
    at: Date,
  ): Promise<boolean> {
    const [itemA, itemB] = a < b ? [a, b] : [b, a];
    const row = await trx
      .insertInto('evidence_links')
      .values({ item_a: itemA, item_b: itemB, kind: 'near-duplicate', distance, created_at: at })
      .onConflict((oc) => oc.doNothing())
      .returning('item_a')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Possible duplicates of an item among the visible collections, with name and thumbnail presence. */
  async links(
    itemId: string,
    visible: Visible,
  ): Promise<Array<{ itemId: string; distance: number; fileName: string | null; hasThumbnail: boolean }>> {
    if (visible !== 'all' && visible.length === 0) return [];
    let query = this.db
      .selectFrom('evidence_links as l')
      .innerJoin('evidence_items as o', (join) =>
        join.on(
          sql<boolean>`(l.item_a = ${itemId} and o.id = l.item_b) or (l.item_b = ${itemId} and o.id = l.item_a)`,
        ),
      )
      .select(['o.id', 'o.file_name', 'l.distance'])
      .select((eb) =>
        eb
          .exists(
            eb
              .selectFrom('evidence_derivatives as d')
              .select('d.id')
              .whereRef('d.item_id', '=', 'o.id')
              .where('d.purpose', '=', 'thumbnail'),
          )
          .as('has_thumbnail'),
      )
      .orderBy('l.distance')
      .orderBy('o.id');
    if (visible !== 'all') query = query.where('o.collection_id', 'in', [...visible]);
    const rows = await query.execute();
    return rows.map((row) => ({
      itemId: row.id,
      distance: row.distance,
      fileName: row.file_name,
      hasThumbnail: Boolean(row.has_thumbnail),
    }));
  }
  /**
   * Deletes everything processing derived from an item (metadata records, processing events, working
   * copies, perceptual hashes, near-duplicate links); answers the working copies' blob hashes.
   */
  async deleteDerived(trx: EvidenceTransaction, itemId: string): Promise<{ copies: string[]; rows: number }> {
    const copies = await trx
      .deleteFrom('evidence_derivatives')
      .where('item_id', '=', itemId)
      .returning('sha256')
      .execute();
    let rows = copies.length;
    for (const table of ['evidence_metadata', 'evidence_processing', 'evidence_phashes'] as const)
      rows += Number(
        (await trx.deleteFrom(table).where('item_id', '=', itemId).executeTakeFirst()).numDeletedRows,
      );
    rows += Number(
      (
        await trx
          .deleteFrom('evidence_links')
          .where((eb) => eb.or([eb('item_a', '=', itemId), eb('item_b', '=', itemId)]))
          .executeTakeFirst()
      ).numDeletedRows,
    );
    return { copies: copies.map((row) => row.sha256), rows };
  }
}
