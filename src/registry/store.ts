/** SQL of the registry: the only place in the area that talks to the database. */
import { type Generated, type Insertable, type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { AnyDb } from '../platform/db/database.js';

export type RegistryTables = {
  registry_datasets: {
    id: string;
    name: string;
    title: string;
    source: string | null;
    source_date: string | null;
    licence: string | null;
    notes: string | null;
    restricted: boolean;
    created_by: string;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  registry_imports: {
    id: string;
    dataset_id: string;
    file_name: string | null;
    actor: string;
    started_at: Date;
    finished_at: Date | null;
    imported: Generated<number>;
    unchanged: Generated<number>;
    rejected: Generated<number>;
    status: 'running' | 'done' | 'failed';
  };
  registry_entities: {
    id: string;
    schema: string;
    dataset_id: string;
    caption: string;
    properties: unknown;
    created_by: string;
    updated_by: string;
    import_id: string | null;
    first_seen: Generated<Date>;
    last_change: Generated<Date>;
    change_seq: Generated<number>;
    deleted_at: Date | null;
  };
  registry_refs: { source_id: string; property: string; target_id: string };
};

export type DatasetRow = Selectable<RegistryTables['registry_datasets']>;
export type ImportRow = Selectable<RegistryTables['registry_imports']>;
export type EntityRow = Omit<Selectable<RegistryTables['registry_entities']>, 'properties'> & {
  properties: Record<string, string[]>;
};
export type RegistryTrx = Transaction<RegistryTables>;

/** An entity ready to be written: validated, normalized, captioned. */
export interface EntityWrite {
  id: string;
  schema: string;
  caption: string;
  properties: Record<string, string[]>;
  refs: Array<{ property: string; target: string }>;
}

// Registry writers serialize on this lock, so change_seq values become visible in commit order and a
// poller reading "above the last value seen" never skips a slower transaction's lower value.
const WRITE_LOCK = 7_340_002;

function toEntityRow(row: Selectable<RegistryTables['registry_entities']>): EntityRow {
  const raw = row.properties;
  const properties = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Record<string, string[]>;
  return { ...row, properties: properties ?? {}, change_seq: Number(row.change_seq) };
}

const jsonb = (value: unknown) => sql<unknown>`${JSON.stringify(value)}::jsonb`;
/** `= any($1::text[])`: one array parameter instead of one parameter per id. */
const anyText = (values: string[]) => sql<string>`any(${values}::text[])`;
/** Rows per bulk statement (their columns travel as array parameters). */
const BULK_ROWS = 5000;

export class RegistryStore {
  readonly db: Kysely<RegistryTables>;

  constructor(db: AnyDb) {
    this.db = db.withTables<RegistryTables>();
  }

  /** Runs `work` in a write transaction holding the registry write lock. */
  write<T>(work: (trx: RegistryTrx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${WRITE_LOCK})`.execute(trx);
      return work(trx);
    });
  }

  // Datasets

  async insertDataset(
    trx: RegistryTrx,
    row: Insertable<RegistryTables['registry_datasets']>,
  ): Promise<DatasetRow> {
    return trx.insertInto('registry_datasets').values(row).returningAll().executeTakeFirstOrThrow();
  }

  getDataset(id: string): Promise<DatasetRow | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return Promise.resolve(undefined);
    return this.db.selectFrom('registry_datasets').selectAll().where('id', '=', id).executeTakeFirst();
  }

  getDatasetByName(name: string): Promise<DatasetRow | undefined> {
    return this.db.selectFrom('registry_datasets').selectAll().where('name', '=', name).executeTakeFirst();
  }

  listDatasets(): Promise<DatasetRow[]> {
    return this.db.selectFrom('registry_datasets').selectAll().orderBy('name').execute();
  }

  /** Live entity and person counts per dataset. */
  async datasetCounts(ids: string[]): Promise<Map<string, { entities: number; persons: number }>> {
    const counts = new Map<string, { entities: number; persons: number }>();
    if (ids.length === 0) return counts;
    const rows = await sql<{ dataset_id: string; entities: number; persons: number }>`
      select dataset_id, count(*)::int as entities, count(*) filter (where schema = 'Person')::int as persons
      from registry_entities
      where deleted_at is null and dataset_id in (${sql.join(ids)})
      group by dataset_id`.execute(this.db);
    for (const row of rows.rows)
      counts.set(row.dataset_id, { entities: Number(row.entities), persons: Number(row.persons) });
    return counts;
  }

  /** The latest import run of each dataset. */
  async lastImports(ids: string[]): Promise<Map<string, ImportRow>> {
    const map = new Map<string, ImportRow>();
    if (ids.length === 0) return map;
    const rows = await this.db
      .selectFrom('registry_imports')
      .selectAll()
      .where('dataset_id', 'in', ids)
      .orderBy('started_at', 'desc')
      .execute();
    for (const row of rows) if (!map.has(row.dataset_id)) map.set(row.dataset_id, row);
    return map;
  }

  // Import runs

  async insertImport(
    row: Insertable<RegistryTables['registry_imports']>,
    trx: RegistryTrx | Kysely<RegistryTables> = this.db,
  ): Promise<void> {
    await trx.insertInto('registry_imports').values(row).execute();
  }

  async finishImport(
    trx: RegistryTrx | Kysely<RegistryTables>,
    id: string,
    values: { imported: number; unchanged: number; rejected: number; status: 'done' | 'failed' },
  ): Promise<void> {
    await trx
      .updateTable('registry_imports')
      .set({ ...values, finished_at: new Date() })
      .where('id', '=', id)
      .execute();
  }

  // Entities

  /** The dataset of each id among `ids` that belongs to a dataset other than `datasetId`. */
  async ownersInOtherDatasets(
    trx: RegistryTrx,
    datasetId: string,
    ids: string[],
  ): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await trx
      .selectFrom('registry_entities')
      .select(['id', 'dataset_id'])
      .where('id', '=', anyText(ids))
      .where('dataset_id', '<>', datasetId)
      .execute();
    return new Map(rows.map((row) => [row.id, row.dataset_id]));
  }

  /** Ids among `ids` that belong to a dataset other than `datasetId`. */
  async idsInOtherDatasets(trx: RegistryTrx, datasetId: string, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await trx
      .selectFrom('registry_entities')
      .select('id')
      .where('id', '=', anyText(ids))
      .where('dataset_id', '<>', datasetId)
      .execute();
    return new Set(rows.map((row) => row.id));
  }

  /**
   * Inserts new entities and updates those whose content differs; equal ones are left alone (no new
   * change_seq). Returns the ids written. Callers pass ids of this dataset only, each at most once.
   * Thousands of entities go in one statement of five array parameters (a VALUES list of thousands of
   * rows costs more to send and plan than to write).
   */
  async upsertEntities(
    trx: RegistryTrx,
    datasetId: string,
    entities: EntityWrite[],
    actor: string,
    importId: string | null,
  ): Promise<string[]> {
    if (entities.length === 0) return [];
    const written: string[] = [];
    for (let i = 0; i < entities.length; i += BULK_ROWS) {
      const slice = entities.slice(i, i + BULK_ROWS);
      const rows = await sql<{ id: string }>`
        insert into registry_entities
          (id, schema, dataset_id, caption, properties, created_by, updated_by, import_id, deleted_at)
        select t.id, t.schema, ${datasetId}::uuid, t.caption, t.properties::jsonb, ${actor}, ${actor},
          ${importId}::uuid, null
        from unnest(${slice.map((e) => e.id)}::text[], ${slice.map((e) => e.schema)}::text[],
          ${slice.map((e) => e.caption)}::text[], ${slice.map((e) => JSON.stringify(e.properties))}::text[])
          as t(id, schema, caption, properties)
        on conflict (id) do update set
          schema = excluded.schema,
          caption = excluded.caption,
          properties = excluded.properties,
          updated_by = excluded.updated_by,
          import_id = excluded.import_id,
          last_change = now(),
          change_seq = nextval('registry_change_seq'),
          deleted_at = null
        where registry_entities.dataset_id = excluded.dataset_id and (
          registry_entities.properties is distinct from excluded.properties
          or registry_entities.schema <> excluded.schema
          or registry_entities.deleted_at is not null)
        returning id`.execute(trx);
      for (const row of rows.rows) written.push(row.id);
    }
    const byId = new Map(entities.map((entity) => [entity.id, entity]));
    await this.replaceRefs(
      trx,
      written,
      written.flatMap((id) => byId.get(id)!.refs.map((ref) => ({ source: id, ...ref }))),
    );
    return written;
  }

  async replaceRefs(
    trx: RegistryTrx,
    sourceIds: string[],
    refs: Array<{ source: string; property: string; target: string }>,
  ): Promise<void> {
    if (sourceIds.length === 0) return;
    for (let i = 0; i < sourceIds.length; i += BULK_ROWS)
      await trx
        .deleteFrom('registry_refs')
        .where('source_id', '=', anyText(sourceIds.slice(i, i + BULK_ROWS)))
        .execute();
    const unique = [
      ...new Map(refs.map((ref) => [`${ref.source}\u0000${ref.property}\u0000${ref.target}`, ref])).values(),
    ];
    for (let i = 0; i < unique.length; i += BULK_ROWS) {
      const slice = unique.slice(i, i + BULK_ROWS);
      await sql`
        insert into registry_refs (source_id, property, target_id)
        select * from unnest(${slice.map((r) => r.source)}::text[], ${slice.map((r) => r.property)}::text[],
          ${slice.map((r) => r.target)}::text[])`.execute(trx);
    }
  }

  /** Replaces one entity's content (edit); takes a new change_seq. */
  async updateEntity(trx: RegistryTrx, entity: EntityWrite, actor: string): Promise<EntityRow> {
    const row = await trx
      .updateTable('registry_entities')
      .set({
        schema: entity.schema,
        caption: entity.caption,
        properties: jsonb(entity.properties),
        updated_by: actor,
        last_change: sql`now()`,
        change_seq: sql`nextval('registry_change_seq')`,
      })
      .where('id', '=', entity.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await this.replaceRefs(
      trx,
      [entity.id],
      entity.refs.map((ref) => ({ source: entity.id, ...ref })),
    );
    return toEntityRow(row);
  }

  /** Turns an entity into a tombstone: content removed, a new change_seq so pollers see it. */
  async tombstone(trx: RegistryTrx, id: string, actor: string): Promise<void> {
    await trx
      .updateTable('registry_entities')
      .set({
        properties: jsonb({}),
        caption: '',
        updated_by: actor,
        deleted_at: sql`now()`,
        last_change: sql`now()`,
        change_seq: sql`nextval('registry_change_seq')`,
      })
      .where('id', '=', id)
      .execute();
    await trx.deleteFrom('registry_refs').where('source_id', '=', id).execute();
  }

  async getEntity(id: string, trx?: RegistryTrx): Promise<EntityRow | undefined> {
    const row = await (trx ?? this.db)
      .selectFrom('registry_entities')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toEntityRow(row) : undefined;
  }

  /** Entities by id (tombstones included; callers filter). */
  async getEntities(ids: string[]): Promise<EntityRow[]> {
    const unique = [...new Set(ids)];
    const out: EntityRow[] = [];
    for (let i = 0; i < unique.length; i += 1000) {
      const rows = await this.db
        .selectFrom('registry_entities')
        .selectAll()
        .where('id', 'in', unique.slice(i, i + 1000))
        .execute();
      for (const row of rows) out.push(toEntityRow(row));
    }
    return out;
  }

  /** Ids of entities that reference `targetId`, with the referencing property. */
  async referencesTo(
    targetIds: string[],
  ): Promise<Array<{ source: string; property: string; target: string }>> {
    if (targetIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('registry_refs')
      .select(['source_id', 'property', 'target_id'])
      .where('target_id', 'in', targetIds)
      .limit(5000)
      .execute();
    return rows.map((row) => ({ source: row.source_id, property: row.property, target: row.target_id }));
  }

  /** A page of live entities ordered by (caption, id). */
  async listEntities(filter: {
    datasetIds: 'all' | string[];
    schema?: string | undefined;
    q?: string | undefined;
    after?: { caption: string; id: string } | undefined;
    limit: number;
  }): Promise<EntityRow[]> {
    if (filter.datasetIds !== 'all' && filter.datasetIds.length === 0) return [];
    let query = this.db.selectFrom('registry_entities').selectAll().where('deleted_at', 'is', null);
    if (filter.datasetIds !== 'all') query = query.where('dataset_id', 'in', filter.datasetIds);
    if (filter.schema) query = query.where('schema', '=', filter.schema);
    if (filter.q) {
      const pattern = `%${filter.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      query = query.where((eb) =>
        eb.or([
          eb('caption', 'ilike', pattern),
          eb('id', '=', filter.q!),
          sql<boolean>`exists (select 1 from jsonb_array_elements_text(coalesce(registry_entities.properties->'name', '[]'::jsonb) || coalesce(registry_entities.properties->'alias', '[]'::jsonb)) as n(value) where n.value ilike ${pattern})`,
        ]),
      );
    }
    if (filter.after) {
      const { caption, id } = filter.after;
      query = query.where(sql<boolean>`(caption, id) > (${caption}, ${id})`);
    }
    const rows = await query.orderBy('caption').orderBy('id').limit(filter.limit).execute();
    return rows.map(toEntityRow);
  }

  /** Entities ordered by change_seq after `afterSeq` (keyset pagination: PGlite cannot stream cursors). */
  async scanBySeq(afterSeq: number, includeDeleted: boolean, limit: number): Promise<EntityRow[]> {
    let query = this.db
      .selectFrom('registry_entities')
      .selectAll()
      .where('change_seq', '>', afterSeq)
      .orderBy('change_seq')
      .limit(limit);
    if (!includeDeleted) query = query.where('deleted_at', 'is', null);
    return (await query.execute()).map(toEntityRow);
  }

  /**
   * A page of a dataset's entities ordered by id after `afterId`: live ones, or with `sinceSeq` every one
   * changed after that sequence value, tombstones included (cross-referencing reads datasets this way).
   */
  async scanDataset(
    datasetId: string,
    options: { afterId?: string | undefined; sinceSeq?: number | undefined; limit: number },
  ): Promise<EntityRow[]> {
    let query = this.db
      .selectFrom('registry_entities')
      .selectAll()
      .where('dataset_id', '=', datasetId)
      .orderBy('id')
      .limit(options.limit);
    if (options.afterId !== undefined) query = query.where('id', '>', options.afterId);
    if (options.sinceSeq !== undefined) query = query.where('change_seq', '>', options.sinceSeq);
    else query = query.where('deleted_at', 'is', null);
    return (await query.execute()).map(toEntityRow);
  }

  /** How many entities `scanDataset` would return in all (live ones, or those changed after `sinceSeq`). */
  async countDataset(datasetId: string, sinceSeq?: number): Promise<number> {
    let query = this.db
      .selectFrom('registry_entities')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('dataset_id', '=', datasetId);
    if (sinceSeq !== undefined) query = query.where('change_seq', '>', sinceSeq);
    else query = query.where('deleted_at', 'is', null);
    return Number((await query.executeTakeFirst())?.n ?? 0);
  }

  /** The highest change sequence value written so far (0 for an empty registry). */
  async lastChangeSeq(): Promise<number> {
    const row = await this.db
      .selectFrom('registry_entities')
      .select((eb) => eb.fn.max('change_seq').as('seq'))
      .executeTakeFirst();
    return Number(row?.seq ?? 0);
  }

  /** A page of a dataset's live entities ordered by id (export). */
  async exportPage(datasetId: string, afterId: string | null, limit: number): Promise<EntityRow[]> {
    let query = this.db
      .selectFrom('registry_entities')
      .selectAll()
      .where('dataset_id', '=', datasetId)
      .where('deleted_at', 'is', null)
      .orderBy('id')
      .limit(limit);
    if (afterId !== null) query = query.where('id', '>', afterId);
    return (await query.execute()).map(toEntityRow);
  }
}
