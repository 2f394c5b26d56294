/** SQL of evidence items: the rows, the filtered and paged list, and which collection each is in. */
import { sql } from 'kysely';
import { containing } from '../../platform/db/like.js';
import {
  EvidenceStoreBase,
  type EvidenceTransaction,
  type Executor,
  type ItemRow,
  json,
  type Visible,
} from './tables.js';

/** Filters of the item list, already parsed. */
export interface ItemFilter {
  codes?: string[] | undefined;
  codesMatch?: 'any' | 'all' | undefined;
  incidentId?: string | undefined;
  collectionId?: string | undefined;
  kind?: string | undefined;
  channel?: string | undefined;
  verificationState?: string | undefined;
  processingState?: string | undefined;
  text?: string | undefined;
  /** Items whose encrypted notes contain the text (matched by the service after decryption). */
  textIds?: readonly string[] | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  capturedFrom?: Date | undefined;
  capturedTo?: Date | undefined;
}

export class ItemStore extends EvidenceStoreBase {
  /** The items holding these bytes, oldest first (several when uploaders could not see each other's). */
  itemsBySha(
    ex: Executor,
    sha256: string,
  ): Promise<Array<Pick<ItemRow, 'id' | 'collection_id' | 'media_type'>>> {
    return (
      ex
        .selectFrom('evidence_items')
        .select(['id', 'collection_id', 'media_type'])
        .where('sha256', '=', sha256)
        // An erased item no longer holds the bytes.
        .where('erased_at', 'is', null)
        // A citizen's item is dated to its day only, so within a day it cannot be placed before another
        // item: it comes after that day's other items.
        .orderBy(sql`date_trunc('day', created_at at time zone 'UTC')`)
        .orderBy(sql`channel = 'citizen'`)
        .orderBy('created_at')
        .orderBy('id')
        .execute()
    );
  }

  item(ex: Executor, id: string, options: { lock?: boolean } = {}): Promise<ItemRow | undefined> {
    const query = ex.selectFrom('evidence_items').selectAll().where('id', '=', id);
    return (options.lock ? query.forUpdate() : query).executeTakeFirst() as Promise<ItemRow | undefined>;
  }

  async insertItem(
    trx: EvidenceTransaction,
    row: Omit<ItemRow, 'created_at' | 'verification_state' | 'processing_state' | 'erased_at'> & {
      created_at?: Date;
    },
  ) {
    await trx
      .insertInto('evidence_items')
      .values({ ...row, acquisition: row.acquisition === null ? null : json(row.acquisition) })
      .execute();
  }

