/** Rows of a CSV text stream (csv-parse), with the line each starts on; errors name file and line. */
import { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { AppError } from '../../platform/errors.js';
import '../errors.js'; // registers the SVD_SANCTIONS_* codes

export interface CsvRow {
  line: number;
  fields: string[];
}

/** The rows of a CSV file. Throws SVD_SANCTIONS_LIST_PARSE naming the file and line of a broken row. */
export async function* csvRows(text: AsyncIterable<string>, file: string): AsyncGenerator<CsvRow> {
  const parser = Readable.from(text).pipe(
    parse({
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      max_record_size: 8_000_000,
      info: true,
    }),
  );
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { line: item.info.lines, fields: item.record };
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const line = error instanceof CsvError ? (error as CsvError & { lines?: number }).lines : undefined;
    throw new AppError('SVD_SANCTIONS_LIST_PARSE', {
      message: `${file}${line ? `:${line}` : ''}: not a readable CSV file (${message.replace(/\.$/, '')}).`,
    });
  } finally {
    parser.destroy();
  }
}
