/** SQL of the evidence vault: the only place in the area that talks to the database. */
import { type Generated, type Kysely, sql, type Transaction } from 'kysely';
import { sanitizeDetails } from '../platform/audit/chain.js';
import type { BlobsTable } from '../platform/blobs/index.js';
import type { AnyDb, AnyTransaction } from '../platform/db/database.js';
import { CUSTODY_GENESIS, type CustodyRecord, hashCustodyRecord } from './custody.js';
import type { TaxonomyVersion } from './taxonomy-data.js';

export type EvidenceTables = {
  blobs: BlobsTable;
  evidence_submissions: { id: string; receipt_hash: string; contact: Buffer | null; created_on: string };
  evidence_items: {
    id: string;
    sha256: string;
    size: number;
    media_type: string;
    kind: string;
    file_name: string | null;
    channel: string;
    source_label: string | null;
    note: string | null;
    acquisition: unknown;
    received_at: Date;
    verification_state: Generated<string>;
    processing_state: Generated<string>;
    created_at: Generated<Date>;
    collection_id: string;
    captured_at: Generated<Date | null>;
  };
  evidence_collections: {
    id: string;
    name: string;
    description: Generated<string>;
    restricted: Generated<boolean>;
    created_by: string | null;
    created_at: Generated<Date>;
  };
  evidence_tus_results: {
    upload_id: string;
    owner: string;
    item_id: string;
    sha256: string;
    size: number;
    media_type: string;
    duplicate: boolean;
    created_at: Generated<Date>;
  };
  evidence_submission_items: { submission_id: string; item_id: string; added_on: string };
  evidence_custody: {
    item_id: string;
    seq: number;
    at: Date;
    action: string;
    actor_type: string;
    actor_id: string | null;
    actor_label: string | null;
    details: unknown;
    prev_hash: string;
    hash: string;
  };
  evidence_metadata: {
    id: string;
    item_id: string;
    tool: string;
    tool_version: string;
    data: unknown;
    summary: unknown;
    warnings: unknown;
    created_at: Generated<Date>;
  };
  evidence_processing: {
    id: string;
    item_id: string;
    step: string;
    outcome: string;
    tool: string | null;
    tool_version: string | null;
    code: string | null;
    message: string | null;
    at: Generated<Date>;
  };
  evidence_derivatives: {
    id: string;
    item_id: string;
    purpose: string;
    parent_sha256: string;
    sha256: string;
    size: number;
    media_type: string;
    tool: string;
    tool_version: string;
    width: number | null;
    height: number | null;
    created_at: Generated<Date>;
  };
  evidence_phashes: {
    item_id: string;
    frame_seconds: number;
    hash: string;
    algorithm: string;
    tool: string;
    tool_version: string;
  };
  evidence_links: {
    item_a: string;
    item_b: string;
    kind: string;
    distance: number;
    created_at: Generated<Date>;
  };
  taxonomy_versions: { version: number; note: string; applied_at: Generated<Date> };
  taxonomy_codes: {
    code: string;
    axis: string;
    labels: unknown;
    maps_to: string[];
    sources: string[];
    huridocs_types_of_acts: string | null;
    added_in: number;
    deprecated_in: number | null;
    custom: Generated<boolean>;
  };
  incidents: {
    id: string;
    title: string;
    description: string;
    occurred_from: Date | null;
    occurred_to: Date | null;
    place: string | null;
    place_type: string | null;
    latitude: number | null;
    longitude: number | null;
    responsible_institution: string | null;
    responsible_unit: string | null;
    created_by: string | null;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
    collection_id: Generated<string | null>;
  };
  incident_items: { incident_id: string; item_id: string; role: string | null; linked_at: Generated<Date> };
  incident_persons: {
    id: string;
    incident_id: string;
    role: string;
    entity_id: string | null;
    name: Buffer | null;
    created_at: Generated<Date>;
  };
  evidence_classifications: {
    target_type: string;
    target_id: string;
    code: string;
    taxonomy_version: number;
    assigned_by: string | null;
    assigned_at: Generated<Date>;
  };
};

