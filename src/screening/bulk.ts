/**
 * Bulk screening files: streaming readers for JSONL and CSV query files and writers for JSONL and CSV
 * results. Input is read chunk by chunk and split into lines by bytes (a 2 GB file is never held in
 * memory; an over-long line is skipped with an error, not buffered); each line is decoded strictly
 * as UTF-8 so broken bytes become a per-line error instead of silently mangled names.
 */
import { AppError } from '../platform/errors.js';
import type { MatchResult } from './model.js';
import { type QueryError, queryError } from './query.js';

/** Longest input line accepted (bytes). */
export const MAX_LINE_BYTES = 1024 * 1024;

export type BulkFormat = 'jsonl' | 'csv';

/** One input record: its id, the yente query built from it (or the reason there is none). */
export interface BulkRecord {
  line: number;
  id: string;
  query: unknown;
  error: QueryError | null;
  /** CSV columns beyond the known ones, kept for the output. */
  extra: Record<string, string>;
}

interface RawLine {
  number: number;
  text: string | null;
  error: QueryError | null;
}

/** Splits a byte stream into lines (LF or CRLF), decoding each strictly; long lines are reported. */
export async function* readLines(
  source: AsyncIterable<Buffer | Uint8Array | string>,
): AsyncGenerator<RawLine> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overflow = false;
  let number = 0;
  let first = true;
  const finish = (bytes: Buffer): RawLine => {
    number++;
    if (overflow) return { number, text: null, error: queryError('SVD_SCREENING_LINE_TOO_LONG') };
    let line = bytes;
    if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
    if (first) {
      first = false;
      if (line[0] === 0xef && line[1] === 0xbb && line[2] === 0xbf) line = line.subarray(3);
    }
    try {
      return { number, text: decoder.decode(line), error: null };
    } catch {
      return { number, text: null, error: queryError('SVD_SCREENING_BAD_UTF8') };
    }
  };
  for await (const chunk of source) {
    let buffer =
      typeof chunk === 'string'
        ? Buffer.from(chunk)
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (;;) {
      const at = buffer.indexOf(0x0a);
      if (at < 0) {
        if (!overflow) {
          if (pendingBytes + buffer.length > MAX_LINE_BYTES) {
            overflow = true;
            pending = [];
            pendingBytes = 0;
          } else if (buffer.length > 0) {
            pending.push(Buffer.from(buffer));
            pendingBytes += buffer.length;
          }
        }
        break;
      }
      const head = buffer.subarray(0, at);
      if (!overflow && pendingBytes + head.length > MAX_LINE_BYTES) overflow = true;
      const line = overflow ? Buffer.alloc(0) : pending.length > 0 ? Buffer.concat([...pending, head]) : head;
      yield finish(line);
      pending = [];
      pendingBytes = 0;
      overflow = false;
      buffer = buffer.subarray(at + 1);
    }
  }
  if (overflow || pendingBytes > 0) yield finish(Buffer.concat(pending));
}

/** JSONL queries: one yente query object a line, with an "id". Blank lines are skipped. */
export async function* readJsonl(
  source: AsyncIterable<Buffer | Uint8Array | string>,
): AsyncGenerator<BulkRecord> {
  for await (const raw of readLines(source)) {
    const fallbackId = `line-${raw.number}`;
    if (raw.error) {
      yield { line: raw.number, id: fallbackId, query: null, error: raw.error, extra: {} };
      continue;
    }
    const text = raw.text!;
    if (text.trim().length === 0) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      yield {
        line: raw.number,
        id: fallbackId,
        query: null,
        error: queryError('SVD_SCREENING_BAD_JSON'),
        extra: {},
      };
      continue;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      yield {
        line: raw.number,
        id: fallbackId,
        query: null,
        error: queryError(
          'SVD_SCREENING_BAD_QUERY',
          'The line must be a JSON object with "id" and "properties".',
        ),
        extra: {},
      };
      continue;
    }
    const object = value as { id?: unknown; schema?: unknown; properties?: unknown };
    const id =
      typeof object.id === 'string' || typeof object.id === 'number'
        ? String(object.id).slice(0, 200)
        : fallbackId;
    yield {
      line: raw.number,
      id,
      query: { schema: object.schema ?? 'Person', properties: object.properties },
      error: null,
      extra: {},
    };
  }
}

/** Parses one CSV record (RFC 4180 quoting); returns null when a quoted field is still open. */
export function parseCsvRecord(text: string): string[] | null {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field.length === 0) {
      quoted = true;
      i++;
      continue;
    }
    if (ch === ',') {
      fields.push(field);
      field = '';
      i++;
      continue;
    }
    field += ch;
    i++;
  }
  if (quoted) return null;
  fields.push(field);
  return fields;
}

export const CSV_COLUMNS = ['id', 'name', 'birth_date', 'gender', 'nationality'] as const;
const REQUIRED_CSV = ['id', 'name'] as const;

/**
 * CSV queries with a header naming at least `id` and `name` (also `birth_date`, `gender`,
 * `nationality`; several values in one cell are separated by `;`). Other columns are kept.
 * A header without the required columns fails the whole file with one clear error.
 */
