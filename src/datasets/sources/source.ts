/**
 * What every source (CSV, XLSX sheet, SQL query) gives the importer: its columns, then its rows one at
 * a time (never the whole source in memory), the bytes read for progress, and at the end the SHA-256 of
 * the file as read (computed in the same pass).
 */
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import type { RowProblem, SourceRecord } from '../mapper.js';
// The area's error codes, which every source may throw.
import '../model.js';

/** A row, or a row that could not be read as one (a ragged CSV line). */
export type SourceRow = SourceRecord & { problem?: RowProblem };

export interface OpenedSource {
  kind: 'csv' | 'xlsx' | 'sql';
  /** How the source is named in rejects and provenance: a file name, "file.xlsx, sheet X", a database label. */
  name: string;
  columns: string[];
  /** The file read (null for databases). */
  file: string | null;
  encoding: string | null;
  totalBytes: number | null;
  rows(): AsyncIterable<SourceRow>;
  bytesRead(): number;
  /** The SHA-256 of the file, once every row was read (null for databases or an unfinished read). */
  sha256(): string | null;
  close(): Promise<void>;
}

/** A pass-through stream that hashes and counts what flows through it. */
export function hashingTap() {
  const hash = createHash('sha256');
  let bytes = 0;
  let done = false;
  let digest: string | null = null;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
    flush(callback) {
      done = true;
      digest = hash.digest('hex');
      callback();
    },
  });
  return {
    stream,
    bytes: () => bytes,
    sha256: () => (done ? digest : null),
  };
}
