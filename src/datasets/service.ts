/**
 * Mapped imports: a mapping file over CSV/XLSX/SQL sources into a registry dataset. A run reads every
 * source once, row by row, maps each row to entity fragments and spools them (sorted runs on disk past
 * a memory budget, so a large source never sits in memory: spool.ts); then it publishes: the fragments
 * are merged per entity and written through the registry in ONE transaction, thousands per statement,
 * with each entity's provenance (source file, its SHA-256, the row, the mapping's hash). A failure at
 * any point leaves the dataset as it was.
 * A dry run maps the first rows in memory and writes nothing.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { AuditService } from '../platform/audit/service.js';
import type { Principal } from '../platform/auth/model.js';
import { actorOf } from '../platform/auth/service.js';
import type { AnyTransaction } from '../platform/db/database.js';
import { AppError, isAppError } from '../platform/errors.js';
import { actorLabel, captionOf, type FtmEntity } from '../registry/index.js';
import { QueryMapper } from './mapper.js';
import { type Mapping, parseMapping, redactMapping } from './mapping.js';
import type {
  MappingProblem,
  PreviewEntity,
  PreviewResponse,
  Provenance,
  RowReject,
  Run,
  RunDetail,
  RunSource,
} from './model.js';
import { type OpenedSource, querySources, type SourceContext } from './sources/index.js';
import { type Fragment, FragmentSpool } from './spool.js';
import type { DatasetsStore, RunRow } from './store.js';

/** What the datasets area needs from the registry (the composition root plugs the registry in). */
export interface DatasetsRegistry {
  getDataset(principal: Principal, idOrName: string): Promise<{ id: string; name: string }>;
  importAtomic(
    principal: Principal,
    datasetId: string,
    options: { fileName?: string | null },
    work: (
      write: (entities: FtmEntity[]) => Promise<{
        written: string[];
        unchanged: string[];
        rejected: Array<{ id: string; code: string; reason: string }>;
      }>,
      trx: AnyTransaction,
    ) => Promise<void>,
  ): Promise<{ importId: string }>;
}

/** Where web imports keep their source files: the evidence vault (originals with custody). */
export interface SourceVault {
  /** Decrypts an item the principal may read into `dir`; the download is recorded in its custody. */
  fetchToFile(principal: Principal, itemId: string, dir: string): Promise<{ path: string; name: string }>;
}

export interface RunProgress {
  phase: 'reading' | 'publishing';
  rows: number;
  bytes: number;
  totalBytes: number | null;
  source: string;
}

export interface RunOptions {
  mappingText: string;
  mappingName?: string | undefined;
  /** Where relative file names of the mapping are resolved, and the override of the mapping's file. */
  sources: SourceContext;
  /** Read at most this many rows (over all queries). */
  limit?: number | undefined;
  dryRun?: boolean | undefined;
  /** Evidence items the sources came from (web uploads), recorded with the run's sources. */
  evidenceItemId?: string | undefined;
  /** A run row created beforehand (a queued web import). */
  runId?: string | undefined;
  onEntity?: (entity: PreviewEntity) => void | Promise<void>;
  onReject?: (reject: RowReject) => void | Promise<void>;
  onProgress?: (progress: RunProgress) => void;
  onColumns?: (columns: string[]) => void;
}

export interface RunSummary {
  runId: string | null;
  rowsRead: number;
  rowsFiltered: number;
  rowsRejected: number;
  entities: number;
  entitiesWritten: number;
  entitiesUnchanged: number;
  entitiesRejected: number;
  seconds: number;
}

const PUBLISH_PAGE = 5000;
const KEPT_REJECTS = 1000;
/** A dry run holds its entities in memory: it reads at most this many rows. */
export const DRY_RUN_MAX_ROWS = 10_000;

/** Adds the values of `from` to `into`, keeping order and dropping repeats. */
function mergeProperties(into: Record<string, string[]>, from: Record<string, string[]>): void {
  for (const [key, values] of Object.entries(from)) {
    const list = into[key];
    if (!list) into[key] = [...values];
    else for (const value of values) if (!list.includes(value)) list.push(value);
  }
}

