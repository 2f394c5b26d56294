/**
 * `sviedka import --dataset NAME --mapping MAPPING.yml [--source FILE] [--dry-run] [--limit N]`: a
 * mapped import (the datasets area). Progress on stderr; the summary on stdout (on stderr for a dry run,
 * whose stdout is the entities as FtM JSON lines). Rejected rows go to a rejects file (JSON lines: query,
 * source, line, ref, column, code, reason), written atomically and only when there are some.
 *
 * Exit codes: 0 imported, 2 imported but some rows rejected, 1 nothing imported (bad mapping, unreadable
 * source, missing column, unknown dataset on a dry run is fine).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { RowReject } from '../datasets/model.js';
import { AppError } from '../platform/errors.js';
import { atomicWriter } from './atomic-writer.js';
import { cliPrincipal, configFrom, progress, withRuntime } from './context.js';

/** Rows a dry run maps when no --limit is given. */
const DRY_RUN_DEFAULT_ROWS = 100;

export interface MappedImportOptions {
  dataset: string;
  mapping: string;
  source?: string | undefined;
  dryRun?: boolean | undefined;
  limit?: string | undefined;
  rejects?: string | undefined;
  title?: string | undefined;
  sourceDate?: string | undefined;
  licence?: string | undefined;
  notes?: string | undefined;
  restricted?: boolean | undefined;
}

const number = (n: number) => n.toLocaleString('en-US');

export async function mappedImport(command: Command, opts: MappedImportOptions): Promise<number> {
  const mappingFile = path.resolve(opts.mapping);
  if (!existsSync(mappingFile) || !statSync(mappingFile).isFile())
    throw new AppError('SVD_DATASETS_BAD_MAPPING', { message: `No such mapping file: ${opts.mapping}` });
  let limit: number | undefined;
  if (opts.limit !== undefined) {
    limit = Number(opts.limit);
    if (!/^\d+$/.test(opts.limit) || limit < 1)
      throw new AppError('SVD_HTTP_VALIDATION', {
        message: '--limit must be a whole number of rows, 1 or more',
      });
  } else if (opts.dryRun) limit = DRY_RUN_DEFAULT_ROWS;
  let override: { path: string; name: string } | undefined;
  if (opts.source !== undefined) {
    if (!existsSync(opts.source) || !statSync(opts.source).isFile())
      throw new AppError('SVD_DATASETS_SOURCE', { message: `No such file: ${opts.source}` });
    override = { path: path.resolve(opts.source), name: path.basename(opts.source) };
  }
  const mappingText = readFileSync(mappingFile, 'utf8');
  const mappingName = path.basename(mappingFile);
  const rejectsPath = opts.rejects ?? `${opts.source ?? mappingFile}.rejects.jsonl`;

  return withRuntime(configFrom(command), ['registry', 'datasets'], async (runtime) => {
    const { registry, datasets } = runtime.areas;
    const principal = cliPrincipal();
    // Check the mapping before anything is created.
    const checked = datasets.service.validateMapping(mappingText);
    if ('problems' in checked) {
      const { mappingError } = await import('../datasets/index.js');
      throw mappingError(checked.problems, mappingName);
    }
    let dataset = await registry.service.findDatasetByName(opts.dataset);
    if (!dataset && !opts.dryRun) {
      dataset = await registry.service.createDataset(principal, {
        name: opts.dataset,
        title: opts.title ?? opts.dataset,
        source: `Mapped with ${mappingName}${override ? ` from ${override.name}` : ''}`,
        ...(opts.sourceDate ? { sourceDate: opts.sourceDate } : {}),
        ...(opts.licence ? { licence: opts.licence } : {}),
        ...(opts.notes ? { notes: opts.notes } : {}),
        restricted: opts.restricted ?? false,
      });
      process.stderr.write(`Created dataset ${dataset.name}${dataset.restricted ? ' (restricted)' : ''}\n`);
    }
    const rejects = await atomicWriter(rejectsPath);
    let bar: ReturnType<typeof progress> | undefined;
    let label = '';
    let summary: Awaited<ReturnType<typeof datasets.service.run>>;
    try {
      summary = await datasets.service.run(principal, dataset?.id ?? opts.dataset, {
        mappingText,
        mappingName,
        sources: { baseDir: path.dirname(mappingFile), override },
        limit,
        dryRun: opts.dryRun,
        onEntity: async (entity) => {
          const line = `${JSON.stringify({ id: entity.id, schema: entity.schema, properties: entity.properties })}\n`;
          if (!process.stdout.write(line))
            await new Promise((resolve) => process.stdout.once('drain', resolve));
        },
        onReject: (reject: RowReject) => rejects.write(`${JSON.stringify(reject)}\n`),
        onProgress: (p) => {
          const next = p.phase === 'publishing' ? 'Publishing' : `Reading ${p.source}`;
          if (next !== label) {
            bar?.stop();
            label = next;
            bar = progress(label, p.phase === 'reading' ? (p.totalBytes ?? undefined) : undefined);
          }
          bar?.update(p.totalBytes ? p.bytes : p.rows);
        },
      });
    } catch (error) {
      bar?.stop();
      await rejects.abort();
      throw error;
    }
    bar?.stop();
    if (summary.rowsRejected + summary.entitiesRejected > 0) await rejects.commit();
    else {
      await rejects.abort();
      await rm(rejectsPath, { force: true });
    }
    const name = dataset?.name ?? opts.dataset;
    const parts = [
      `rows read ${number(summary.rowsRead)}`,
      opts.dryRun
        ? `entities ${number(summary.entities)} (dry run: nothing written)`
        : `entities written ${number(summary.entitiesWritten)}`,
      ...(opts.dryRun ? [] : [`unchanged ${number(summary.entitiesUnchanged)}`]),
      `rows rejected ${number(summary.rowsRejected)}${summary.rowsRejected + summary.entitiesRejected > 0 ? ` (see ${rejectsPath})` : ''}`,
      ...(summary.entitiesRejected > 0 ? [`entities rejected ${number(summary.entitiesRejected)}`] : []),
      ...(summary.rowsFiltered > 0 ? [`rows filtered out ${number(summary.rowsFiltered)}`] : []),
      `time ${summary.seconds.toFixed(1)} s`,
    ];
    const line = `${name}: ${parts.join(', ')}\n`;
    if (opts.dryRun) process.stderr.write(line);
    else process.stdout.write(line);
    return summary.rowsRejected + summary.entitiesRejected > 0 ? 2 : 0;
  });
}
