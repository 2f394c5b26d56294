/**
 * Registry rules: datasets as compartments, entity reads and edits (audited), streamed FtM import and
 * export, and the read interface the screening index polls. No HTTP and no SQL here.
 */
import { createHash, randomUUID } from 'node:crypto';
import { detectCyrillicLanguage, detectScript, repairHomoglyphs } from '../names/index.js';
import type { AuditService } from '../platform/audit/service.js';
import type { AccessService } from '../platform/auth/access.js';
import type { Principal } from '../platform/auth/model.js';
import { actorOf, purposeOf } from '../platform/auth/service.js';
import type { AnyTransaction } from '../platform/db/database.js';
import { AppError, type ErrorCode } from '../platform/errors.js';
import { type Line, splitLines } from '../platform/lines.js';
import { getSchema, propertiesOfType } from './ftm-schema.js';
import type {
  CreateDatasetRequest,
  CreateEntityRequest,
  Dataset,
  Entity,
  EntityDetail,
  ImportSummary,
  IndexEntity,
  ListEntitiesQuery,
  NameGroup,
  Reject,
  Related,
  UpdateEntityRequest,
} from './model.js';
import { createDatasetRequestSchema } from './model.js';
import type { DatasetRow, EntityRow, EntityWrite, ImportRow, RegistryStore } from './store.js';
import { captionOf, type FtmEntity, normalizeProperties, referencesOf, validateEntity } from './validate.js';

/** Who wrote something, as stored in provenance columns. */
export function actorLabel(principal: Principal): string {
  const actor = actorOf(principal);
  return actor.type === 'system' ? (actor.label ?? 'system') : `${actor.type}:${actor.label ?? actor.id}`;
}

function iso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