export async function* readCsv(
  source: AsyncIterable<Buffer | Uint8Array | string>,
): AsyncGenerator<BulkRecord> {
  let header: string[] | null = null;
  let carry: { number: number; text: string } | null = null;
  for await (const raw of readLines(source)) {
    if (raw.error) {
      carry = null;
      if (!header)
        throw new AppError('SVD_SCREENING_CSV_COLUMNS', {
          message: `The CSV header cannot be read: ${raw.error.message}`,
        });
      yield { line: raw.number, id: `line-${raw.number}`, query: null, error: raw.error, extra: {} };
      continue;
    }
    let text = raw.text!;
    let lineNumber = raw.number;
    if (carry) {
      text = `${carry.text}\n${text}`;
      lineNumber = carry.number;
      carry = null;
    }
    if (!header && text.trim().length === 0) continue;
    const fields = parseCsvRecord(text);
    if (!fields) {
      if (text.length > MAX_LINE_BYTES) {
        yield {
          line: lineNumber,
          id: `line-${lineNumber}`,
          query: null,
          error: queryError('SVD_SCREENING_CSV_ROW', 'A quoted field is never closed.'),
          extra: {},
        };
      } else carry = { number: lineNumber, text };
      continue;
    }
    if (!header) {
      header = fields.map((f) => f.trim().toLowerCase());
      const missing = REQUIRED_CSV.filter((c) => !header!.includes(c));
      if (missing.length > 0) {
        throw new AppError('SVD_SCREENING_CSV_COLUMNS', {
          message: `The CSV header lacks required column(s): ${missing.join(', ')} (found: ${header.join(', ').slice(0, 200)}).`,
        });
      }
      continue;
    }
    if (fields.length === 1 && fields[0]!.trim() === '') continue;
    const row: Record<string, string> = {};
    header.forEach((column, k) => {
      row[column] = fields[k] ?? '';
    });
    const id = (row.id ?? '').trim().slice(0, 200) || `line-${lineNumber}`;
    const extra: Record<string, string> = {};
    for (const column of header)
      if (!(CSV_COLUMNS as readonly string[]).includes(column)) extra[column] = row[column] ?? '';
    if (fields.length > header.length) {
      yield {
        line: lineNumber,
        id,
        query: null,
        error: queryError(
          'SVD_SCREENING_CSV_ROW',
          `The row has ${fields.length} fields; the header has ${header.length}.`,
        ),
        extra,
      };
      continue;
    }
    const split = (value: string | undefined) =>
      (value ?? '')
        .split(';')
        .map((v) => v.trim())
        .filter(Boolean);
    const properties: Record<string, string[]> = { name: [row.name ?? ''] };
    const birthDate = split(row.birth_date);
    if (birthDate.length > 0) properties.birthDate = birthDate;
    const gender = split(row.gender);
    if (gender.length > 0) properties.gender = gender;
    const nationality = split(row.nationality);
    if (nationality.length > 0) properties.nationality = nationality;
    yield { line: lineNumber, id, query: { schema: 'Person', properties }, error: null, extra };
  }
  if (carry) {
    yield {
      line: carry.number,
      id: `line-${carry.number}`,
      query: null,
      error: queryError('SVD_SCREENING_CSV_ROW', 'A quoted field is never closed.'),
      extra: {},
    };
  }
  if (!header)
    throw new AppError('SVD_SCREENING_CSV_COLUMNS', {
      message: 'The CSV file is empty: it needs a header with id and name.',
    });
}

/** Reader for a format. */
export function readQueries(
  format: BulkFormat,
  source: AsyncIterable<Buffer | Uint8Array | string>,
): AsyncGenerator<BulkRecord> {
  return format === 'csv' ? readCsv(source) : readJsonl(source);
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) || /^[=+\-@\t]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Output writer: turns screened records into text chunks. */
export interface BulkWriter {
  header(): string;
  write(record: BulkRecord, results: MatchResult[]): string;
}

/** JSONL output: `{"id", "results": [...]}` per query, `"error"` when the line failed. */
export function jsonlWriter(): BulkWriter {
  return {
    header: () => '',
    write: (record, results) =>
      `${JSON.stringify({
        id: record.id,
        results,
        ...(record.error
          ? { error: { code: record.error.code, message: record.error.message, line: record.line } }
          : {}),
      })}\n`,
  };
}

/**
 * CSV output: one row per (query, result); a query without results or with an error still gets one
 * row, so every input id appears. Extra input columns come after the query id.
 */
export function csvWriter(): BulkWriter {
  let columns: string[] = [];
  let started = false;
  const fixed = [
    'rank',
    'result_id',
    'caption',
    'score',
    'match',
    'datasets',
    'matched_name',
    'rules',
    'error_code',
    'error_message',
  ];
  return {
    header: () => '',
    write: (record, results) => {
      let out = '';
      if (!started) {
        started = true;
        columns = Object.keys(record.extra);
        out += `${['query_id', ...columns, ...fixed].map(csvField).join(',')}\n`;
      }
      const base = [record.id, ...columns.map((c) => record.extra[c] ?? '')];
      if (record.error || results.length === 0) {
        out += `${[...base, '', '', '', '', '', '', '', '', record.error?.code ?? '', record.error?.message ?? ''].map(csvField).join(',')}\n`;
        return out;
      }
      results.forEach((r, k) => {
        const explanation = r.explanations[0];
        const rules =
          explanation?.tokens.map((t) => `${t.query}=${t.matched ?? '-'}:${t.rule}`).join('; ') ?? '';
        out += `${[
          ...base,
          String(k + 1),
          r.id,
          r.caption,
          r.score.toFixed(3),
          r.match ? 'true' : 'false',
          r.datasets.join(';'),
          explanation?.matchedName ?? '',
          rules,
          '',
          '',
        ]
          .map(csvField)
          .join(',')}\n`;
      });
      return out;
    },
  };
}
