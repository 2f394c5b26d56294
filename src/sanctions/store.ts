/** SQL of the sanctions area: the only place in it that talks to the database. */
import { type Generated, type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { AnyDb } from '../platform/db/database.js';

export type SanctionsTables = {
  sanctions_proposals: {
    id: string;
    number: Generated<number>;
    entity_id: string;
    cluster_id: string | null;
    schema: string;
    content: unknown;
    content_hash: string;
    completeness: number;
    created_by: string;
    created_at: Generated<Date>;
    updated_by: string;
    updated_at: Generated<Date>;
  };
  sanctions_proposal_targets: {
    proposal_id: string;
    jurisdiction: string;
    programme: string;
    state: string;
    state_changed_at: Generated<Date>;
  };
  sanctions_proposal_events: {
    id: string;
    proposal_id: string;
    jurisdiction: string | null;
    from_state: string | null;
    to_state: string | null;
    at: Date;
    event_date: string | null;
    actor: string;
    content_hash: string;
    note: string | null;
  };
  sanctions_lists: { dataset_id: string; authority: string; created_at: Generated<Date> };
  sanctions_list_imports: {
    id: string;
    dataset_id: string;
    format: string;
    files: unknown;
    generated: string | null;
    actor: string;
    registry_import_id: string | null;
    started_at: Date;
    finished_at: Date | null;
    status: 'done' | 'failed';
    entries: number;
    added: number;
    updated: number;
    unchanged: number;
    ended: number;
    skipped: unknown;
  };
  sanctions_listings: {
    dataset_id: string;
    list_id: string;
    entity_id: string;
    schema: string;
    caption: string;
    entity_ids: unknown;
    content_hash: string;
    listing_date: string | null;
    first_import: string;
    last_import: string;
    first_seen: Date;
    last_seen: Date;
    ended_at: Date | null;
    ended_import: string | null;
  };
};

export type ProposalRow = Omit<Selectable<SanctionsTables['sanctions_proposals']>, 'content'> & {
  content: unknown;
};
export type TargetRow = Selectable<SanctionsTables['sanctions_proposal_targets']>;
export type EventRow = Selectable<SanctionsTables['sanctions_proposal_events']>;

export type SanctionsTrx = Transaction<SanctionsTables>;
export type ListImportRow = Selectable<SanctionsTables['sanctions_list_imports']>;
export type ListingRow = Omit<Selectable<SanctionsTables['sanctions_listings']>, 'entity_ids'> & {
  entity_ids: string[];
};

/** A listing as written by an import. */
export interface ListingWrite {
  listId: string;
  entityId: string;
  schema: string;
  caption: string;
  entityIds: string[];
  contentHash: string;
  listingDate: string | null;
}

const json = (value: unknown) => sql<unknown>`${JSON.stringify(value)}::jsonb`;
const parsed = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

function toListing(row: Selectable<SanctionsTables['sanctions_listings']>): ListingRow {
  return { ...row, entity_ids: parsed<string[]>(row.entity_ids) };
}

export class SanctionsStore {
  readonly db: Kysely<SanctionsTables>;

  constructor(db: AnyDb) {
    this.db = db.withTables<SanctionsTables>();
  }

  transaction<T>(work: (trx: SanctionsTrx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  // Lists

  async listAuthority(datasetId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('sanctions_lists')
      .select('authority')
      .where('dataset_id', '=', datasetId)
      .executeTakeFirst();
    return row?.authority;
  }

  async ensureList(trx: SanctionsTrx, datasetId: string, authority: string): Promise<void> {
    await trx
      .insertInto('sanctions_lists')
      .values({ dataset_id: datasetId, authority })
      .onConflict((c) => c.column('dataset_id').doNothing())
      .execute();
  }

  async lists(): Promise<Array<{ dataset_id: string; authority: string }>> {
    return this.db.selectFrom('sanctions_lists').select(['dataset_id', 'authority']).execute();
  }

  async insertListImport(trx: SanctionsTrx, row: SanctionsTables['sanctions_list_imports']): Promise<void> {
    await trx
      .insertInto('sanctions_list_imports')
      .values({ ...row, files: json(row.files), skipped: json(row.skipped) })
      .execute();
  }

  async lastListImports(datasetIds: string[]): Promise<Map<string, ListImportRow>> {
    const map = new Map<string, ListImportRow>();
    if (datasetIds.length === 0) return map;
    const rows = await this.db
      .selectFrom('sanctions_list_imports')
      .selectAll()
      .where('dataset_id', 'in', datasetIds)
      .where('status', '=', 'done')
      .orderBy('started_at', 'desc')
      .execute();
    for (const row of rows) if (!map.has(row.dataset_id)) map.set(row.dataset_id, row);
    return map;
  }

  // Listings

  async activeListingCounts(datasetIds: string[]): Promise<Map<string, number>> {
    if (datasetIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('sanctions_listings')
      .select(['dataset_id', (eb) => eb.fn.countAll<string>().as('count')])
      .where('dataset_id', 'in', datasetIds)
      .where('ended_at', 'is', null)
      .groupBy('dataset_id')
      .execute();
    return new Map(rows.map((row) => [row.dataset_id, Number(row.count)]));
  }

  /** Every listing of a dataset (ended ones too), keyed by the list's id. */
  async listingsOf(datasetId: string): Promise<Map<string, ListingRow>> {
    const rows = await this.db
      .selectFrom('sanctions_listings')
      .selectAll()
      .where('dataset_id', '=', datasetId)
      .execute();
    return new Map(rows.map((row) => [row.list_id, toListing(row)]));
  }

  /** Writes the listings seen in an import: new ones inserted, the others refreshed and un-ended. */
  async upsertListings(
    trx: SanctionsTrx,
    datasetId: string,
    importId: string,
    at: Date,
    listings: ListingWrite[],
  ): Promise<void> {
    for (let i = 0; i < listings.length; i += 500) {
      await trx
        .insertInto('sanctions_listings')
        .values(
          listings.slice(i, i + 500).map((l) => ({
            dataset_id: datasetId,
            list_id: l.listId,
            entity_id: l.entityId,
            schema: l.schema,
            caption: l.caption,
            entity_ids: json(l.entityIds),
            content_hash: l.contentHash,
            listing_date: l.listingDate,
            first_import: importId,
            last_import: importId,
            first_seen: at,
            last_seen: at,
            ended_at: null,
            ended_import: null,
          })),
        )
        .onConflict((c) =>
          c.columns(['dataset_id', 'list_id']).doUpdateSet({
            entity_id: (eb) => eb.ref('excluded.entity_id'),
            schema: (eb) => eb.ref('excluded.schema'),
            caption: (eb) => eb.ref('excluded.caption'),
            entity_ids: sql`excluded.entity_ids`,
            content_hash: (eb) => eb.ref('excluded.content_hash'),
            listing_date: (eb) => eb.ref('excluded.listing_date'),
            last_import: (eb) => eb.ref('excluded.last_import'),
            last_seen: (eb) => eb.ref('excluded.last_seen'),
            ended_at: null,
            ended_import: null,
          }),
        )
        .execute();
    }
  }

  async endListings(
    trx: SanctionsTrx,
    datasetId: string,
    listIds: string[],
    importId: string,
    at: Date,
  ): Promise<void> {
    for (let i = 0; i < listIds.length; i += 1000) {
      await trx
        .updateTable('sanctions_listings')
        .set({ ended_at: at, ended_import: importId })
        .where('dataset_id', '=', datasetId)
        .where('list_id', 'in', listIds.slice(i, i + 1000))
        .execute();
    }
  }

  /** Listings whose subject is one of these registry entities, across datasets. */
  async listingsOfEntities(entityIds: string[]): Promise<ListingRow[]> {
    if (entityIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('sanctions_listings')
      .selectAll()
      .where('entity_id', 'in', entityIds)
      .execute();
    return rows.map(toListing);
  }

  // Proposals

  async insertProposal(
    trx: SanctionsTrx,
    row: Omit<SanctionsTables['sanctions_proposals'], 'number' | 'created_at' | 'updated_at'>,
  ): Promise<ProposalRow> {
    return trx
      .insertInto('sanctions_proposals')
      .values({ ...row, content: json(row.content) })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async updateProposal(
    trx: SanctionsTrx,
    id: string,
    values: {
      content: unknown;
      content_hash: string;
      completeness: number;
      updated_by: string;
      cluster_id: string | null;
    },
  ): Promise<void> {
    await trx
      .updateTable('sanctions_proposals')
      .set({ ...values, content: json(values.content), updated_at: sql`now()` })
      .where('id', '=', id)
      .execute();
  }

  /** A proposal row, locked for update inside `trx`. */
  async proposal(
    executor: SanctionsTrx | Kysely<SanctionsTables>,
    id: string,
    lock = false,
  ): Promise<ProposalRow | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    let query = executor.selectFrom('sanctions_proposals').selectAll().where('id', '=', id);
    if (lock) query = query.forUpdate();
    return query.executeTakeFirst();
  }

  async proposals(filter: {
    entityIds?: string[];
    jurisdiction?: string;
    state?: string;
  }): Promise<ProposalRow[]> {
    let query = this.db.selectFrom('sanctions_proposals').selectAll().orderBy('number');
    if (filter.entityIds) {
      if (filter.entityIds.length === 0) return [];
      query = query.where('entity_id', 'in', filter.entityIds);
    }
    if (filter.jurisdiction || filter.state) {
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('sanctions_proposal_targets as t')
            .select('t.proposal_id')
            .whereRef('t.proposal_id', '=', 'sanctions_proposals.id')
            .$if(Boolean(filter.jurisdiction), (q) => q.where('t.jurisdiction', '=', filter.jurisdiction!))
            .$if(Boolean(filter.state), (q) => q.where('t.state', '=', filter.state!)),
        ),
      );
    }
    return query.execute();
  }

  async targets(
    executor: SanctionsTrx | Kysely<SanctionsTables>,
    proposalIds: string[],
  ): Promise<TargetRow[]> {
    if (proposalIds.length === 0) return [];
    return executor
      .selectFrom('sanctions_proposal_targets')
      .selectAll()
      .where('proposal_id', 'in', proposalIds)
      .orderBy('jurisdiction')
      .execute();
  }

  async insertTarget(
    trx: SanctionsTrx,
    proposalId: string,
    jurisdiction: string,
    programme: string,
  ): Promise<void> {
    await trx
      .insertInto('sanctions_proposal_targets')
      .values({ proposal_id: proposalId, jurisdiction, programme, state: 'draft' })
      .execute();
  }

  async setTarget(
    trx: SanctionsTrx,
    proposalId: string,
    jurisdiction: string,
    values: { state?: string; programme?: string },
  ): Promise<void> {
    await trx
      .updateTable('sanctions_proposal_targets')
      .set({ ...values, ...(values.state ? { state_changed_at: sql`now()` } : {}) })
      .where('proposal_id', '=', proposalId)
      .where('jurisdiction', '=', jurisdiction)
      .execute();
  }

  async deleteTarget(trx: SanctionsTrx, proposalId: string, jurisdiction: string): Promise<void> {
    await trx
      .deleteFrom('sanctions_proposal_targets')
      .where('proposal_id', '=', proposalId)
      .where('jurisdiction', '=', jurisdiction)
      .execute();
  }

  async insertEvent(trx: SanctionsTrx, row: SanctionsTables['sanctions_proposal_events']): Promise<void> {
    await trx.insertInto('sanctions_proposal_events').values(row).execute();
  }

  async events(proposalId: string): Promise<EventRow[]> {
    return this.db
      .selectFrom('sanctions_proposal_events')
      .selectAll()
      .where('proposal_id', '=', proposalId)
      .orderBy('at')
      .execute();
  }
}