function toDataset(row: DatasetRow): Dataset {
  return {
    id: row.id,
    name: row.name,
    title: row.title,
    source: row.source,
    sourceDate: row.source_date,
    licence: row.licence,
    notes: row.notes,
    restricted: row.restricted,
    createdBy: row.created_by,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}

function toImport(row: ImportRow) {
  return {
    id: row.id,
    actor: row.actor,
    fileName: row.file_name,
    startedAt: iso(row.started_at)!,
    finishedAt: iso(row.finished_at),
    imported: row.imported,
    unchanged: row.unchanged,
    rejected: row.rejected,
    status: row.status,
  };
}

function toEntity(row: EntityRow): Entity {
  return {
    id: row.id,
    schema: row.schema,
    datasetId: row.dataset_id,
    caption: row.caption,
    properties: row.properties,
    createdBy: row.created_by,
    updatedBy: row.updated_by,
    importId: row.import_id,
    firstSeen: iso(row.first_seen)!,
    lastChange: iso(row.last_change)!,
    changeSeq: Number(row.change_seq),
  };
}

function toIndexEntity(row: EntityRow): IndexEntity {
  return {
    id: row.id,
    schema: row.schema,
    datasetId: row.dataset_id,
    caption: row.caption,
    properties: row.properties,
    changeSeq: Number(row.change_seq),
    deleted: row.deleted_at !== null,
  };
}

function toWrite(entity: FtmEntity): EntityWrite {
  return {
    id: entity.id,
    schema: entity.schema,
    caption: captionOf(entity.schema, entity.properties),
    properties: entity.properties,
    refs: referencesOf(entity),
  };
}

function problemError(problem: { code: ErrorCode; reason: string; property?: string }): AppError {
  return new AppError(problem.code, {
    message: problem.reason,
    ...(problem.property ? { details: { property: problem.property } } : {}),
  });
}

/** The names of an entity grouped by script and, for Cyrillic, Belarusian or Russian orthography. */
export function groupNames(schemaName: string, properties: Record<string, string[]>): NameGroup[] {
  const schema = getSchema(schemaName);
  if (!schema) return [];
  const groups = new Map<string, NameGroup>();
  for (const property of propertiesOfType(schema, 'name')) {
    for (const value of properties[property] ?? []) {
      const repaired = repairHomoglyphs(value);
      const script = detectScript(repaired);
      const language = script === 'cyrillic' ? detectCyrillicLanguage(repaired) : null;
      const key = `${script}:${language ?? ''}`;
      let group = groups.get(key);
      if (!group) {
        group = { script, language, names: [] };
        groups.set(key, group);
      }
      group.names.push({ value, property });
    }
  }
  const order = ['cyrillic:be', 'cyrillic:ru', 'cyrillic:ambiguous', 'latin:', 'mixed:', 'other:'];
  return [...groups.entries()].sort(([a], [b]) => order.indexOf(a) - order.indexOf(b)).map(([, g]) => g);
}

/**
 * The id an entity gets in dataset `datasetName` when its own id is held by a dataset the importer
 * cannot see: `<dataset>.<id>` (hashed when that would be too long for an id).
 */
function namespacedId(datasetName: string, id: string): string {
  const plain = `${datasetName}.${id}`;
  return plain.length <= 200
    ? plain
    : `${datasetName}.${createHash('sha256').update(id).digest('hex').slice(0, 40)}`;
}

/** The entity under `id`, its references to hidden ids moved into the namespace as well. */
function inNamespace(entity: FtmEntity, id: string, own: (id: string) => string): FtmEntity {
  const schema = getSchema(entity.schema);
  const refProperties = new Set(schema ? propertiesOfType(schema, 'entity') : []);
  const properties: Record<string, string[]> = {};
  for (const [key, values] of Object.entries(entity.properties))
    properties[key] = refProperties.has(key) ? values.map(own) : values;
  return { id, schema: entity.schema, properties };
}

const BATCH_SIZE = 500;
const counts = (s: ImportSummary) => ({ imported: s.imported, unchanged: s.unchanged, rejected: s.rejected });
const DATE_KEYS = ['startDate', 'date', 'listingDate', 'endDate'];
function sortKey(entity: EntityRow): string {
  for (const key of DATE_KEYS) {
    const value = entity.properties[key]?.[0];
    if (value) return value;
  }
  return '';
}

/** What one batch of an atomic import did: ids written (new or changed), unchanged, and refused. */
export interface AtomicBatchResult {
  written: string[];
  unchanged: string[];
  rejected: Array<{ id: string; code: string; reason: string }>;
}

/**
 * The body of an atomic import: it calls `write` with batches of entities and may read or write its own
 * tables through `trx`, the import's transaction (on the embedded database the only connection).
 */
export type AtomicImportWork = (
  write: (entities: FtmEntity[]) => Promise<AtomicBatchResult>,
  trx: AnyTransaction,
) => Promise<void>;

export interface ImportOptions {
  fileName?: string | null;
  batchSize?: number;
  onReject?: (reject: Reject) => void | Promise<void>;
  onProgress?: (bytesRead: number, lines: number) => void;
}

export class RegistryService {
  constructor(
    private readonly store: RegistryStore,
    private readonly audit: AuditService,
    private readonly access: AccessService,
  ) {}

  // Compartments

  /**
   * The datasets a principal may read: administrators and system principals all; staff every
   * unrestricted dataset plus restricted ones granted to them; API keys and partners only granted ones.
   */
  async visibleDatasetIds(principal: Principal): Promise<'all' | string[]> {
    return this.access.visibleCompartments(principal, 'dataset', () => this.store.listDatasets());
  }

  async #canSee(principal: Principal, datasetId: string): Promise<boolean> {
    const visible = await this.visibleDatasetIds(principal);
    return visible === 'all' || visible.includes(datasetId);
  }

  async #denied(principal: Principal, action: string, target: { type: string; id: string }): Promise<never> {
    await this.audit.record({ actor: actorOf(principal), action, outcome: 'denied', target });
    throw new AppError('SVD_HTTP_NOT_FOUND');
  }

  // Datasets

  /** All datasets (no compartment filter: for the screening index and internal use). */
  async listDatasets(): Promise<Dataset[]> {
    return (await this.store.listDatasets()).map(toDataset);
  }

  /** The datasets a principal may see, with live entity counts and the latest import. */
  async listDatasetsFor(principal: Principal): Promise<Dataset[]> {
    const visible = await this.visibleDatasetIds(principal);
    const rows = (await this.store.listDatasets()).filter((d) => visible === 'all' || visible.includes(d.id));
    const ids = rows.map((row) => row.id);
    const [counts, imports] = await Promise.all([this.store.datasetCounts(ids), this.store.lastImports(ids)]);
    return rows.map((row) => {
      const last = imports.get(row.id);
      return {
        ...toDataset(row),
        counts: counts.get(row.id) ?? { entities: 0, persons: 0 },
        lastImport: last ? toImport(last) : null,
      };
    });
  }

  /** One dataset by id or name, if the principal may see it; otherwise "not found". */
  async getDataset(principal: Principal, idOrName: string): Promise<Dataset> {
    const row = (await this.store.getDataset(idOrName)) ?? (await this.store.getDatasetByName(idOrName));
    if (!row) throw new AppError('SVD_HTTP_NOT_FOUND');
    if (!(await this.#canSee(principal, row.id)))
      return this.#denied(principal, 'registry.dataset.read', { type: 'dataset', id: row.id });
    const [counts, imports] = await Promise.all([
      this.store.datasetCounts([row.id]),
      this.store.lastImports([row.id]),
    ]);
    const last = imports.get(row.id);
    return {
      ...toDataset(row),
      counts: counts.get(row.id) ?? { entities: 0, persons: 0 },
      lastImport: last ? toImport(last) : null,
    };
  }

  /** Finds a dataset by name without compartment checks (CLI, which acts as a system principal). */
  async findDatasetByName(name: string): Promise<Dataset | undefined> {
    const row = await this.store.getDatasetByName(name.trim().toLowerCase());
    return row ? toDataset(row) : undefined;
  }

  /** Creates a dataset; a restricted one is granted to its creator so they can fill it. */
  async createDataset(principal: Principal, input: CreateDatasetRequest): Promise<Dataset> {
    const parsed = createDatasetRequestSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new AppError('SVD_HTTP_VALIDATION', { message: `${issue.path.join('.')}: ${issue.message}` });
    }
    const data = parsed.data;
    if (await this.store.getDatasetByName(data.name)) throw new AppError('SVD_REGISTRY_DATASET_EXISTS');
    const row = await this.store.write(async (trx) => {
      const created = await this.store.insertDataset(trx, {
        id: randomUUID(),
        name: data.name,
        title: data.title,
        source: data.source ?? null,
        source_date: data.sourceDate ?? null,
        licence: data.licence ?? null,
        notes: data.notes ?? null,
        restricted: data.restricted,
        created_by: actorLabel(principal),
      });
      await this.audit.record(
        {
          actor: actorOf(principal),
          action: 'registry.dataset.create',
          target: { type: 'dataset', id: created.id },
          details: { name: data.name, restricted: data.restricted },
        },
        trx,
      );
      return created;
    });
    if (row.restricted && principal.type === 'user' && principal.role !== 'admin') {
      await this.access.grant(principal, {
        principalType: 'user',
        principalId: principal.id,
        resourceType: 'dataset',
        resourceId: row.id,
      });
    }
    return toDataset(row);
  }

  // Entities

  /** A page of live entities the principal may see; the read is audited with the ids returned. */
  async listEntities(
    principal: Principal,
    query: ListEntitiesQuery,
  ): Promise<{ items: Entity[]; nextCursor: string | null }> {
    let datasetIds = await this.visibleDatasetIds(principal);
    if (query.dataset) {
      const dataset = await this.getDataset(principal, query.dataset);
      datasetIds = [dataset.id];
    }
    let after: { caption: string; id: string } | undefined;
    if (query.cursor) {
      try {
        const decoded = JSON.parse(Buffer.from(query.cursor, 'base64url').toString('utf8'));
        if (!Array.isArray(decoded) || typeof decoded[0] !== 'string' || typeof decoded[1] !== 'string')
          throw new Error('shape');
        after = { caption: decoded[0], id: decoded[1] };
      } catch {
        throw new AppError('SVD_REGISTRY_BAD_CURSOR');
      }
    }
    const rows = await this.store.listEntities({
      datasetIds,
      schema: query.schema,
      q: query.q?.trim() || undefined,
      after,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    const nextCursor =
      rows.length > query.limit && last
        ? Buffer.from(JSON.stringify([last.caption, last.id]), 'utf8').toString('base64url')
        : null;
    // Every schema can carry personal data (a person, their identity documents, addresses, positions,
    // memberships): every page that shows entities is audited with their ids.
    if (page.length > 0) {
      await this.audit.record({
        actor: actorOf(principal),
        action: 'registry.entity.list',
        purpose: purposeOf(principal),
        details: { query: { ...query, cursor: undefined }, entities: page.map((row) => row.id) },
      });
    }
    return { items: page.map(toEntity), nextCursor };
  }

  async #visibleEntity(principal: Principal, id: string, action: string): Promise<EntityRow> {
    const row = await this.store.getEntity(id);
    if (!row || row.deleted_at !== null) throw new AppError('SVD_HTTP_NOT_FOUND');
    if (!(await this.#canSee(principal, row.dataset_id)))
      return this.#denied(principal, action, { type: 'entity', id });
    return row;
  }

  /**
   * An entity with everything around it: names by script, occupancies (with positions and their
   * bodies), memberships, sanctions, identifications, addresses. Reading a person is audited.
   */
  async getEntityDetail(principal: Principal, id: string): Promise<EntityDetail> {
    const row = await this.#visibleEntity(principal, id, 'registry.entity.read');
    const visible = await this.visibleDatasetIds(principal);
    const canSee = (entity: EntityRow) =>
      entity.deleted_at === null && (visible === 'all' || visible.includes(entity.dataset_id));

    // Links pointing at the subject, then what those links and the subject point at (two levels, so an
    // occupancy brings its position and the position's organization).
    const incoming = await this.store.referencesTo([id]);
    const linkRows = (await this.store.getEntities(incoming.map((ref) => ref.source))).filter(canSee);
    const level1 = new Set<string>();
    const own = referencesOf({ id: row.id, schema: row.schema, properties: row.properties });
    for (const ref of own) level1.add(ref.target);
    for (const link of linkRows)
      for (const ref of referencesOf({ id: link.id, schema: link.schema, properties: link.properties }))
        if (ref.target !== id) level1.add(ref.target);
    const level1Rows = (await this.store.getEntities([...level1])).filter(canSee);
    const level2 = new Set<string>();
    for (const entity of level1Rows)
      for (const ref of referencesOf({ id: entity.id, schema: entity.schema, properties: entity.properties }))
        if (ref.target !== id && !level1.has(ref.target)) level2.add(ref.target);
    const level2Rows = (await this.store.getEntities([...level2])).filter(canSee);
    const byId = new Map<string, EntityRow>([...level1Rows, ...level2Rows].map((e) => [e.id, e]));

    const othersOf = (link: EntityRow): Entity[] => {
      const out: Entity[] = [];
      const seen = new Set<string>([id]);
      const visit = (entity: EntityRow, depth: number) => {
        for (const ref of referencesOf({
          id: entity.id,
          schema: entity.schema,
          properties: entity.properties,
        })) {
          if (seen.has(ref.target)) continue;
          seen.add(ref.target);
          const target = byId.get(ref.target);
          if (!target) continue;
          out.push(toEntity(target));
          if (depth < 1) visit(target, depth + 1);
        }
      };
      visit(link, 0);
      return out;
    };
    const related = (schema: string): Related[] =>
      linkRows
        .filter((link) => link.schema === schema)
        .sort((a, b) => sortKey(b).localeCompare(sortKey(a)))
        .map((link) => ({ link: toEntity(link), others: othersOf(link) }));

    const dataset = await this.getDataset(principal, row.dataset_id);
    const detail: EntityDetail = {
      entity: toEntity(row),
      dataset,
      names: groupNames(row.schema, row.properties),
      occupancies: related('Occupancy'),
      memberships: related('Membership'),
      sanctions: related('Sanction'),
      identifications: related('Identification'),
      addresses: own
        .map((ref) => byId.get(ref.target))
        .filter((e): e is EntityRow => e?.schema === 'Address')
        .map(toEntity),
      references: own
        .map((ref) => byId.get(ref.target))
        .filter((e): e is EntityRow => e !== undefined && e.schema !== 'Address')
        .map(toEntity),
      referencedBy: linkRows
        .filter((link) => !['Occupancy', 'Membership', 'Sanction', 'Identification'].includes(link.schema))
        .map(toEntity),
    };
    // Audited whatever the schema: an organization's page names its members, an identification is a
    // person's document. The row names the persons the answer showed.
    const shown = [detail.entity, ...[...linkRows, ...level1Rows, ...level2Rows].map(toEntity)];
    await this.audit.record({
      actor: actorOf(principal),
      action: 'registry.entity.read',
      target: { type: 'entity', id },
      purpose: purposeOf(principal),
      details: {
        dataset: row.dataset_id,
        schema: row.schema,
        persons: [...new Set(shown.filter((e) => e.schema === 'Person').map((e) => e.id))],
      },
    });
    return detail;
  }

  /** Creates an entity with a random UUID in a dataset the principal may see. */
  async createEntity(principal: Principal, input: CreateEntityRequest): Promise<Entity> {
    const dataset = await this.store.getDataset(input.datasetId);
    if (!dataset) throw new AppError('SVD_HTTP_NOT_FOUND');
    if (!(await this.#canSee(principal, dataset.id)))
      return this.#denied(principal, 'registry.entity.create', { type: 'dataset', id: dataset.id });
    const result = validateEntity({ id: randomUUID(), schema: input.schema, properties: input.properties });
    if ('problem' in result) throw problemError(result.problem);
    const write = toWrite(result.entity);
    const actor = actorLabel(principal);
    return this.store.write(async (trx) => {
      await this.store.upsertEntities(trx, dataset.id, [write], actor, null);
      await this.audit.record(
        {
          actor: actorOf(principal),
          action: 'registry.entity.create',
          target: { type: 'entity', id: write.id },
          details: { dataset: dataset.id, schema: write.schema, properties: Object.keys(write.properties) },
        },
        trx,
      );
      return toEntity((await this.store.getEntity(write.id, trx))!);
    });
  }

  /**
   * Replaces the listed properties (an empty list removes one). The audit row names the changed
   * properties but not their values, so a later erasure of personal data leaves none in the log.
   */
  async updateEntity(principal: Principal, id: string, input: UpdateEntityRequest): Promise<Entity> {
    const current = await this.#visibleEntity(principal, id, 'registry.entity.update');
    const schema = getSchema(current.schema)!;
    const checked = normalizeProperties(schema, input.properties);
    if ('problem' in checked) throw problemError(checked.problem);
    const next: Record<string, string[]> = { ...current.properties };
    const changed: string[] = [];
    for (const key of Object.keys(input.properties)) {
      const values = checked.properties[key] ?? [];
      const before = current.properties[key] ?? [];
      if (JSON.stringify(before) === JSON.stringify(values)) continue;
      changed.push(key);
      if (values.length === 0) delete next[key];
      else next[key] = values;
    }
    const actor = actorLabel(principal);
    return this.store.write(async (trx) => {
      const fresh = await this.store.getEntity(id, trx);
      if (!fresh || fresh.deleted_at !== null) throw new AppError('SVD_HTTP_NOT_FOUND');
      if (input.expectedChangeSeq !== undefined && Number(fresh.change_seq) !== input.expectedChangeSeq)
        throw new AppError('SVD_REGISTRY_CONFLICT');
      if (changed.length === 0) return toEntity(fresh);
      const entity: FtmEntity = { id, schema: current.schema, properties: next };
      const updated = await this.store.updateEntity(trx, toWrite(entity), actor);
      await this.audit.record(
        {
          actor: actorOf(principal),
          action: 'registry.entity.update',
          target: { type: 'entity', id },
          details: { dataset: current.dataset_id, schema: current.schema, properties: changed },
        },
        trx,
      );
      return toEntity(updated);
    });
  }

  /** Deletes an entity's content, leaving a tombstone with a new change_seq for the screening index. */
  async deleteEntity(principal: Principal, id: string): Promise<void> {
    const current = await this.#visibleEntity(principal, id, 'registry.entity.delete');
    await this.store.write(async (trx) => {
      await this.store.tombstone(trx, id, actorLabel(principal));
      await this.audit.record(
        {
          actor: actorOf(principal),
          action: 'registry.entity.delete',
          target: { type: 'entity', id },
          details: { dataset: current.dataset_id, schema: current.schema },
        },
        trx,
      );
    });
  }

  // Import and export

  /**
   * Imports FtM JSON lines from a byte stream into a dataset, in transactions of `batchSize` entities.
   * Valid lines are kept even when others are rejected; each reject carries its line number and a coded
   * reason. Re-importing the same data writes nothing (no new change_seq).
   */
  async importStream(
    principal: Principal,
    datasetId: string,
    source: AsyncIterable<Uint8Array | string>,
    options: ImportOptions = {},
  ): Promise<ImportSummary> {
    const dataset = await this.store.getDataset(datasetId);
    if (!dataset) throw new AppError('SVD_HTTP_NOT_FOUND');
    if (!(await this.#canSee(principal, dataset.id)))
      return this.#denied(principal, 'registry.import', { type: 'dataset', id: dataset.id });
    const actor = actorLabel(principal);
    const importId = randomUUID();
    await this.store.insertImport({
      id: importId,
      dataset_id: dataset.id,
      file_name: options.fileName ?? null,
      actor,
      started_at: new Date(),
      finished_at: null,
      status: 'running',
    });
    const batchSize = options.batchSize ?? BATCH_SIZE;
    const summary: ImportSummary = { importId, lines: 0, imported: 0, unchanged: 0, rejected: 0 };
    // Rejects wait for the batch they fall in, so those found at write time (an id of another dataset)
    // come out in line order with the others; a run of bad lines flushes early to bound the buffer.
    let pending: Reject[] = [];
    const emitPending = async () => {
      const out = pending.sort((a, b) => a.line - b.line);
      pending = [];
      for (const r of out) await options.onReject?.(r);
    };
    const reject = async (r: Reject) => {
      summary.rejected++;
      pending.push(r);
      if (pending.length >= 1000) await flush();
    };
    // Fragments of one entity within a batch are merged (FtM semantics); each entry keeps its line numbers.
    let batch = new Map<string, { entity: FtmEntity; lines: number[] }>();
    const readable = await this.visibleDatasetIds(principal);
    const mayRead = (datasetId: string) => readable === 'all' || readable.includes(datasetId);

    const flush = async () => {
      if (batch.size === 0) return emitPending();
      const entries = batch;
      batch = new Map();
      const { taken, written, stored } = await this.store.write(async (trx) => {
        // An id (or a reference) held by a dataset the importer cannot see is answered like a fresh
        // import: the entity goes into the importer's own namespace (`<dataset>.<id>`), so the import
        // reveals nothing about hidden datasets. An id held by a visible dataset is refused as before.
        const referenced = [...entries.values()].flatMap((e) => referencesOf(e.entity).map((r) => r.target));
        const owners = await this.store.ownersInOtherDatasets(trx, dataset.id, [
          ...new Set([...entries.keys(), ...referenced]),
        ]);
        const hidden = new Set([...owners].filter(([, owner]) => !mayRead(owner)).map(([id]) => id));
        const own = (id: string) => (hidden.has(id) ? namespacedId(dataset.name, id) : id);
        const storedIds = new Map([...entries.keys()].map((id) => [id, own(id)]));
        const stillTaken =
          hidden.size === 0
            ? new Set<string>()
            : await this.store.idsInOtherDatasets(trx, dataset.id, [...hidden].map(own));
        const takenIds = new Set(
          [...entries.keys()].filter((id) => (hidden.has(id) ? stillTaken.has(own(id)) : owners.has(id))),
        );
        const writes = [...entries.entries()]
          .filter(([id]) => !takenIds.has(id))
          .map(([id, e]) => toWrite(hidden.size ? inNamespace(e.entity, storedIds.get(id)!, own) : e.entity));
        const writtenIds = await this.store.upsertEntities(trx, dataset.id, writes, actor, importId);
        return { taken: takenIds, written: new Set(writtenIds), stored: storedIds };
      });
      for (const [id, entry] of entries) {
        if (taken.has(id)) {
          for (const line of entry.lines) {
            summary.rejected++;
            pending.push({
              line,
              code: 'SVD_REGISTRY_ID_TAKEN',
              reason: 'the id belongs to another dataset',
              id,
            });
          }
        } else if (written.has(stored.get(id)!)) summary.imported += entry.lines.length;
        else summary.unchanged += entry.lines.length;
      }
      await emitPending();
    };

    const handle = async (line: Line) => {
      summary.lines = line.lineNo;
      if ('error' in line) {
        if (line.error === 'too_long')
          return reject({
            line: line.lineNo,
            code: 'SVD_REGISTRY_LINE_TOO_LONG',
            reason: `the line has ${line.length} bytes; at most 1 MB is accepted`,
          });
        return reject({
          line: line.lineNo,
          code: 'SVD_REGISTRY_BAD_UTF8',
          reason: 'the line is not valid UTF-8',
        });
      }
      const text = line.text.trim();
      if (text === '') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        return reject({
          line: line.lineNo,
          code: 'SVD_REGISTRY_BAD_JSON',
          reason: `not JSON: ${error instanceof Error ? error.message.slice(0, 200) : 'parse error'}`,
        });
      }
      const result = validateEntity(parsed);
      if ('problem' in result) {
        const rawId = (parsed as { id?: unknown } | null)?.id;
        return reject({
          line: line.lineNo,
          code: result.problem.code,
          reason: result.problem.reason,
          ...(typeof rawId === 'string' && rawId.length <= 200 ? { id: rawId } : {}),
        });
      }
      const existing = batch.get(result.entity.id);
      if (existing && existing.entity.schema === result.entity.schema) {
        for (const [key, values] of Object.entries(result.entity.properties)) {
          existing.entity.properties[key] = [
            ...new Set([...(existing.entity.properties[key] ?? []), ...values]),
          ];
        }
        existing.lines.push(line.lineNo);
      } else {
        if (existing) await flush();
        batch.set(result.entity.id, { entity: result.entity, lines: [line.lineNo] });
      }
      if (batch.size >= batchSize) await flush();
    };

    try {
      for await (const line of splitLines(source)) {
        await handle(line);
        options.onProgress?.(line.bytesRead, line.lineNo);
      }
      await flush();
    } catch (error) {
      // Keep what was read and valid before the failure (a broken stream, a dropped connection).
      await flush().catch(() => undefined);
      await this.store.finishImport(this.store.db, importId, { ...counts(summary), status: 'failed' });
      await this.audit.record({
        actor: actorOf(principal),
        action: 'registry.import',
        outcome: 'failed',
        target: { type: 'dataset', id: dataset.id },
        details: { fileName: options.fileName ?? null, ...summary },
      });
      if (error instanceof AppError) throw error;
      throw new AppError('SVD_REGISTRY_FILE', {
        message: `The input could not be read after line ${summary.lines}: ${error instanceof Error ? error.message : String(error)}. Lines before it were kept.`,
        cause: error,
      });
    }
    await this.store.write(async (trx) => {
      await this.store.finishImport(trx, importId, { ...counts(summary), status: 'done' });
      await this.audit.record(
        {
          actor: actorOf(principal),
          action: 'registry.import',
          target: { type: 'dataset', id: dataset.id },
          details: { fileName: options.fileName ?? null, ...summary },
        },
        trx,
      );
    });
    return summary;
  }

  /**
   * Imports everything `work` writes in ONE write transaction: either all of it is in the dataset or,
   * if anything throws, none of it (mapped imports of seized databases must never be left half done).
   * Each batch is validated; an id that belongs to another dataset or an invalid entity is refused and
   * reported, not written. Holds the registry write lock until the end, so callers prepare their input
   * beforehand (the datasets area stages it) and only stream it in here.
   */
  async importAtomic(
    principal: Principal,
    datasetId: string,
    options: { fileName?: string | null },
    work: AtomicImportWork,
  ): Promise<ImportSummary> {
    const dataset = await this.store.getDataset(datasetId);
    if (!dataset) throw new AppError('SVD_HTTP_NOT_FOUND');
    if (!(await this.#canSee(principal, dataset.id)))
      return this.#denied(principal, 'registry.import', { type: 'dataset', id: dataset.id });
    const actor = actorLabel(principal);
    const importId = randomUUID();
    const summary: ImportSummary = { importId, lines: 0, imported: 0, unchanged: 0, rejected: 0 };
    await this.store.write(async (trx) => {
      await this.store.insertImport(
        {
          id: importId,
          dataset_id: dataset.id,
          file_name: options.fileName ?? null,
          actor,
          started_at: new Date(),
          finished_at: null,
          status: 'running',
        },
        trx,
      );
      const write = async (entities: FtmEntity[]): Promise<AtomicBatchResult> => {
        const result: AtomicBatchResult = { written: [], unchanged: [], rejected: [] };
        const valid: EntityWrite[] = [];
        for (const input of entities) {
          const checked = validateEntity(input);
          if ('problem' in checked)
            result.rejected.push({
              id: input.id,
              code: checked.problem.code,
              reason: checked.problem.reason,
            });
          else valid.push(toWrite(checked.entity));
        }
        const taken = await this.store.idsInOtherDatasets(
          trx,
          dataset.id,
          valid.map((entity) => entity.id),
        );
        const writes = valid.filter((entity) => !taken.has(entity.id));
        const written = new Set(await this.store.upsertEntities(trx, dataset.id, writes, actor, importId));
        for (const entity of valid) {
          if (taken.has(entity.id))
            result.rejected.push({
              id: entity.id,
              code: 'SVD_REGISTRY_ID_TAKEN',
              reason: 'the id belongs to another dataset',
            });
          else if (written.has(entity.id)) result.written.push(entity.id);
          else result.unchanged.push(entity.id);
        }
        summary.lines += entities.length;
        summary.imported += result.written.length;
        summary.unchanged += result.unchanged.length;
        summary.rejected += result.rejected.length;
        return result;
      };
      await work(write, trx);
      await this.store.finishImport(trx, importId, { ...counts(summary), status: 'done' });
      await this.audit.record(
        {
          actor: actorOf(principal),
          action: 'registry.import',
          target: { type: 'dataset', id: dataset.id },
          details: { fileName: options.fileName ?? null, atomic: true, ...summary },
        },
        trx,
      );
    });
    return summary;
  }

  /** FtM JSON lines of a dataset's live entities, in id order (keyset pages); the export is audited. */
  async *exportLines(principal: Principal, datasetId: string, pageSize = 1000): AsyncGenerator<string> {
    const dataset = await this.store.getDataset(datasetId);
    if (!dataset) throw new AppError('SVD_HTTP_NOT_FOUND');
    if (!(await this.#canSee(principal, dataset.id)))
      return this.#denied(principal, 'registry.export', { type: 'dataset', id: dataset.id });
    await this.audit.record({
      actor: actorOf(principal),
      action: 'registry.export',
      target: { type: 'dataset', id: dataset.id },
      purpose: purposeOf(principal),
      details: { name: dataset.name },
    });
    let after: string | null = null;
    for (;;) {
      const rows = await this.store.exportPage(dataset.id, after, pageSize);
      if (rows.length === 0) return;
      let chunk = '';
      for (const row of rows)
        chunk += `${JSON.stringify({ id: row.id, schema: row.schema, properties: row.properties })}\n`;
      yield chunk;
      after = rows[rows.length - 1]!.id;
      if (rows.length < pageSize) return;
    }
  }

  // The screening read interface (see index.ts)

  /** All entities ordered by change_seq, in batches; tombstones only when `afterSeq` > 0. */
  async *scanForIndex(options: { afterSeq?: number; batchSize?: number } = {}): AsyncIterable<IndexEntity[]> {
    const afterSeq = options.afterSeq ?? 0;
    const batchSize = options.batchSize ?? 2000;
    let cursor = afterSeq;
    for (;;) {
      const rows = await this.store.scanBySeq(cursor, afterSeq > 0, batchSize);
      if (rows.length === 0) return;
      yield rows.map(toIndexEntity);
      cursor = Number(rows[rows.length - 1]!.change_seq);
      if (rows.length < batchSize) return;
    }
  }

  /**
   * A dataset's entities in id order, a page after `afterId`: live ones, or with `sinceSeq` those changed
   * after it, tombstones included (marked `deleted`). No compartment check: for internal readers.
   */
  async scanDataset(
    datasetId: string,
    options: { afterId?: string; sinceSeq?: number; limit: number },
  ): Promise<IndexEntity[]> {
    return (await this.store.scanDataset(datasetId, options)).map(toIndexEntity);
  }

  /** How many entities `scanDataset` would return in all. */
  countDataset(datasetId: string, sinceSeq?: number): Promise<number> {
    return this.store.countDataset(datasetId, sinceSeq);
  }

  /** The registry's highest change sequence value so far. */
  lastChangeSeq(): Promise<number> {
    return this.store.lastChangeSeq();
  }

  /** Entities by id, tombstones included (marked `deleted`). */
  async getEntitiesByIds(ids: string[]): Promise<Map<string, IndexEntity>> {
    const rows = await this.store.getEntities(ids);
    return new Map(rows.map((row) => [row.id, toIndexEntity(row)]));
  }
}