/** The message of a bad mapping: each problem on its own line, prefixed with the file and line. */
export function mappingError(problems: MappingProblem[], fileName: string): AppError {
  const lines = problems.slice(0, 20).map((p) => `${fileName}:${p.line}: ${p.message}`);
  if (problems.length > 20) lines.push(`… and ${problems.length - 20} more`);
  return new AppError('SVD_DATASETS_BAD_MAPPING', {
    message: lines.join('\n'),
    details: { problems },
  });
}

function iso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

function toRun(row: RunRow): Run {
  return {
    id: row.id,
    datasetId: row.dataset_id,
    actor: row.actor,
    mappingName: row.mapping_name,
    mappingSha256: row.mapping_sha256,
    status: row.status,
    sources: row.sources,
    rowsRead: row.rows_read,
    rowsRejected: row.rows_rejected,
    entitiesWritten: row.entities_written,
    entitiesUnchanged: row.entities_unchanged,
    bytesRead: row.bytes_read,
    bytesTotal: row.bytes_total,
    error: row.error,
    startedAt: iso(row.started_at)!,
    finishedAt: iso(row.finished_at),
  };
}

async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export class DatasetsService {
  constructor(
    private readonly store: DatasetsStore,
    private readonly registry: DatasetsRegistry,
    private readonly audit: AuditService,
    private readonly web: {
      vault?: SourceVault | undefined;
      workDir: string;
      enqueue?: ((runId: string) => Promise<void>) | undefined;
    } = { workDir: '.' },
  ) {}

  /** Runs `work` with the source file of an evidence item decrypted into a private work directory. */
  async #withVaultFile<T>(
    principal: Principal,
    itemId: string | undefined,
    work: (override: { path: string; name: string } | undefined) => Promise<T>,
  ): Promise<T> {
    if (!itemId) return work(undefined);
    if (!this.web.vault)
      throw new AppError('SVD_DATASETS_SOURCE', { message: 'The evidence vault is not available.' });
    await mkdir(this.web.workDir, { recursive: true, mode: 0o700 });
    const dir = await mkdtemp(path.join(this.web.workDir, 'mapping-'));
    try {
      return await work(await this.web.vault.fetchToFile(principal, itemId, dir));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** A mapping whose database URL carries a password cannot be kept for a background run. */
  #refuseInlinePasswords(text: string): void {
    if (redactMapping(text) !== text)
      throw mappingError(
        [
          {
            line: text.slice(0, text.search(/:\/\/[^:/@\s]+:[^@\s]*@/)).split('\n').length,
            message:
              // biome-ignore lint/suspicious/noTemplateCurlyInString: it shows the mapping's ${VARIABLE} syntax.
              'write the database password as ${VARIABLE} (set on the server), not in the mapping: passwords are never stored',
          },
        ],
        'mapping',
      );
  }

  /** The preview of the web page: the first rows mapped in memory, with problems; nothing written. */
  async preview(
    principal: Principal,
    datasetId: string,
    input: { mapping: string; evidenceItemId?: string | undefined; limit: number },
  ): Promise<PreviewResponse> {
    const parsed = parseMapping(input.mapping);
    const empty = { entities: [], rejects: [], rowsRead: 0, columns: [] };
    if ('problems' in parsed) return { problems: parsed.problems, ...empty };
    await this.registry.getDataset(principal, datasetId);
    const entities: PreviewEntity[] = [];
    const rejects: RowReject[] = [];
    let columns: string[] = [];
    return this.#withVaultFile(principal, input.evidenceItemId, async (override) => {
      try {
        const summary = await this.run(principal, datasetId, {
          mappingText: input.mapping,
          sources: { baseDir: this.web.workDir, override },
          dryRun: true,
          limit: input.limit,
          onEntity: (entity) => {
            entities.push(entity);
          },
          onReject: (reject) => {
            rejects.push(reject);
          },
          onColumns: (found) => {
            columns = found;
          },
        });
        return { problems: [], entities, rejects, rowsRead: summary.rowsRead, columns };
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500 || error.code === 'SVD_HTTP_NOT_FOUND')
          throw error;
        const line =
          typeof error.details?.line === 'number' && error.code === 'SVD_DATASETS_MISSING_COLUMN'
            ? error.details.line
            : 1;
        return { problems: [{ line, message: `${error.message} (${error.code})` }], ...empty, columns };
      }
    });
  }

  /** Queues a web import: the run is recorded at once, a background job does the work. */
  async queueRun(
    principal: Principal,
    datasetId: string,
    input: { mapping: string; mappingName?: string | undefined; evidenceItemId?: string | undefined },
  ): Promise<Run> {
    const parsed = parseMapping(input.mapping);
    const mappingName = input.mappingName ?? 'mapping.yml';
    if ('problems' in parsed) throw mappingError(parsed.problems, mappingName);
    this.#refuseInlinePasswords(input.mapping);
    const dataset = await this.registry.getDataset(principal, datasetId);
    const active = await this.store.activeRun(dataset.id);
    if (active)
      throw new AppError('SVD_DATASETS_RUN_ACTIVE', {
        message: `An import into ${dataset.name} is already running (run ${active.id}, ${active.status}).`,
      });
    const id = randomUUID();
    await this.store.insertRun({
      id,
      dataset_id: dataset.id,
      actor: actorLabel(principal),
      mapping_name: mappingName,
      mapping_sha256: parsed.mapping.sha256,
      mapping_text: input.mapping,
      status: 'queued',
      evidence_item_id: input.evidenceItemId ?? null,
    });
    await this.audit.record({
      actor: actorOf(principal),
      action: 'datasets.import.queue',
      target: { type: 'dataset', id: dataset.id },
      details: {
        runId: id,
        mapping: mappingName,
        mappingSha256: parsed.mapping.sha256,
        evidenceItemId: input.evidenceItemId ?? null,
      },
    });
    await this.web.enqueue?.(id);
    return toRun((await this.store.getRun(id))!);
  }

  /** The background half of a web import (the job handler). */
  async runQueued(runId: string): Promise<void> {
    const row = await this.store.getRun(runId);
    if (row?.status !== 'queued') return;
    // The job acts for the analyst who queued it; their access was checked then.
    const principal: Principal = { type: 'system', label: row.actor };
    let last = 0;
    await this.#withVaultFile(principal, row.evidence_item_id ?? undefined, (override) =>
      this.run(principal, row.dataset_id, {
        mappingText: row.mapping_text,
        mappingName: row.mapping_name ?? undefined,
        sources: { baseDir: this.web.workDir, override },
        runId,
        evidenceItemId: row.evidence_item_id ?? undefined,
        onProgress: (progress) => {
          const now = Date.now();
          if (now - last < 1000) return;
          last = now;
          void this.store
            .updateRun(runId, {
              rows_read: progress.rows,
              bytes_read: progress.bytes,
              bytes_total: progress.totalBytes,
            })
            .catch(() => undefined);
        },
      }),
    ).catch((error: unknown) => {
      // The run row carries the failure for the page; a retry of the job could not do better.
      if (!(error instanceof AppError)) throw error;
    });
  }

  /** Checks a mapping; the problems carry YAML lines (for the editor and the CLI). */
  validateMapping(text: string): { mapping: Mapping } | { problems: MappingProblem[] } {
    return parseMapping(text);
  }

  /**
   * Runs a mapping into a dataset (or, with `dryRun`, only maps and reports). Throws on what stops the
   * whole run (a bad mapping, an unreadable source, a missing column); rejected rows are reported
   * through `onReject` and counted, and the rest is imported.
   */
  async run(principal: Principal, datasetIdOrName: string, options: RunOptions): Promise<RunSummary> {
    const started = Date.now();
    const parsed = parseMapping(options.mappingText);
    const mappingName = options.mappingName ?? 'mapping.yml';
    if ('problems' in parsed) throw mappingError(parsed.problems, mappingName);
    const mapping = parsed.mapping;
    // A dry run may name a dataset that does not exist yet: its name is all the ids need.
    const dataset = await this.registry.getDataset(principal, datasetIdOrName).catch((error: unknown) => {
      if (
        options.dryRun &&
        isAppError(error, 'SVD_HTTP_NOT_FOUND') &&
        /^[a-z0-9][a-z0-9_-]{0,99}$/.test(datasetIdOrName)
      )
        return { id: '', name: datasetIdOrName };
      throw error;
    });
    const summary: RunSummary = {
      runId: null,
      rowsRead: 0,
      rowsFiltered: 0,
      rowsRejected: 0,
      entities: 0,
      entitiesWritten: 0,
      entitiesUnchanged: 0,
      entitiesRejected: 0,
      seconds: 0,
    };
    const limit = options.dryRun
      ? Math.min(options.limit ?? DRY_RUN_MAX_ROWS, DRY_RUN_MAX_ROWS)
      : (options.limit ?? Number.POSITIVE_INFINITY);
    let runId: string | null = null;
    if (!options.dryRun) {
      const active = await this.store.activeRun(dataset.id);
      if (active && active.id !== options.runId)
        throw new AppError('SVD_DATASETS_RUN_ACTIVE', {
          message: `An import into ${dataset.name} is already running (run ${active.id}, ${active.status}).`,
        });
      runId = options.runId ?? randomUUID();
      if (options.runId) await this.store.updateRun(runId, { status: 'staging' });
      else
        await this.store.insertRun({
          id: runId,
          dataset_id: dataset.id,
          actor: actorLabel(principal),
          mapping_name: mappingName,
          mapping_sha256: mapping.sha256,
          mapping_text: redactMapping(options.mappingText),
          status: 'staging',
        });
      summary.runId = runId;
    }

    const sources: RunSource[] = [];
    let keptRejects = 0;
    const reject = async (r: RowReject) => {
      await options.onReject?.(r);
      if (runId && keptRejects < KEPT_REJECTS) {
        await this.store.keepRejects(runId, keptRejects, [r]);
        keptRejects++;
      }
    };
    // Dry run: entities merged in memory (bounded by the row limit). Real run: fragments staged.
    const preview = new Map<string, PreviewEntity>();
    const spool = new FragmentSpool(this.web.workDir);
    let bytesBefore = 0;
    let lastProgress = 0;
    try {
      queries: for (const query of mapping.queries) {
        const mapper = new QueryMapper(query, dataset.name);
        for (const openSource of querySources(query, options.sources)) {
          if (summary.rowsRead >= limit) break queries;
          const source: OpenedSource = await openSource();
          try {
            options.onColumns?.(source.columns);
            this.#checkColumns(query.columns, source, mappingName);
            const progress = (force: boolean) => {
              const now = Date.now();
              if (!force && now - lastProgress < 250) return;
              lastProgress = now;
              options.onProgress?.({
                phase: 'reading',
                rows: summary.rowsRead,
                bytes: bytesBefore + source.bytesRead(),
                totalBytes: source.totalBytes,
                source: source.name,
              });
            };
            for await (const row of source.rows()) {
              if (summary.rowsRead >= limit) break;
              summary.rowsRead++;
              if (row.problem) {
                summary.rowsRejected++;
                await reject({
                  query: query.index,
                  source: source.name,
                  line: row.line,
                  ref: row.ref,
                  ...row.problem,
                });
                continue;
              }
              if (!mapper.accepts(row)) {
                summary.rowsFiltered++;
                continue;
              }
              const mapped = mapper.map(row);
              if ('problem' in mapped) {
                summary.rowsRejected++;
                const { code, reason, column, entity, property } = mapped.problem;
                await reject({
                  query: query.index,
                  source: source.name,
                  line: row.line,
                  ref: row.ref,
                  code,
                  reason,
                  ...(column ? { column } : {}),
                  ...(entity ? { entity } : {}),
                  ...(property ? { property } : {}),
                });
                continue;
              }
              for (const entity of mapped.entities) {
                if (options.dryRun) {
                  const existing = preview.get(entity.id);
                  if (existing) mergeProperties(existing.properties, entity.properties);
                  else
                    preview.set(entity.id, {
                      id: entity.id,
                      schema: entity.schema,
                      caption: '',
                      properties: structuredClone(entity.properties),
                      query: query.index,
                      ref: `${row.ref} of ${source.name}`,
                    });
                } else {
                  await spool.add({
                    entityId: entity.id,
                    schema: entity.schema,
                    properties: entity.properties,
                    query: query.index,
                    line: row.line,
                    ref: row.ref,
                  });
                }
              }
              progress(false);
            }
            progress(true);
            // A limited run stops before the end of the file: hash the whole file then.
            const sha256 = source.sha256() ?? (source.file ? await fileSha256(source.file) : null);
            sources.push({
              query: query.index,
              kind: source.kind,
              name: source.name,
              sha256,
              bytes: source.totalBytes,
              encoding: source.encoding,
              evidenceItemId: options.evidenceItemId ?? null,
            });
            bytesBefore += source.bytesRead();
          } finally {
            await source.close();
          }
          if (runId)
            await this.store.updateRun(runId, {
              sources,
              rows_read: summary.rowsRead,
              rows_rejected: summary.rowsRejected,
              bytes_read: bytesBefore,
            });
        }
      }

      if (options.dryRun || !runId) {
        for (const entity of preview.values()) {
          entity.caption = captionOf(entity.schema, entity.properties);
          summary.entities++;
          await options.onEntity?.(entity);
        }
        summary.seconds = (Date.now() - started) / 1000;
        return summary;
      }

      await this.store.updateRun(runId, { status: 'publishing' });
      options.onProgress?.({
        phase: 'publishing',
        rows: summary.rowsRead,
        bytes: bytesBefore,
        totalBytes: null,
        source: '',
      });
      const sourceName = (query: number) => sources.find((s) => s.query === query)?.name ?? '';
      const fileName = [...new Set(sources.map((s) => s.name))].join(', ').slice(0, 300) || mappingName;
      const publishRejects: RowReject[] = [];
      const result = await this.registry.importAtomic(
        principal,
        dataset.id,
        { fileName },
        async (write, trx) => {
          const currentRun = runId!;
          let group: { entity: FtmEntity; first: Fragment; rows: number } | null = null;
          let batch: Array<{ entity: FtmEntity; first: Fragment; rows: number }> = [];
          const writeBatch = async () => {
            if (batch.length === 0) return;
            const entries = batch;
            batch = [];
            const outcome = await write(entries.map((e) => e.entity));
            summary.entities += entries.length;
            summary.entitiesWritten += outcome.written.length;
            summary.entitiesUnchanged += outcome.unchanged.length;
            const refused = new Map(outcome.rejected.map((r) => [r.id, r]));
            summary.entitiesRejected += refused.size;
            for (const entry of entries) {
              const refusal = refused.get(entry.entity.id);
              if (refusal)
                publishRejects.push({
                  query: entry.first.query,
                  source: sourceName(entry.first.query),
                  line: entry.first.line,
                  ref: entry.first.ref,
                  entity: entry.entity.id,
                  code: refusal.code,
                  reason: refusal.reason,
                });
            }
            await this.store.upsertProvenance(
              trx,
              currentRun,
              entries
                .filter((entry) => !refused.has(entry.entity.id))
                .map((entry) => ({
                  entity_id: entry.entity.id,
                  query: entry.first.query,
                  line: entry.first.line,
                  ref: entry.first.ref,
                  rows: entry.rows,
                })),
            );
          };
          const close = async () => {
            if (group) batch.push(group);
            group = null;
            if (batch.length >= PUBLISH_PAGE) await writeBatch();
          };
          for await (const fragment of spool.fragments()) {
            if (group && group.entity.id === fragment.entityId) {
              if (fragment.schema !== group.entity.schema) {
                publishRejects.push({
                  query: fragment.query,
                  source: sourceName(fragment.query),
                  line: fragment.line,
                  ref: fragment.ref,
                  entity: fragment.entityId,
                  code: 'SVD_DATASETS_BAD_VALUE',
                  reason: `the entity from ${group.first.ref} is a ${group.entity.schema}, this row makes it a ${fragment.schema}: give the two entities different keys or a key_literal`,
                });
                continue;
              }
              mergeProperties(group.entity.properties, fragment.properties);
              group.rows += fragment.rows;
            } else {
              await close();
              group = {
                entity: { id: fragment.entityId, schema: fragment.schema, properties: fragment.properties },
                first: fragment,
                rows: fragment.rows,
              };
            }
          }
          await close();
          await writeBatch();
          await this.store.updateRun(
            currentRun,
            {
              status: 'done',
              entities_written: summary.entitiesWritten,
              entities_unchanged: summary.entitiesUnchanged,
              finished_at: new Date(),
            },
            trx,
          );
        },
      );
      await this.store.updateRun(runId, { registry_import_id: result.importId });
      for (const r of publishRejects) await reject(r);
      summary.seconds = (Date.now() - started) / 1000;
      await this.audit.record({
        actor: actorOf(principal),
        action: 'datasets.import',
        target: { type: 'dataset', id: dataset.id },
        details: {
          runId,
          mapping: mappingName,
          mappingSha256: mapping.sha256,
          sources: sources.map((s) => ({ name: s.name, sha256: s.sha256, evidenceItemId: s.evidenceItemId })),
          rowsRead: summary.rowsRead,
          rowsRejected: summary.rowsRejected,
          entitiesWritten: summary.entitiesWritten,
        },
      });
      return summary;
    } catch (error) {
      if (runId) {
        const message = error instanceof Error ? error.message : String(error);
        await this.store
          .updateRun(runId, { status: 'failed', error: message.slice(0, 2000), finished_at: new Date() })
          .catch(() => undefined);
        await this.audit
          .record({
            actor: actorOf(principal),
            action: 'datasets.import',
            outcome: 'failed',
            target: { type: 'dataset', id: dataset.id },
            details: {
              runId,
              mapping: mappingName,
              mappingSha256: mapping.sha256,
              error: message.slice(0, 500),
            },
          })
          .catch(() => undefined);
      }
      throw error;
    } finally {
      await spool.close().catch(() => undefined);
    }
  }

  #checkColumns(columns: Map<string, number>, source: OpenedSource, mappingName: string): void {
    if (source.kind === 'sql') return; // checked against the tables when the query is built
    const present = new Set(source.columns);
    for (const [column, line] of columns) {
      if (present.has(column)) continue;
      throw new AppError('SVD_DATASETS_MISSING_COLUMN', {
        message: `${source.name}: no column "${column}" (named at ${mappingName}:${line}); the header has: ${source.columns.map((c) => `"${c}"`).join(', ')}`,
        details: { column, line, source: source.name },
      });
    }
  }

  // Reads for the web app

  async listRuns(principal: Principal, datasetIdOrName: string): Promise<Run[]> {
    const dataset = await this.registry.getDataset(principal, datasetIdOrName);
    return (await this.store.listRuns(dataset.id, 50)).map(toRun);
  }

  async getRun(principal: Principal, runId: string): Promise<RunDetail> {
    const row = await this.store.getRun(runId);
    if (!row) throw new AppError('SVD_HTTP_NOT_FOUND');
    await this.registry.getDataset(principal, row.dataset_id);
    return { ...toRun(row), mapping: row.mapping_text, rejects: await this.store.rejects(runId, 200) };
  }

  /** Where an entity came from, if a mapped import wrote it (null otherwise). */
  async provenance(principal: Principal, entityId: string): Promise<Provenance | null> {
    const row = await this.store.provenance(entityId);
    if (!row) return null;
    await this.registry.getDataset(principal, row.dataset_id);
    const sources = (typeof row.sources === 'string' ? JSON.parse(row.sources) : row.sources) as RunSource[];
    const source = sources.find((s) => s.query === row.query);
    return {
      entityId: row.entity_id,
      runId: row.run_id,
      datasetId: row.dataset_id,
      query: row.query,
      source: source?.name ?? '',
      sourceSha256: source?.sha256 ?? null,
      mappingSha256: row.mapping_sha256,
      ref: row.ref,
      line: row.line,
      rows: row.rows,
      importedAt: iso(row.finished_at) ?? '',
    };
  }
}