  /** Marks an item processed, with what processing learnt: its media type and capture time. */
  async finishProcessing(
    trx: EvidenceTransaction,
    id: string,
    learnt: { mediaType?: string; kind?: string; capturedAt?: Date },
  ): Promise<void> {
    await trx
      .updateTable('evidence_items')
      .set({
        processing_state: 'done',
        ...(learnt.mediaType && learnt.kind ? { media_type: learnt.mediaType, kind: learnt.kind } : {}),
        ...(learnt.capturedAt ? { captured_at: learnt.capturedAt } : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  async setVerificationState(trx: EvidenceTransaction, id: string, state: string): Promise<void> {
    await trx.updateTable('evidence_items').set({ verification_state: state }).where('id', '=', id).execute();
  }

  #itemQuery(filter: ItemFilter, visible: Visible) {
    let query = this.db.selectFrom('evidence_items as i');
    if (visible !== 'all') {
      const ids = [...visible];
      query = ids.length === 0 ? query.where(sql<boolean>`false`) : query.where('i.collection_id', 'in', ids);
    }
    if (filter.collectionId) query = query.where('i.collection_id', '=', filter.collectionId);
    if (filter.kind) query = query.where('i.kind', '=', filter.kind);
    if (filter.channel) query = query.where('i.channel', '=', filter.channel);
    if (filter.verificationState) query = query.where('i.verification_state', '=', filter.verificationState);
    if (filter.processingState) query = query.where('i.processing_state', '=', filter.processingState);
    if (filter.from) query = query.where('i.received_at', '>=', filter.from);
    if (filter.to) query = query.where('i.received_at', '<', filter.to);
    if (filter.capturedFrom) query = query.where('i.captured_at', '>=', filter.capturedFrom);
    if (filter.capturedTo) query = query.where('i.captured_at', '<', filter.capturedTo);
    if (filter.text) {
      const pattern = containing(filter.text);
      const noted = filter.textIds?.length ? [...filter.textIds] : null;
      query = query.where((eb) =>
        eb.or([
          eb('i.file_name', 'ilike', pattern),
          eb('i.source_label', 'ilike', pattern),
          ...(noted ? [eb('i.id', 'in', noted)] : []),
        ]),
      );
    }
    const codes = [...new Set(filter.codes ?? [])];
    if (codes.length) {
      const all = filter.codesMatch === 'all';
      for (const wanted of all ? codes.map((code) => [code]) : [codes])
        query = query.where((eb) =>
          eb.exists(
            eb
              .selectFrom('evidence_classifications as c')
              .select('c.code')
              .whereRef('c.target_id', '=', 'i.id')
              .where('c.target_type', '=', 'item')
              .where('c.code', 'in', wanted),
          ),
        );
    }
    if (filter.incidentId) {
      const incidentId = filter.incidentId;
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('incident_items as x')
            .select('x.item_id')
            .whereRef('x.item_id', '=', 'i.id')
            .where('x.incident_id', '=', incidentId),
        ),
      );
    }
    return query;
  }

  /** A page of items, newest first, only from the visible collections. */
  async listItems(
    filter: ItemFilter & { before?: { at: Date; id: string } | undefined; limit: number },
    visible: Visible,
  ): Promise<ItemRow[]> {
    let query = this.#itemQuery(filter, visible)
      .selectAll('i')
      .orderBy('i.received_at', 'desc')
      .orderBy('i.id', 'desc')
      .limit(filter.limit);
    if (filter.before) {
      const { at, id } = filter.before;
      query = query.where((eb) =>
        eb.or([eb('i.received_at', '<', at), eb.and([eb('i.received_at', '=', at), eb('i.id', '<', id)])]),
      );
    }
    return (await query.execute()) as ItemRow[];
  }

  /** How many items match the filters (all pages). */
  async countItems(filter: ItemFilter, visible: Visible): Promise<number> {
    const row = await this.#itemQuery(filter, visible)
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** The encrypted notes of the items in the visible collections, to search them after decryption. */
  async sealedNotes(visible: Visible): Promise<Array<{ id: string; note_sealed: Buffer }>> {
    if (visible !== 'all' && visible.length === 0) return [];
    let query = this.db
      .selectFrom('evidence_items')
      .select(['id', 'note_sealed'])
      .where('note_sealed', 'is not', null);
    if (visible !== 'all') query = query.where('collection_id', 'in', [...visible]);
    return (await query.execute()) as Array<{ id: string; note_sealed: Buffer }>;
  }

  /** Id and collection of each existing item among `ids`. */
  async itemCollections(ids: readonly string[], ex: Executor = this.db): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await ex
      .selectFrom('evidence_items')
      .select(['id', 'collection_id'])
      .where('id', 'in', [...ids])
      .execute();
    return new Map(rows.map((row) => [row.id, row.collection_id]));
  }

  async setItemCollection(trx: EvidenceTransaction, id: string, collectionId: string) {
    await trx
      .updateTable('evidence_items')
      .set({ collection_id: collectionId })
      .where('id', '=', id)
      .execute();
  }

  async setCapturedAt(id: string, at: Date | null, ex: Executor = this.db): Promise<void> {
    await ex.updateTable('evidence_items').set({ captured_at: at }).where('id', '=', id).execute();
  }

  /** Capture times of processed items that lack the column (filled before it existed). */
  async missingCaptureTimes(): Promise<Array<{ item_id: string; capture: string }>> {
    const rows = await sql<{ item_id: string; capture: string }>`
      select m.item_id, m.summary ->> 'captureTime' as capture
        from evidence_metadata m join evidence_items i on i.id = m.item_id
       where i.captured_at is null and (m.summary ->> 'captureTime') is not null
       order by m.item_id, m.created_at, m.tool`.execute(this.db);
    return rows.rows;
  }

  async allItemIds(
    after: string | null,
    limit: number,
  ): Promise<Array<{ id: string; sha256: string; erased_at: Date | null }>> {
    let query = this.db
      .selectFrom('evidence_items')
      .select(['id', 'sha256', 'erased_at'])
      .orderBy('id')
      .limit(limit);
    if (after) query = query.where('id', '>', after);
    return query.execute();
  }
  /** Whether anything but the erased item `itemId` still holds these bytes (another item, a working copy). */
  async blobStillHeld(trx: EvidenceTransaction, sha256: string, itemId: string): Promise<boolean> {
    const item = await trx
      .selectFrom('evidence_items')
      .select('id')
      .where('sha256', '=', sha256)
      .where('id', '!=', itemId)
      .where('erased_at', 'is', null)
      .executeTakeFirst();
    if (item) return true;
    const copy = await trx
      .selectFrom('evidence_derivatives')
      .select('id')
      .where('sha256', '=', sha256)
      .executeTakeFirst();
    return copy !== undefined;
  }

  /** Whether an item is linked to any incident (read in the caller's transaction). */
  async linkedToIncident(trx: EvidenceTransaction, itemId: string): Promise<boolean> {
    const row = await trx
      .selectFrom('incident_items')
      .select('item_id')
      .where('item_id', '=', itemId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Marks an item erased and clears what describes its content (file name, note, source, acquisition). */
  async markErased(trx: EvidenceTransaction, id: string, at: Date): Promise<void> {
    await trx
      .updateTable('evidence_items')
      .set({
        erased_at: at,
        file_name: null,
        note: null,
        note_sealed: null,
        source_label: null,
        acquisition: null,
      })
      .where('id', '=', id)
      .execute();
    await trx.deleteFrom('evidence_tus_results').where('item_id', '=', id).execute();
  }
}
