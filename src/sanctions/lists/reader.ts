/** What every list reader shares: the context it reports into and the XML plumbing of one file. */
import { AppError } from '../../platform/errors.js';
import type { Authority, ListFormat, OfficialEntry } from './entry.js';
import { type EncodingRule, type FileDigest, readText, type SourceFile } from './read-text.js';
import { emptyHeader, type XmlHeader, type XmlNode, xmlRecords } from './xml-records.js';
import '../errors.js'; // registers the SVD_SANCTIONS_* codes

export interface ReadContext {
  /** Name, size and SHA-256 of each file, filled in as each is read to the end. */
  digests: FileDigest[];
  /** The date the publisher generated the file, when it says. */
  generated?: string | undefined;
  /** Designations left out, by reason (e.g. vessels: the registry has no schema for them). */
  skipped: Map<string, number>;
  /** Total bytes read so far across files (progress). */
  onBytes?: ((bytes: number) => void) | undefined;
}

export interface ListReader {
  format: ListFormat;
  authority: Authority;
  /** The list's name, the default title of a new dataset. */
  title: string;
  read(files: SourceFile[], context: ReadContext): AsyncGenerator<OfficialEntry>;
}

export function newReadContext(onBytes?: (bytes: number) => void): ReadContext {
  return { digests: [], skipped: new Map(), onBytes };
}

export function skip(context: ReadContext, reason: string): void {
  context.skipped.set(reason, (context.skipped.get(reason) ?? 0) + 1);
}

/** Refuses anything but exactly one file (the XML formats). */
export function singleFile(files: SourceFile[], label: string): SourceFile {
  if (files.length !== 1)
    throw new AppError('SVD_SANCTIONS_LIST_FILES', {
      message: `A ${label} import takes one file; ${files.length} were given.`,
    });
  return files[0]!;
}

/** Counts bytes across the files of one import for progress. */
export function byteCounter(context: ReadContext) {
  let before = 0;
  return {
    forFile() {
      const base = before;
      return (bytes: number) => {
        context.onBytes?.(base + bytes);
        before = Math.max(before, base + bytes);
      };
    },
  };
}

/** The record elements of one XML file, the header filled once the file has been read. */
export async function* xmlFileRecords(
  file: SourceFile,
  context: ReadContext,
  options: { records: string[]; roots: string[]; formatLabel: string; encoding?: EncodingRule },
  header: XmlHeader = emptyHeader(),
): AsyncGenerator<XmlNode> {
  const counter = byteCounter(context);
  const text = readText(file, options.encoding ?? 'xml', (d) => context.digests.push(d), counter.forFile());
  yield* xmlRecords(text, {
    file: file.name,
    records: new Set(options.records),
    roots: options.roots,
    formatLabel: options.formatLabel,
    header,
  });
}
