/**
 * XLSX workbooks through ExcelJS's streaming reader: one sheet (by name or position, the first by
 * default), rows as they come, the first non-empty row as the header. Dates become ISO dates, formulas
 * their cached results, rich text its plain text. Row references are the sheet's own row numbers, as
 * the analyst sees them in a spreadsheet program.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { AppError } from '../../platform/errors.js';
import { cleanCell } from '../mapper.js';
import { hashingTap, type OpenedSource, type SourceRow } from './source.js';

type Cell = ExcelJS.CellValue;

/** The text of one cell value. */
export function cellText(value: Cell | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19);
  }
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('formula' in value || 'sharedFormula' in value) return cellText((value as { result?: Cell }).result);
    if ('text' in value) return cellText((value as { text: Cell }).text);
    if ('error' in value) return undefined;
    return undefined;
  }
  return String(value);
}

interface SheetReader extends AsyncIterable<{ number: number; values: Cell[] }> {
  id: number;
  name: string;
}

export async function openXlsx(
  file: string,
  options: { sheet?: string | number | undefined; displayName?: string } = {},
): Promise<OpenedSource> {
  const fileName = options.displayName ?? path.basename(file);
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    throw new AppError('SVD_DATASETS_SOURCE', { message: `No such file: ${file}` });
  }
  const tap = hashingTap();
  const input = createReadStream(file, { highWaterMark: 256 * 1024 });
  input.pipe(tap.stream);
  input.on('error', (error) => tap.stream.destroy(error));
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(tap.stream, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  const fail = (error: unknown) =>
    error instanceof AppError
      ? error
      : new AppError('SVD_DATASETS_SOURCE', {
          message: `${fileName}: not a readable XLSX workbook (${error instanceof Error ? error.message : String(error)})`,
          cause: error,
        });
  const sheets = (reader as unknown as AsyncIterable<SheetReader>)[Symbol.asyncIterator]();
  const seen: string[] = [];
  let sheet: SheetReader | undefined;
  try {
    for (;;) {
      const next = await sheets.next();
      if (next.done) break;
      seen.push(next.value.name);
      const wanted = options.sheet;
      if (
        wanted === undefined ||
        (typeof wanted === 'number' && seen.length === wanted) ||
        (typeof wanted === 'string' && next.value.name.trim().toLowerCase() === wanted.trim().toLowerCase())
      ) {
        sheet = next.value;
        break;
      }
      // Skip the sheet's rows (the reader must consume them to reach the next sheet).
      for await (const _row of next.value) {
      }
    }
  } catch (error) {
    input.destroy();
    throw fail(error);
  }
  if (!sheet) {
    input.destroy();
    throw new AppError('SVD_DATASETS_SOURCE', {
      message: `${fileName}: no sheet ${typeof options.sheet === 'number' ? `number ${options.sheet}` : `"${options.sheet}"`} (sheets: ${seen.join(', ') || 'none'})`,
    });
  }
  const name = `${fileName}, sheet ${sheet.name}`;
  const rowsIterator = sheet[Symbol.asyncIterator]();
  let columns: string[] | undefined;
  try {
    for (;;) {
      const next = await rowsIterator.next();
      if (next.done) break;
      const header = next.value.values
        .slice(1)
        .map((value) => cellText(value)?.normalize('NFC').trim() ?? '');
      if (header.some((column) => column !== '')) {
        columns = header;
        break;
      }
    }
  } catch (error) {
    input.destroy();
    throw fail(error);
  }
  if (!columns) {
    input.destroy();
    throw new AppError('SVD_DATASETS_SOURCE', { message: `${name}: the sheet is empty (no header row)` });
  }
  const header = columns;

  async function* rows(): AsyncGenerator<SourceRow> {
    for (;;) {
      let next: IteratorResult<{ number: number; values: Cell[] }>;
      try {
        next = await rowsIterator.next();
      } catch (error) {
        throw fail(error);
      }
      if (next.done) break;
      const { number, values: cells } = next.value;
      const values: Record<string, string | undefined> = Object.create(null);
      let any = false;
      for (let i = 0; i < header.length; i++) {
        const value = cleanCell(cellText(cells[i + 1]));
        if (value !== undefined) any = true;
        values[header[i]!] = value;
      }
      if (!any) continue;
      yield { line: number, ref: `row ${number} of ${sheet!.name}`, values };
    }
    // Drain the rest of the workbook so the hash covers the whole file.
    for (;;) {
      const next = await sheets.next().catch(() => ({ done: true as const, value: undefined }));
      if (next.done) break;
      for await (const _row of next.value) {
      }
    }
  }

  return {
    kind: 'xlsx',
    file,
    name,
    columns: header,
    encoding: null,
    totalBytes: size,
    rows,
    bytesRead: tap.bytes,
    sha256: tap.sha256,
    close: async () => {
      input.destroy();
    },
  };
}
