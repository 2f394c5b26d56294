/**
 * CSV and TSV files: encoding detected from the first 64 KB (or given), delimiter detected from the
 * header line (or given), quoted multi-line cells, streamed through a strict decoder so a byte that is
 * not in the encoding stops the import with the line where it was found. A record larger than 1 MB
 * (typically an unclosed quote swallowing the rest of a huge file) is an error, not a memory blow-up.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { AppError } from '../../platform/errors.js';
import { cleanCell } from '../mapper.js';
import { detectDelimiter, detectEncoding, type Encoding } from './encoding.js';
import { hashingTap, type OpenedSource, type SourceRow } from './source.js';

const SAMPLE_BYTES = 64 * 1024;
export const MAX_RECORD_CHARS = 1024 * 1024;

/** Decodes bytes strictly, counting lines so an undecodable byte can be reported by line. */
function strictDecoder(encoding: Encoding, fileName: string, declared: boolean) {
  const decoder = new TextDecoder(encoding, { fatal: true });
  let lines = 1;
  const count = (text: string) => {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  };
  const fail = (cause: unknown) =>
    new AppError('SVD_DATASETS_ENCODING', {
      message: `${fileName}: line ${lines} is not valid ${encoding}${declared ? ' (the encoding the mapping names)' : ' (detected from the start of the file)'}; set "encoding" in the mapping to the file's real encoding (utf-8, windows-1251, koi8-r or cp866)`,
      details: { file: fileName, line: lines, encoding },
      cause,
    });
  return new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _enc, callback) {
      try {
        const text = decoder.decode(chunk, { stream: true });
        count(text);
        callback(null, text);
      } catch (error) {
        // Count the lines of this chunk up to the first byte that does not decode.
        const lenient = new TextDecoder(encoding).decode(chunk);
        const bad = lenient.indexOf('\uFFFD');
        count(bad === -1 ? lenient : lenient.slice(0, bad));
        callback(fail(error));
      }
    },
    flush(callback) {
      try {
        const text = decoder.decode();
        callback(null, text);
      } catch (error) {
        callback(fail(error));
      }
    },
  });
}

export async function openCsv(
  file: string,
  options: { encoding?: string | undefined; delimiter?: string | undefined; displayName?: string } = {},
): Promise<OpenedSource> {
  const name = options.displayName ?? path.basename(file);
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error('not a file');
    size = info.size;
  } catch {
    throw new AppError('SVD_DATASETS_SOURCE', { message: `No such file: ${file}`, details: { file: name } });
  }
  const handle = await open(file, 'r');
  const sample = Buffer.alloc(Math.min(SAMPLE_BYTES, size));
  try {
    await handle.read(sample, 0, sample.length, 0);
  } finally {
    await handle.close();
  }
  const encoding = (options.encoding as Encoding | undefined) ?? detectEncoding(sample, size <= SAMPLE_BYTES);
  const delimiter = options.delimiter ?? detectDelimiter(new TextDecoder(encoding).decode(sample), file);

  const tap = hashingTap();
  const parser = parse({
    delimiter,
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_CHARS,
  });
  const input = createReadStream(file, { highWaterMark: 256 * 1024 });
  const flowing = pipeline(
    input,
    tap.stream,
    strictDecoder(encoding, name, options.encoding !== undefined),
    parser,
  );
  // Errors surface through the parser's iteration; this only keeps the promise from going unhandled.
  flowing.catch(() => undefined);
  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<{
    record: string[];
    info: { lines: number };
  }>;

  const translate = (error: unknown): unknown => {
    if (error instanceof AppError) return error;
    const csv = error as { code?: string; lines?: number; message?: string };
    if (csv.code === 'CSV_MAX_RECORD_SIZE')
      return new AppError('SVD_DATASETS_SOURCE', {
        message: `${name}: the record starting before line ${csv.lines ?? '?'} is longer than 1 MB; is a quote left open?`,
        details: { file: name, line: csv.lines },
      });
    if (csv.code === 'CSV_QUOTE_NOT_CLOSED')
      return new AppError('SVD_DATASETS_SOURCE', {
        message: `${name}: a quoted cell opened before line ${csv.lines ?? '?'} is never closed`,
        details: { file: name, line: csv.lines },
      });
    if (csv.code?.startsWith('CSV_'))
      return new AppError('SVD_DATASETS_SOURCE', {
        message: `${name}: line ${csv.lines ?? '?'}: ${csv.message ?? csv.code}`,
        details: { file: name, line: csv.lines },
      });
    return new AppError('SVD_DATASETS_SOURCE', {
      message: `${name}: ${error instanceof Error ? error.message : String(error)}`,
      cause: error,
    });
  };

  let first: IteratorResult<{ record: string[]; info: { lines: number } }>;
  try {
    first = await iterator.next();
  } catch (error) {
    input.destroy();
    throw translate(error);
  }
  if (first.done) {
    throw new AppError('SVD_DATASETS_SOURCE', { message: `${name}: the file is empty (no header line)` });
  }
  const columns = first.value.record.map((column) => column.normalize('NFC').trim());

  async function* rows(): AsyncGenerator<SourceRow> {
    for (;;) {
      let next: IteratorResult<{ record: string[]; info: { lines: number } }>;
      try {
        next = await iterator.next();
      } catch (error) {
        throw translate(error);
      }
      if (next.done) return;
      const { record, info } = next.value;
      let newlines = 0;
      for (const cell of record)
        for (let i = cell.indexOf('\n'); i !== -1; i = cell.indexOf('\n', i + 1)) newlines++;
      const line = info.lines - newlines;
      const ref = `line ${line}`;
      if (record.length !== columns.length) {
        yield {
          line,
          ref,
          values: {},
          problem: {
            code: 'SVD_DATASETS_RAGGED_ROW',
            reason: `${record.length} fields where the header has ${columns.length}`,
          },
        };
        continue;
      }
      const values: Record<string, string | undefined> = Object.create(null);
      for (let i = 0; i < columns.length; i++) values[columns[i]!] = cleanCell(record[i]);
      yield { line, ref, values };
    }
  }

  return {
    kind: 'csv',
    file,
    name,
    columns,
    encoding,
    totalBytes: size,
    rows,
    bytesRead: tap.bytes,
    sha256: tap.sha256,
    close: async () => {
      input.destroy();
      parser.destroy();
    },
  };
}
