/** SQL of incidents: the only place in the area that talks to the database. */
import { type Generated, type Kysely, sql, type Transaction } from 'kysely';
import type { AnyDb } from '../platform/db/database.js';
import { containing } from '../platform/db/like.js';

export type IncidentTables = {
  incidents: {
    id: string;
    title: string;
    description: string;
    occurred_from: Date | null;
    occurred_to: Date | null;
    place: string | null;
    /** Description and place encrypted (the text columns hold only values written before). */
    description_sealed: Buffer | null;
    place_sealed: Buffer | null;
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
  /** The evidence area's items and classifications, read here to count visible items and filter by code. */
  evidence_items: { id: string; collection_id: string };
  evidence_classifications: { target_type: string; target_id: string; code: string };
};

export type IncidentTransaction = Transaction<IncidentTables>;
type Executor = Kysely<IncidentTables> | IncidentTransaction;
export type IncidentRow = {
  [K in keyof IncidentTables['incidents']]: IncidentTables['incidents'][K] extends Generated<infer U>
    ? U
    : IncidentTables['incidents'][K];
};
/** The evidence collections a caller may see: every one, or these ids (possibly none). */
export type Visible = 'all' | readonly string[];

export interface IncidentFilter {
  text?: string | undefined;
  /** Incidents whose encrypted description or place contains the text (matched by the service). */
  textIds?: readonly string[] | undefined;
  code?: string | undefined;
  placeType?: string | undefined;
  responsibleInstitution?: string | undefined;
  collectionId?: string | undefined;
  /** A registry entity linked to the incident as a person (any role). */
  entityId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

export class IncidentStore {
  readonly db: Kysely<IncidentTables>;
  constructor(db: AnyDb) {
    this.db = db.withTables<IncidentTables>();
  }

  transaction<T>(work: (trx: IncidentTransaction) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  async insertIncident(trx: IncidentTransaction, row: Omit<IncidentRow, 'created_at' | 'updated_at'>) {
    await trx.insertInto('incidents').values(row).execute();
  }

  /** Every incident's encrypted description and place, to search them after decryption. */
  sealedTexts(): Promise<
    Array<{ id: string; description_sealed: Buffer | null; place_sealed: Buffer | null }>
  > {
    return this.db
      .selectFrom('incidents')
      .select(['id', 'description_sealed', 'place_sealed'])
      .where((eb) => eb.or([eb('description_sealed', 'is not', null), eb('place_sealed', 'is not', null)]))
      .execute();
  }

  async updateIncident(trx: IncidentTransaction, id: string, row: Partial<IncidentRow>) {
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

  /** The incidents matching the filters among those whose collection is visible (or that have none). */
  #filtered(filter: IncidentFilter, visible: Visible) {
    let query = this.db.selectFrom('incidents as n');
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
          ...(filter.textIds?.length ? [eb('n.id', 'in', [...filter.textIds])] : []),
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
    return query;
  }

  /** How many incidents match the filters (all pages), among the visible ones. */
  async countIncidents(filter: IncidentFilter, visible: Visible): Promise<number> {
    const row = await this.#filtered(filter, visible)
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** A page of incidents, newest first, among those whose collection is visible (or that have none). */
  async listIncidents(
    filter: IncidentFilter & { before?: { at: Date; id: string } | undefined; limit: number },
    visible: Visible,
  ): Promise<Array<IncidentRow & { item_count: number }>> {
    let query = this.#filtered(filter, visible)
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
    if (filter.before) {
      const { at, id } = filter.before;
      query = query.where((eb) =>
        eb.or([eb('n.created_at', '<', at), eb.and([eb('n.created_at', '=', at), eb('n.id', '<', id)])]),
      );
    }
    return (await query.execute()) as Array<IncidentRow & { item_count: number }>;
  }

  async linkItem(trx: IncidentTransaction, incidentId: string, itemId: string, role: string | null) {
    const row = await trx
      .insertInto('incident_items')
      .values({ incident_id: incidentId, item_id: itemId, role })
      .onConflict((oc) => oc.columns(['incident_id', 'item_id']).doUpdateSet({ role }))
      .returning('item_id')
      .executeTakeFirst();
    return row !== undefined;
  }

  async unlinkItem(trx: IncidentTransaction, incidentId: string, itemId: string): Promise<boolean> {
    const row = await trx
      .deleteFrom('incident_items')
      .where('incident_id', '=', incidentId)
      .where('item_id', '=', itemId)
      .returning('item_id')
      .executeTakeFirst();
    return row !== undefined;
  }

  async setLinkRole(
    trx: IncidentTransaction,
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

  async deletePerson(trx: IncidentTransaction, incidentId: string, personId: string) {
    const row = await trx
      .deleteFrom('incident_persons')
      .where('incident_id', '=', incidentId)
      .where('id', '=', personId)
      .returning(['id', 'role', 'entity_id'])
      .executeTakeFirst();
    return row;
  }

  async insertPerson(trx: IncidentTransaction, row: Omit<IncidentTables['incident_persons'], 'created_at'>) {
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

  /**
   * Persons recorded only by name (no registry entity linked), in incidents whose collection is
   * visible (or that have none; the service decides on those). Names stay sealed here.
   */
  namedPersons(visible: Visible) {
    let query = this.db
      .selectFrom('incident_persons as p')
      .innerJoin('incidents as n', 'n.id', 'p.incident_id')
      .select(['p.id', 'p.incident_id', 'p.role', 'p.name', 'n.title', 'n.collection_id'])
      .where('p.entity_id', 'is', null)
      .where('p.name', 'is not', null);
    if (visible !== 'all')
      query = query.where((eb) =>
        visible.length === 0
          ? eb('n.collection_id', 'is', null)
          : eb.or([eb('n.collection_id', 'is', null), eb('n.collection_id', 'in', [...visible])]),
      );
    return query.orderBy('p.created_at').orderBy('p.id').execute();
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
