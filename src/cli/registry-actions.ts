/** What the commands declared in `registry.ts` do (loaded when one of them runs). */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../platform/errors.js';
import type { Reject } from '../registry/model.js';
import { atomicWriter } from './atomic-writer.js';
import { cliPrincipal, configFrom, progress, withRuntime } from './context.js';

export async function importDataset(
  file: string | undefined,
  opts: {
    dataset: string;
    mapping?: string;
    dryRun?: boolean;
    limit?: string;
    rejects?: string;
    title?: string;
    source?: string;
    sourceDate?: string;
    licence?: string;
    notes?: string;
    restricted?: boolean;
    batchSize: string;
  },
  command: Command,
): Promise<void> {
  if (opts.mapping !== undefined) {
    if (file !== undefined)
      throw new AppError('SVD_HTTP_VALIDATION', {
        message: `give the source with --source, not as an argument, when importing with --mapping (got ${file})`,
      });
    const { mappedImport } = await import('./datasets.js');
    process.exitCode = await mappedImport(command, { ...opts, mapping: opts.mapping });
    return;
  }
  if (opts.dryRun || opts.limit !== undefined)
    throw new AppError('SVD_HTTP_VALIDATION', {
      message: '--dry-run and --limit apply to --mapping imports',
    });
  if (file === undefined)
    throw new AppError('SVD_HTTP_VALIDATION', { message: 'give an FtM JSON lines file, or --mapping' });
  if (!existsSync(file) || !statSync(file).isFile())
    throw new AppError('SVD_REGISTRY_FILE', { message: `No such file: ${file}` });
  const batchSize = Number.parseInt(opts.batchSize, 10);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
    throw new AppError('SVD_HTTP_VALIDATION', { message: '--batch-size must be 1–10000' });
  const size = statSync(file).size;
  const rejectsPath = opts.rejects ?? `${file}.rejects.jsonl`;
  const exitCode = await withRuntime(configFrom(command), ['registry'], async (runtime) => {
    const registry = runtime.areas.registry.service;
    const principal = cliPrincipal();
    let dataset = await registry.findDatasetByName(opts.dataset);
    if (!dataset) {
      dataset = await registry.createDataset(principal, {
        name: opts.dataset,
        title: opts.title ?? opts.dataset,
        ...(opts.source ? { source: opts.source } : {}),
        ...(opts.sourceDate ? { sourceDate: opts.sourceDate } : {}),
        ...(opts.licence ? { licence: opts.licence } : {}),
        ...(opts.notes ? { notes: opts.notes } : {}),
        restricted: opts.restricted ?? false,
      });
      process.stderr.write(`Created dataset ${dataset.name}${dataset.restricted ? ' (restricted)' : ''}\n`);
    }
    const rejects = await atomicWriter(rejectsPath);
    const bar = progress(`Importing ${path.basename(file)}`, size);
    let summary: Awaited<ReturnType<typeof registry.importStream>>;
    try {
      summary = await registry.importStream(
        principal,
        dataset.id,
        createReadStream(file, { highWaterMark: 256 * 1024 }),
        {
          fileName: path.basename(file),
          batchSize,
          onReject: (reject: Reject) => rejects.write(`${JSON.stringify(reject)}\n`),
          onProgress: (bytes) => bar.update(bytes),
        },
      );
    } catch (error) {
      bar.stop();
      await rejects.abort();
      throw error;
    }
    bar.update(size);
    bar.stop();
    if (summary.rejected > 0) await rejects.commit();
    else {
      await rejects.abort();
      await rm(rejectsPath, { force: true });
    }
    process.stdout.write(
      `${dataset.name}: imported ${summary.imported}, unchanged ${summary.unchanged}, rejected ${summary.rejected}${summary.rejected > 0 ? ` (see ${rejectsPath})` : ''}\n`,
    );
    return summary.rejected > 0 ? 2 : 0;
  });
  process.exitCode = exitCode;
}

export async function exportDataset(
  opts: { dataset: string; out?: string; merged?: boolean },
  command: Command,
): Promise<void> {
  // Cross-referencing is opened only for --merged, the one case that reads it.
  const areas: Array<'registry' | 'xref'> = opts.merged ? ['registry', 'xref'] : ['registry'];
  await withRuntime(configFrom(command), areas, async (runtime) => {
    const registry = runtime.areas.registry.service;
    const dataset = await registry.findDatasetByName(opts.dataset);
    if (!dataset) throw new AppError('SVD_HTTP_NOT_FOUND', { message: `No dataset named ${opts.dataset}.` });
    const total = (await registry.getDataset(cliPrincipal(), dataset.id)).counts?.entities;
    const lines = opts.merged
      ? runtime.areas.xref.decisions.mergedExportLines(cliPrincipal(), dataset.id)
      : registry.exportLines(cliPrincipal(), dataset.id);
    if (!opts.out) {
      for await (const chunk of lines) {
        if (!process.stdout.write(chunk))
          await new Promise((resolve) => process.stdout.once('drain', resolve));
      }
      return;
    }
    const out = await atomicWriter(opts.out);
    const bar = progress(`Exporting ${dataset.name}`, total);
    let written = 0;
    try {
      for await (const chunk of lines) {
        await out.write(chunk);
        written += chunk.split('\n').length - 1;
        bar.update(written);
      }
    } catch (error) {
      bar.stop();
      await out.abort();
      throw error;
    }
    bar.stop();
    await out.commit();
    process.stderr.write(`${dataset.name}: exported ${written} entities to ${opts.out}\n`);
  });
}
