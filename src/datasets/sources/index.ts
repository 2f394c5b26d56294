/**
 * Opens the source of one query. Files are local (a path relative to the mapping file, or `file://`);
 * the analyst's `--source` (or an uploaded file) replaces the file the mapping names. Whether a file is
 * a spreadsheet is decided from its first bytes, not from its name.
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../platform/errors.js';
import type { QueryMapping } from '../mapping.js';
import { openCsv } from './csv.js';
import type { OpenedSource } from './source.js';

export type { OpenedSource, SourceRow } from './source.js';

export interface SourceContext {
  /** Where relative file names in the mapping are resolved (the mapping file's directory). */
  baseDir: string;
  /** A file that replaces the one the mapping names (CLI `--source`, an uploaded file). */
  override?: { path: string; name: string } | undefined;
}

function resolveFile(reference: string, context: SourceContext): string {
  if (/^https?:\/\//i.test(reference))
    throw new AppError('SVD_DATASETS_SOURCE', {
      message: `${reference}: the importer reads local files only; download the file and give it with --source or a local path`,
    });
  const local = reference.startsWith('file://') ? new URL(reference).pathname : reference;
  return path.resolve(context.baseDir, local);
}

async function isZip(file: string): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(file, 'r');
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return bytesRead === 4 && head.readUInt32LE(0) === 0x04034b50;
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}

async function openFile(file: string, name: string, query: QueryMapping): Promise<OpenedSource> {
  const source = query.source;
  if (await isZip(file)) {
    const { openXlsx } = await import('./xlsx.js');
    return openXlsx(file, { sheet: source.kind === 'xlsx' ? source.sheet : undefined, displayName: name });
  }
  if (source.kind === 'xlsx')
    throw new AppError('SVD_DATASETS_SOURCE', { message: `${name}: not an XLSX workbook` });
  return openCsv(file, {
    encoding: source.kind === 'csv' ? source.encoding : undefined,
    delimiter: source.kind === 'csv' ? source.delimiter : undefined,
    displayName: name,
  });
}

/** The sources of a query, each opened only when its turn comes (a CSV query may name several files). */
export function querySources(
  query: QueryMapping,
  context: SourceContext,
): Array<() => Promise<OpenedSource>> {
  const source = query.source;
  if (source.kind === 'sql') {
    return [
      async () => {
        const { openSql } = await import('./sql.js');
        return openSql(source, query);
      },
    ];
  }
  if (context.override) {
    const { path: file, name } = context.override;
    return [() => openFile(file, name, query)];
  }
  const files = source.kind === 'csv' ? source.files : [source.file];
  return files.map((reference) => () => {
    const file = resolveFile(reference, context);
    return openFile(file, path.basename(file), query);
  });
}
