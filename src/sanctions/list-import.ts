/**
 * Importing an official list into a registry dataset. The files are read as published and streamed
 * through the format's reader; every designation becomes FtM entities, checked with the registry's
 * own validator and written to a temporary FtM file. Only when the whole input has been read without
 * a problem does anything reach the database: the registry's import then loads the file (it updates
 * what changed and leaves the rest alone), and the listings are booked — new, updated, unchanged, and
 * those no longer on the list ended (their Sanction gets an end date; entities a designation no longer
 * has are deleted). A broken or hostile file therefore changes nothing.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AuditService } from '../platform/audit/service.js';
import type { Principal } from '../platform/auth/model.js';
import { actorOf } from '../platform/auth/service.js';
import { AppError, isAppError } from '../platform/errors.js';
import type { Authority, ListFormat } from './lists/entry.js';
import { LIST_READERS } from './lists/formats/index.js';
import type { FileDigest, SourceFile } from './lists/read-text.js';
import { newReadContext } from './lists/reader.js';
import { AUTHORITY_NAMES, entryToEntities, type FtmEntity, sanctionId, subjectId } from './lists/to-ftm.js';
import type { ListingWrite, SanctionsStore } from './store.js';
import './errors.js'; // registers the SVD_SANCTIONS_* codes

/** What list imports need from the registry (the registry area's service satisfies it). */
export interface ListsRegistry {
  listDatasets(): Promise<Array<{ id: string; name: string; title: string }>>;
  visibleDatasetIds(principal: Principal): Promise<'all' | string[]>;
  findDatasetByName(name: string): Promise<{ id: string; name: string } | undefined>;
  getDataset(principal: Principal, idOrName: string): Promise<{ id: string; counts?: { entities: number } }>;
  createDataset(
    principal: Principal,
    input: {
      name: string;
      title: string;
      source?: string;
      sourceDate?: string;
      licence?: string;
      notes?: string;
      restricted: boolean;
    },
  ): Promise<{ id: string; name: string }>;
  importStream(
    principal: Principal,
    datasetId: string,
    source: AsyncIterable<Uint8Array | string>,
    options: {
      fileName?: string | null;
      batchSize?: number;
      onReject?: (reject: { line: number; code: string; reason: string; id?: string }) => void;
    },
  ): Promise<{ importId: string; imported: number; unchanged: number; rejected: number }>;
  updateEntity(
    principal: Principal,
    id: string,
    input: { properties: Record<string, string[]> },
  ): Promise<unknown>;
  deleteEntity(principal: Principal, id: string): Promise<void>;
  getEntitiesByIds(
    ids: string[],
  ): Promise<Map<string, { datasetId: string; properties: Record<string, string[]>; deleted: boolean }>>;
}

/** The registry's entity validator: the stored (normalized) entity or a coded problem. */
export type EntityValidator = (
  entity: unknown,
) => { entity: FtmEntity } | { problem: { code: string; reason: string; property?: string } };

export interface ListImportInput {
  format: ListFormat;
  dataset: string;
  files: SourceFile[];
  /** Title of a new dataset (default: the list's name). */
  title?: string | undefined;
  onProgress?: ((bytes: number) => void) | undefined;
}

export interface ListImportSummary {
  importId: string;
  dataset: string;
  datasetId: string;
  datasetCreated: boolean;
  format: ListFormat;
  authority: Authority;
  generated: string | null;
  files: FileDigest[];
  entries: number;
  persons: number;
  organizations: number;
  added: number;
  updated: number;
  unchanged: number;
  ended: number;
  entitiesWritten: number;
  entitiesUnchanged: number;
  entitiesDeleted: number;
  skipped: Record<string, number>;
}

export interface OfficialList {
  datasetId: string;
  dataset: string;
  title: string;
  authority: Authority;
  activeListings: number;
  lastImport: {
    format: ListFormat;
    at: string;
    generated: string | null;
    entries: number;
    added: number;
    updated: number;
    unchanged: number;
    ended: number;
  } | null;
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    stream.once('error', onError);
    if (stream.write(text)) {
      stream.off('error', onError);
      resolve();
    } else
      stream.once('drain', () => {
        stream.off('error', onError);
        resolve();
      });
  });
}

export class ListImportService {
  constructor(
    private readonly store: SanctionsStore,
    private readonly registry: ListsRegistry,
    private readonly validate: EntityValidator,
    private readonly audit: AuditService,
  ) {}