export type Executor = Kysely<EvidenceTables> | Transaction<EvidenceTables>;
type Row<T extends keyof EvidenceTables> = {
  [K in keyof EvidenceTables[T]]: EvidenceTables[T][K] extends Generated<infer U> ? U : EvidenceTables[T][K];
};
export type ItemRow = Row<'evidence_items'>;
export type CustodyRow = Row<'evidence_custody'>;
export type IncidentRow = Row<'incidents'>;
export type TaxonomyRow = Row<'taxonomy_codes'>;
export type CollectionRow = Row<'evidence_collections'>;
/** The collections a caller may see: every one, or these ids (possibly none). */
export type Visible = 'all' | readonly string[];

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
  from?: Date | undefined;
  to?: Date | undefined;
  capturedFrom?: Date | undefined;
  capturedTo?: Date | undefined;
}

export interface IncidentFilter {
  text?: string | undefined;
  code?: string | undefined;
  placeType?: string | undefined;
  responsibleInstitution?: string | undefined;
  collectionId?: string | undefined;
  /** A registry entity linked to the incident as a person (any role). */
  entityId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

/** A LIKE pattern that matches `text` literally anywhere. */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const json = (value: unknown) => JSON.stringify(value) as unknown;

export class EvidenceStore {
  readonly db: Kysely<EvidenceTables>;
  constructor(db: AnyDb) {
    this.db = db.withTables<EvidenceTables>();
  }