  /** Imports one official list (see the file header). Throws an AppError and changes nothing on bad input. */
  async importList(principal: Principal, input: ListImportInput): Promise<ListImportSummary> {
    const reader = LIST_READERS[input.format];
    if (input.files.length === 0)
      throw new AppError('SVD_SANCTIONS_LIST_FILES', { message: 'No file was given.' });
    const datasetName = input.dataset.trim().toLowerCase();
    const existing = await this.registry.findDatasetByName(datasetName);
    if (existing) {
      const authority = await this.store.listAuthority(existing.id);
      if (authority !== undefined && authority !== reader.authority)
        throw new AppError('SVD_SANCTIONS_LIST_DATASET', {
          message: `The dataset ${datasetName} holds the ${authority} list; import the ${reader.authority} list into a dataset of its own.`,
        });
      if (authority === undefined) {
        const counts = (await this.registry.getDataset(principal, existing.id)).counts;
        if ((counts?.entities ?? 0) > 0) throw new AppError('SVD_SANCTIONS_LIST_DATASET');
      }
    }
    const previous = existing ? await this.store.listingsOf(existing.id) : new Map();
    const started = new Date();
    const context = newReadContext(input.onProgress);
    const publisher = reader.title;
    const work = await mkdtemp(path.join(tmpdir(), 'sviedka-list-'));
    try {
      // Pass 1: read everything, check everything, write FtM lines to a temporary file.
      const temp = path.join(work, 'entities.ftm.jsonl');
      const out = createWriteStream(temp, { mode: 0o600 });
      const listings: ListingWrite[] = [];
      const seen = new Set<string>();
      const counts = { persons: 0, organizations: 0 };
      let idsToCheck: string[] = [];
      const checkIds = async () => {
        const found = await this.registry.getEntitiesByIds(idsToCheck);
        idsToCheck = [];
        for (const [id, entity] of found)
          if (entity.datasetId !== existing?.id)
            throw new AppError('SVD_SANCTIONS_LIST_DATASET', {
              message: `The entity id ${id} is already used in another dataset; import the list under another dataset name.`,
            });
      };
      try {
        for await (const entry of reader.read(input.files, context)) {
          if (seen.has(entry.listId))
            throw new AppError('SVD_SANCTIONS_LIST_RECORD', {
              message: `The list has two designations with the id ${entry.listId}; nothing was imported.`,
            });
          seen.add(entry.listId);
          if (entry.schema === 'Person') counts.persons++;
          else counts.organizations++;
          const stored: FtmEntity[] = [];
          for (const entity of entryToEntities(entry, {
            datasetName,
            authority: reader.authority,
            publisher,
          })) {
            const result = this.validate(entity);
            if ('problem' in result)
              throw new AppError('SVD_SANCTIONS_LIST_RECORD', {
                message: `Designation ${entry.listId} (${entry.names[0]?.full ?? 'no name'}) cannot be stored: ${result.problem.reason}. Nothing was imported.`,
                details: { listId: entry.listId, code: result.problem.code },
              });
            stored.push(result.entity);
          }
          let lines = '';
          for (const entity of stored) lines += `${JSON.stringify(entity)}\n`;
          await write(out, lines);
          const subject = stored[0]!;
          listings.push({
            listId: entry.listId,
            entityId: subject.id,
            schema: subject.schema,
            caption: subject.properties.name?.[0] ?? entry.listId,
            entityIds: stored.map((e) => e.id),
            contentHash: createHash('sha256').update(lines).digest('hex'),
            listingDate: entry.listingDate ?? null,
          });
          for (const entity of stored) idsToCheck.push(entity.id);
          if (idsToCheck.length >= 2000) await checkIds();
        }
        if (idsToCheck.length > 0) await checkIds();
      } finally {
        await new Promise<void>((resolve) => out.end(resolve));
      }
      if (listings.length === 0) throw new AppError('SVD_SANCTIONS_LIST_EMPTY');

      // Pass 2: the registry loads the entities; then the listings are booked.
      let datasetId = existing?.id;
      let datasetCreated = false;
      if (!datasetId) {
        const created = await this.registry.createDataset(principal, {
          name: datasetName,
          title: input.title ?? reader.title,
          source: `${AUTHORITY_NAMES[reader.authority]}: ${context.digests.map((d) => d.name).join(', ')}`,
          ...(context.generated ? { sourceDate: context.generated } : {}),
          licence: 'Official public list',
          notes: `Imported with sviedka lists import --format ${input.format}. Every record keeps the list's own id (Sanction authorityId).`,
          restricted: false,
        });
        datasetId = created.id;
        datasetCreated = true;
      }
      await this.store.transaction((trx) => this.store.ensureList(trx, datasetId!, reader.authority));
      const rejects: string[] = [];
      const loaded = await this.registry.importStream(principal, datasetId, createReadStream(temp), {
        fileName: context.digests.map((d) => d.name).join(', '),
        batchSize: 1000,
        onReject: (reject) => {
          if (rejects.length < 5) rejects.push(`${reject.id ?? `line ${reject.line}`}: ${reject.reason}`);
        },
      });
      if (loaded.rejected > 0)
        throw new AppError('SVD_SANCTIONS_LIST_RECORD', {
          message: `The registry refused ${loaded.rejected} entities (${rejects.join('; ')}).`,
        });

      const importId = randomUUID();
      let added = 0;
      let updated = 0;
      let unchanged = 0;
      const orphans: string[] = [];
      for (const listing of listings) {
        const before = previous.get(listing.listId);
        if (!before) added++;
        else if (before.content_hash === listing.contentHash && before.ended_at === null) unchanged++;
        else {
          updated++;
          const keep = new Set(listing.entityIds);
          for (const id of before.entity_ids) if (!keep.has(id)) orphans.push(id);
        }
      }
      const ended = [...previous.values()].filter((row) => row.ended_at === null && !seen.has(row.list_id));
      const endDate = context.generated ?? today();
      const summary: ListImportSummary = {
        importId,
        dataset: datasetName,
        datasetId,
        datasetCreated,
        format: input.format,
        authority: reader.authority,
        generated: context.generated ?? null,
        files: context.digests,
        entries: listings.length,
        persons: counts.persons,
        organizations: counts.organizations,
        added,
        updated,
        unchanged,
        ended: ended.length,
        entitiesWritten: loaded.imported,
        entitiesUnchanged: loaded.unchanged,
        entitiesDeleted: 0,
        skipped: Object.fromEntries(context.skipped),
      };
      await this.store.transaction(async (trx) => {
        await this.store.upsertListings(trx, datasetId!, importId, started, listings);
        await this.store.endListings(
          trx,
          datasetId!,
          ended.map((row) => row.list_id),
          importId,
          started,
        );
        await this.store.insertListImport(trx, {
          id: importId,
          dataset_id: datasetId!,
          format: input.format,
          files: context.digests,
          generated: context.generated ?? null,
          actor: actorOf(principal).label ?? actorOf(principal).type,
          registry_import_id: loaded.importId,
          started_at: started,
          finished_at: new Date(),
          status: 'done',
          entries: listings.length,
          added,
          updated,
          unchanged,
          ended: ended.length,
          skipped: summary.skipped,
        });
        await this.audit.record(
          {
            actor: actorOf(principal),
            action: 'sanctions.list.import',
            target: { type: 'dataset', id: datasetId! },
            details: {
              format: input.format,
              files: context.digests,
              generated: context.generated ?? null,
              entries: listings.length,
              added,
              updated,
              unchanged,
              ended: ended.length,
            },
          },
          trx,
        );
      });

      // The registry side of ending: the Sanction gets an end date; a designation's dropped parts go.
      for (const row of ended) {
        await this.#endSanction(principal, sanctionId(subjectId(datasetName, row.list_id)), endDate);
      }
      for (const id of orphans) {
        try {
          await this.registry.deleteEntity(principal, id);
          summary.entitiesDeleted++;
        } catch (error) {
          if (!isAppError(error, 'SVD_HTTP_NOT_FOUND')) throw error;
        }
      }
      return summary;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  /** The official lists the principal may see, each with its latest import. */
  async officialLists(principal: Principal): Promise<OfficialList[]> {
    const [lists, datasets, visible] = await Promise.all([
      this.store.lists(),
      this.registry.listDatasets(),
      this.registry.visibleDatasetIds(principal),
    ]);
    const shown = lists.filter((l) => visible === 'all' || visible.includes(l.dataset_id));
    const imports = await this.store.lastListImports(shown.map((l) => l.dataset_id));
    const active = await this.store.activeListingCounts(shown.map((l) => l.dataset_id));
    const byId = new Map(datasets.map((d) => [d.id, d]));
    return shown
      .filter((l) => byId.has(l.dataset_id))
      .map((l) => {
        const dataset = byId.get(l.dataset_id)!;
        const last = imports.get(l.dataset_id);
        return {
          datasetId: l.dataset_id,
          dataset: dataset.name,
          title: dataset.title,
          authority: l.authority as Authority,
          activeListings: active.get(l.dataset_id) ?? 0,
          lastImport: last
            ? {
                format: last.format as ListFormat,
                at: new Date(last.started_at).toISOString(),
                generated: last.generated,
                entries: last.entries,
                added: last.added,
                updated: last.updated,
                unchanged: last.unchanged,
                ended: last.ended,
              }
            : null,
        };
      })
      .sort((a, b) => a.dataset.localeCompare(b.dataset));
  }

  async #endSanction(principal: Principal, id: string, endDate: string): Promise<void> {
    try {
      await this.registry.updateEntity(principal, id, {
        properties: { endDate: [endDate], status: ['ended'] },
      });
    } catch (error) {
      if (!isAppError(error, 'SVD_HTTP_NOT_FOUND')) throw error;
    }
  }
}