  transaction<T>(work: (trx: Transaction<EvidenceTables>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  static trx(trx: AnyTransaction): Transaction<EvidenceTables> {
    return trx as Transaction<EvidenceTables>;
  }

  // Items

  itemBySha(ex: Executor, sha256: string): Promise<ItemRow | undefined> {
    return ex
      .selectFrom('evidence_items')
      .selectAll()
      .where('sha256', '=', sha256)
      .executeTakeFirst() as Promise<ItemRow | undefined>;
  }

  item(ex: Executor, id: string): Promise<ItemRow | undefined> {
    return ex.selectFrom('evidence_items').selectAll().where('id', '=', id).executeTakeFirst() as Promise<
      ItemRow | undefined
    >;
  }

  async insertItem(
    trx: Transaction<EvidenceTables>,
    row: Omit<ItemRow, 'created_at' | 'verification_state' | 'processing_state'>,
  ) {
    await trx
      .insertInto('evidence_items')
      .values({ ...row, acquisition: row.acquisition === null ? null : json(row.acquisition) })
      .execute();
  }

  async setProcessingState(id: string, state: 'pending' | 'done' | 'failed'): Promise<void> {
    await this.db
      .updateTable('evidence_items')
      .set({ processing_state: state })
      .where('id', '=', id)
      .execute();
  }

  async setVerificationState(trx: Transaction<EvidenceTables>, id: string, state: string): Promise<void> {
    await trx.updateTable('evidence_items').set({ verification_state: state }).where('id', '=', id).execute();
  }

  async updateMediaType(id: string, mediaType: string, kind: string): Promise<void> {
    await this.db
      .updateTable('evidence_items')
      .set({ media_type: mediaType, kind })
      .where('id', '=', id)
      .execute();
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
      query = query.where((eb) =>
        eb.or([eb('i.file_name', 'ilike', pattern), eb('i.source_label', 'ilike', pattern)]),
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
  ): Promise<Array<ItemRow & { collection_name: string }>> {
    let query = this.#itemQuery(filter, visible)
      .innerJoin('evidence_collections as k', 'k.id', 'i.collection_id')
      .selectAll('i')
      .select('k.name as collection_name')
      .orderBy('i.received_at', 'desc')
      .orderBy('i.id', 'desc')
      .limit(filter.limit);
    if (filter.before) {
      const { at, id } = filter.before;
      query = query.where((eb) =>
        eb.or([eb('i.received_at', '<', at), eb.and([eb('i.received_at', '=', at), eb('i.id', '<', id)])]),
      );
    }
    return (await query.execute()) as Array<ItemRow & { collection_name: string }>;
  }

  /** How many items match the filters (all pages). */
  async countItems(filter: ItemFilter, visible: Visible): Promise<number> {
    const row = await this.#itemQuery(filter, visible)
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Id and collection of each existing item among `ids`. */
  async itemCollections(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('evidence_items')
      .select(['id', 'collection_id'])
      .where('id', 'in', [...ids])
      .execute();
    return new Map(rows.map((row) => [row.id, row.collection_id]));
  }

  async setItemCollection(trx: Transaction<EvidenceTables>, id: string, collectionId: string) {
    await trx
      .updateTable('evidence_items')
      .set({ collection_id: collectionId })
      .where('id', '=', id)
      .execute();
  }

  async setCapturedAt(id: string, at: Date | null): Promise<void> {
    await this.db.updateTable('evidence_items').set({ captured_at: at }).where('id', '=', id).execute();
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

  // Collections

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
      .orderBy('k.name')
      .execute() as Promise<Array<CollectionRow & { item_count: number }>>;
  }

  collection(ex: Executor, id: string): Promise<CollectionRow | undefined> {
    return ex
      .selectFrom('evidence_collections')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst() as Promise<CollectionRow | undefined>;
  }

  collectionByName(ex: Executor, name: string): Promise<CollectionRow | undefined> {
    return ex
      .selectFrom('evidence_collections')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst() as Promise<CollectionRow | undefined>;
  }

  async insertCollection(
    trx: Transaction<EvidenceTables>,
    row: Omit<CollectionRow, 'created_at'>,
  ): Promise<boolean> {
    const inserted = await trx
      .insertInto('evidence_collections')
      .values(row)
      .onConflict((oc) => oc.column('name').doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  /** Ids of the unrestricted collections. */
  async openCollectionIds(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('evidence_collections')
      .select('id')
      .where('restricted', '=', false)
      .execute();
    return rows.map((row) => row.id);
  }

  // Resumable upload results

  async insertTusResult(
    trx: Transaction<EvidenceTables>,
    row: Omit<EvidenceTables['evidence_tus_results'], 'created_at'>,
  ): Promise<void> {
    await trx
      .deleteFrom('evidence_tus_results')
      .where('created_at', '<', new Date(Date.now() - 24 * 3600 * 1000))
      .execute();
    await trx
      .insertInto('evidence_tus_results')
      .values(row)
      .onConflict((oc) => oc.column('upload_id').doNothing())
      .execute();
  }

  tusResult(uploadId: string, owner: string, since: Date) {
    return this.db
      .selectFrom('evidence_tus_results')
      .selectAll()
      .where('upload_id', '=', uploadId)
      .where('owner', '=', owner)
      .where('created_at', '>=', since)
      .executeTakeFirst();
  }

  async allItemIds(after: string | null, limit: number): Promise<Array<{ id: string; sha256: string }>> {
    let query = this.db.selectFrom('evidence_items').select(['id', 'sha256']).orderBy('id').limit(limit);
    if (after) query = query.where('id', '>', after);
    return query.execute();
  }

  // Custody

  /**
   * Appends a custody event to an item's chain. The item row is locked for the rest of the transaction
   * so two writers cannot take the same sequence number.
   */
  async appendCustody(
    trx: Transaction<EvidenceTables>,
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

  // Submissions (citizen receipts)

  submissionByReceipt(ex: Executor, receiptHash: string) {
    return ex
      .selectFrom('evidence_submissions')
      .select(['id'])
      .where('receipt_hash', '=', receiptHash)
      .executeTakeFirst();
  }

  async insertSubmission(trx: Transaction<EvidenceTables>, row: EvidenceTables['evidence_submissions']) {
    await trx.insertInto('evidence_submissions').values(row).execute();
  }

  async addSubmissionItem(
    trx: Transaction<EvidenceTables>,
    submissionId: string,
    itemId: string,
    day: string,
  ) {
    await trx
      .insertInto('evidence_submission_items')
      .values({ submission_id: submissionId, item_id: itemId, added_on: day })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  // Processing results

  async insertMetadata(row: Omit<EvidenceTables['evidence_metadata'], 'created_at'>) {
    await this.db
      .insertInto('evidence_metadata')
      .values({ ...row, data: json(row.data), summary: json(row.summary), warnings: json(row.warnings) })
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

  async insertProcessing(row: Omit<EvidenceTables['evidence_processing'], 'at'>) {
    await this.db.insertInto('evidence_processing').values(row).execute();
  }

  processing(itemId: string) {
    return this.db
      .selectFrom('evidence_processing')
      .selectAll()
      .where('item_id', '=', itemId)
      .orderBy('at')
      .execute();
  }

  async hasProcessing(itemId: string, step: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('evidence_processing')
      .select('id')
      .where('item_id', '=', itemId)
      .where('step', '=', step)
      .executeTakeFirst();
    return row !== undefined;
  }

  async insertDerivative(
    trx: Transaction<EvidenceTables>,
    row: Omit<EvidenceTables['evidence_derivatives'], 'created_at'>,
  ) {
    await trx
      .insertInto('evidence_derivatives')
      .values(row)
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

  async insertPhashes(rows: EvidenceTables['evidence_phashes'][]) {
    if (rows.length === 0) return;
    await this.db
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
    trx: Transaction<EvidenceTables>,
    a: string,
    b: string,
    distance: number,
  ): Promise<boolean> {
    const [itemA, itemB] = a < b ? [a, b] : [b, a];
    const row = await trx
      .insertInto('evidence_links')
      .values({ item_a: itemA, item_b: itemB, kind: 'near-duplicate', distance })
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

  // Taxonomy

  async seedTaxonomy(versions: TaxonomyVersion[]): Promise<number[]> {
    const applied: number[] = [];
    for (const version of versions) {
      const done = await this.transaction(async (trx) => {
        await sql`select pg_advisory_xact_lock(7340301)`.execute(trx);
        const existing = await trx
          .selectFrom('taxonomy_versions')
          .select('version')
          .where('version', '=', version.version)
          .executeTakeFirst();
        if (existing) return false;
        await trx
          .insertInto('taxonomy_versions')
          .values({ version: version.version, note: version.note })
          .execute();
        for (const code of version.codes) {
          await trx
            .insertInto('taxonomy_codes')
            .values({
              code: code.code,
              axis: code.axis,
              labels: json(code.labels),
              maps_to: code.mapsTo ?? [],
              sources: code.sources ?? [],
              huridocs_types_of_acts: null,
              added_in: version.version,
              deprecated_in: null,
            })
            .onConflict((oc) => oc.column('code').doNothing())
            .execute();
        }
        if (version.deprecate?.length) {
          await trx
            .updateTable('taxonomy_codes')
            .set({ deprecated_in: version.version })
            .where('code', 'in', version.deprecate)
            .where('deprecated_in', 'is', null)
            .execute();
        }
        return true;
      });
      if (done) applied.push(version.version);
    }
    return applied;
  }

  taxonomy(ex: Executor = this.db): Promise<TaxonomyRow[]> {
    return ex.selectFrom('taxonomy_codes').selectAll().orderBy('axis').orderBy('code').execute() as Promise<
      TaxonomyRow[]
    >;
  }

  async latestTaxonomyVersion(ex: Executor): Promise<number> {
    const row = await ex
      .selectFrom('taxonomy_versions')
      .select((eb) => eb.fn.max('version').as('v'))
      .executeTakeFirst();
    return Number(row?.v ?? 0);
  }

  async addTaxonomyVersion(trx: Transaction<EvidenceTables>, note: string): Promise<number> {
    await sql`select pg_advisory_xact_lock(7340301)`.execute(trx);
    // Versions made by administrators are numbered from 1000 so they never collide with shipped ones.
    const row = await trx
      .selectFrom('taxonomy_versions')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('version', '>=', 1000)
      .executeTakeFirst();
    const version = Math.max(1000, Number(row?.v ?? 999) + 1);
    await trx.insertInto('taxonomy_versions').values({ version, note }).execute();
    return version;
  }

  async insertTaxonomyCode(
    trx: Transaction<EvidenceTables>,
    row: Omit<TaxonomyRow, 'custom'>,
  ): Promise<boolean> {
    const inserted = await trx
      .insertInto('taxonomy_codes')
      .values({ ...row, labels: json(row.labels), custom: true })
      .onConflict((oc) => oc.column('code').doNothing())
      .returning('code')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  async deprecateCode(trx: Transaction<EvidenceTables>, code: string, version: number): Promise<boolean> {
    const row = await trx
      .updateTable('taxonomy_codes')
      .set({ deprecated_in: version })
      .where('code', '=', code)
      .where('deprecated_in', 'is', null)
      .returning('code')
      .executeTakeFirst();
    return row !== undefined;
  }

  async codes(targetType: 'item' | 'incident', ids: string[]): Promise<Map<string, string[]>> {
    const map = new Map<string, string[]>();
    if (ids.length === 0) return map;
    const rows = await this.db
      .selectFrom('evidence_classifications')
      .select(['target_id', 'code'])
      .where('target_type', '=', targetType)
      .where('target_id', 'in', ids)
      .orderBy('code')
      .execute();
    for (const row of rows) map.set(row.target_id, [...(map.get(row.target_id) ?? []), row.code]);
    return map;
  }

  async classify(
    trx: Transaction<EvidenceTables>,
    targetType: 'item' | 'incident',
    targetId: string,
    add: string[],
    remove: string[],
    version: number,
    by: string | null,
  ): Promise<{ added: string[]; removed: string[] }> {
    const added: string[] = [];
    for (const code of add) {
      const row = await trx
        .insertInto('evidence_classifications')
        .values({
          target_type: targetType,
          target_id: targetId,
          code,
          taxonomy_version: version,
          assigned_by: by,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('code')
        .executeTakeFirst();
      if (row) added.push(code);
    }
    let removed: string[] = [];
    if (remove.length) {
      const rows = await trx
        .deleteFrom('evidence_classifications')
        .where('target_type', '=', targetType)
        .where('target_id', '=', targetId)
        .where('code', 'in', remove)
        .returning('code')
        .execute();
      removed = rows.map((row) => row.code);
    }
    return { added, removed };
  }

  // Incidents

  async insertIncident(
    trx: Transaction<EvidenceTables>,
    row: Omit<IncidentRow, 'created_at' | 'updated_at'>,
  ) {
    await trx.insertInto('incidents').values(row).execute();
  }

  async updateIncident(trx: Transaction<EvidenceTables>, id: string, row: Partial<IncidentRow>) {
    await trx
      .updateTable('incidents')
      .set({ ...row, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
  }

  incident(ex: Executor, id: string): Promise<IncidentRow | undefined> {
    return ex.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst() as Promise<
      IncidentRow | undefined
    >;
  }

  /** A page of incidents, newest first, among those whose collection is visible (or that have none). */
  async listIncidents(
    filter: IncidentFilter & { before?: { at: Date; id: string } | undefined; limit: number },
    visible: Visible,
  ): Promise<Array<IncidentRow & { item_count: number }>> {
    let query = this.db
      .selectFrom('incidents as n')
      .selectAll('n')
      .select((eb) => {
        let count = eb
          .selectFrom('incident_items as x')
          .innerJoin('evidence_items as i', 'i.id', 'x.item_id')
          .select((inner) => inner.fn.countAll<number>().as('c'))
          .whereRef('x.incident_id', '=', 'n.id');
        if (visible !== 'all')
          count =
            visible.length === 0
              ? count.where(sql<boolean>`false`)
              : count.where('i.collection_id', 'in', [...visible]);
        return count.as('item_count');
      })
      .orderBy('n.created_at', 'desc')
      .orderBy('n.id', 'desc')
      .limit(filter.limit);
    query = query.where((eb) =>
      visible === 'all'
        ? sql<boolean>`true`
        : visible.length === 0
          ? eb('n.collection_id', 'is', null)
          : eb.or([eb('n.collection_id', 'is', null), eb('n.collection_id', 'in', [...visible])]),
    );
    if (filter.collectionId) query = query.where('n.collection_id', '=', filter.collectionId);
    if (filter.entityId) {
      const entityId = filter.entityId;
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('incident_persons as p')
            .select('p.id')
            .whereRef('p.incident_id', '=', 'n.id')
            .where('p.entity_id', '=', entityId),
        ),
      );
    }
    if (filter.placeType) query = query.where('n.place_type', '=', filter.placeType);
    if (filter.responsibleInstitution)
      query = query.where('n.responsible_institution', '=', filter.responsibleInstitution);
    // A range overlaps [from, to) when it ends at or after `from` and starts before `to`.
    if (filter.from) {
      const from = filter.from;
      query = query.where((eb) => eb(eb.fn.coalesce('n.occurred_to', 'n.occurred_from'), '>=', from));
    }
    if (filter.to) query = query.where('n.occurred_from', '<', filter.to);
    if (filter.text) {
      const pattern = containing(filter.text);
      query = query.where((eb) =>
        eb.or([
          eb('n.title', 'ilike', pattern),
          eb('n.description', 'ilike', pattern),
          eb('n.place', 'ilike', pattern),
          eb('n.responsible_unit', 'ilike', pattern),
        ]),
      );
    }
    if (filter.code) {
      const code = filter.code;
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('evidence_classifications as c')
            .select('c.code')
            .whereRef('c.target_id', '=', 'n.id')
            .where('c.target_type', '=', 'incident')
            .where('c.code', '=', code),
        ),
      );
    }
    if (filter.before) {
      const { at, id } = filter.before;
      query = query.where((eb) =>
        eb.or([eb('n.created_at', '<', at), eb.and([eb('n.created_at', '=', at), eb('n.id', '<', id)])]),
      );
    }
    return (await query.execute()) as Array<IncidentRow & { item_count: number }>;
  }

  async linkItem(trx: Transaction<EvidenceTables>, incidentId: string, itemId: string, role: string | null) {
    const row = await trx
      .insertInto('incident_items')
      .values({ incident_id: incidentId, item_id: itemId, role })
      .onConflict((oc) => oc.columns(['incident_id', 'item_id']).doUpdateSet({ role }))
      .returning('item_id')
      .executeTakeFirst();
    return row !== undefined;
  }

  async unlinkItem(trx: Transaction<EvidenceTables>, incidentId: string, itemId: string): Promise<boolean> {
    const row = await trx
      .deleteFrom('incident_items')
      .where('incident_id', '=', incidentId)
      .where('item_id', '=', itemId)
      .returning('item_id')
      .executeTakeFirst();
    return row !== undefined;
  }

  async setLinkRole(
    trx: Transaction<EvidenceTables>,
    incidentId: string,
    itemId: string,
    role: string | null,
  ): Promise<{ before: string | null } | undefined> {
    const old = await trx
      .selectFrom('incident_items')
      .select('role')
      .where('incident_id', '=', incidentId)
      .where('item_id', '=', itemId)
      .forUpdate()
      .executeTakeFirst();
    if (!old) return undefined;
    await trx
      .updateTable('incident_items')
      .set({ role })
      .where('incident_id', '=', incidentId)
      .where('item_id', '=', itemId)
      .execute();
    return { before: old.role };
  }

  /** The items linked to an incident (all of them: callers filter what a principal may see). */
  incidentItems(ex: Executor, incidentId: string) {
    return ex
      .selectFrom('incident_items as x')
      .innerJoin('evidence_items as i', 'i.id', 'x.item_id')
      .select(['x.item_id', 'x.role', 'i.collection_id'])
      .where('x.incident_id', '=', incidentId)
      .orderBy('x.linked_at')
      .orderBy('x.item_id')
      .execute();
  }

  /** The incidents an item is linked to, among those visible (no collection, or a visible one). */
  itemIncidents(itemId: string, visible: Visible) {
    let query = this.db
      .selectFrom('incident_items as x')
      .innerJoin('incidents as i', 'i.id', 'x.incident_id')
      .select(['x.incident_id', 'x.role', 'i.title'])
      .where('x.item_id', '=', itemId);
    if (visible !== 'all')
      query = query.where((eb) =>
        visible.length === 0
          ? eb('i.collection_id', 'is', null)
          : eb.or([eb('i.collection_id', 'is', null), eb('i.collection_id', 'in', [...visible])]),
      );
    return query.execute();
  }

  /** Collection of each existing incident among `ids` (null: open to all staff). */
  async incidentCollections(ids: readonly string[]): Promise<Map<string, string | null>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('incidents')
      .select(['id', 'collection_id'])
      .where('id', 'in', [...ids])
      .execute();
    return new Map(rows.map((row) => [row.id, row.collection_id]));
  }

  async deletePerson(trx: Transaction<EvidenceTables>, incidentId: string, personId: string) {
    const row = await trx
      .deleteFrom('incident_persons')
      .where('incident_id', '=', incidentId)
      .where('id', '=', personId)
      .returning(['id', 'role', 'entity_id'])
      .executeTakeFirst();
    return row;
  }

  async insertPerson(
    trx: Transaction<EvidenceTables>,
    row: Omit<EvidenceTables['incident_persons'], 'created_at'>,
  ) {
    await trx.insertInto('incident_persons').values(row).execute();
  }

  /** The roles one registry entity has in each of these incidents. */
  async entityRoles(incidentIds: readonly string[], entityId: string) {
    if (incidentIds.length === 0) return [];
    return this.db
      .selectFrom('incident_persons')
      .select(['incident_id', 'role'])
      .where('incident_id', 'in', [...incidentIds])
      .where('entity_id', '=', entityId)
      .orderBy('created_at')
      .execute();
  }

  persons(incidentId: string) {
    return this.db
      .selectFrom('incident_persons')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('created_at')
      .execute();
  }
}
