/**
 * Bytes of a list file to text, streamed: the encoding is taken from a byte-order mark or the XML
 * declaration (XML), or known per format (CSV); bytes that are not valid in it stop the import with
 * the file name and the byte offset instead of turning into replacement characters. The SHA-256 and
 * size of the file are computed in the same pass, for the import's provenance.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../../platform/errors.js';
import '../errors.js'; // registers the SVD_SANCTIONS_* codes

/** A file to import: its name (for messages and provenance) and a way to read its bytes. */
export interface SourceFile {
  name: string;
  open(): AsyncIterable<Uint8Array>;
}

/** What was read of a file, known once it has been read to the end. */
export interface FileDigest {
  name: string;
  bytes: number;
  sha256: string;
}

export type EncodingRule =
  /** XML: byte-order mark, else the declaration's `encoding`, else UTF-8. */
  | 'xml'
  /** UTF-8 only (a byte-order mark is skipped). */
  | 'utf-8'
  /** UTF-8 when the file starts with a mark or its first 64 KB are valid UTF-8 with non-ASCII; else Latin-1. */
  | 'utf-8-or-latin-1';

const SNIFF_BYTES = 64 * 1024;

function labelOf(declared: string): string | undefined {
  const name = declared.trim().toLowerCase();
  if (name === 'utf-8' || name === 'utf8') return 'utf-8';
  if (['iso-8859-1', 'latin1', 'latin-1', 'windows-1252', 'cp1252', 'us-ascii', 'ascii'].includes(name))
    return 'windows-1252';
  if (name === 'utf-16' || name === 'utf-16le') return 'utf-16le';
  if (name === 'utf-16be') return 'utf-16be';
  return undefined;
}

function validUtf8(bytes: Uint8Array): boolean {
  // A multi-byte character may be cut at the end of the sample: look only up to its start.
  let end = bytes.length;
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const byte = bytes[end - back]!;
    if ((byte & 0xc0) === 0xc0) {
      end -= back;
      break;
    }
    if ((byte & 0x80) === 0) break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

function chooseEncoding(file: string, head: Uint8Array, rule: EncodingRule): { label: string; skip: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { label: 'utf-8', skip: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) {
    if (rule !== 'xml')
      throw new AppError('SVD_SANCTIONS_LIST_ENCODING', {
        message: `${file}: the file is UTF-16; this list is published in UTF-8.`,
      });
    return { label: 'utf-16le', skip: 2 };
  }
  if (head[0] === 0xfe && head[1] === 0xff) {
    if (rule !== 'xml')
      throw new AppError('SVD_SANCTIONS_LIST_ENCODING', {
        message: `${file}: the file is UTF-16; this list is published in UTF-8.`,
      });
    return { label: 'utf-16be', skip: 2 };
  }
  if (rule === 'utf-8') return { label: 'utf-8', skip: 0 };
  if (rule === 'utf-8-or-latin-1') {
    const sample = head.subarray(0, SNIFF_BYTES);
    const ascii = sample.every((byte) => byte < 0x80);
    return { label: !ascii && validUtf8(sample) ? 'utf-8' : 'windows-1252', skip: 0 };
  }
  const prolog = new TextDecoder('windows-1252').decode(head.subarray(0, 200));
  const declared = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(prolog)?.[1];
  if (!declared) return { label: 'utf-8', skip: 0 };
  const label = labelOf(declared);
  if (!label || label.startsWith('utf-16'))
    throw new AppError('SVD_SANCTIONS_LIST_ENCODING', {
      message: `${file}: the file declares the encoding "${declared}", which is not one of UTF-8 or ISO-8859-1.`,
    });
  return { label, skip: 0 };
}

/**
 * The text of a file in chunks. `digest` is filled in when the last chunk has been read.
 * Throws SVD_SANCTIONS_LIST_ENCODING on bytes the encoding does not allow.
 */
export async function* readText(
  file: SourceFile,
  rule: EncodingRule,
  digest: (value: FileDigest) => void,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<string> {
  const hash = createHash('sha256');
  let bytes = 0;
  let decoder: InstanceType<typeof TextDecoder> | undefined;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const decode = (chunk: Uint8Array, final: boolean): string => {
    try {
      return decoder!.decode(chunk, { stream: !final });
    } catch {
      throw new AppError('SVD_SANCTIONS_LIST_ENCODING', {
        message: `${file.name}: bytes ${Math.max(0, bytes - chunk.length)}–${bytes} are not valid ${decoder!.encoding === 'utf-8' ? 'UTF-8' : decoder!.encoding}; is the file in another encoding than it declares?`,
      });
    }
  };
  const start = (): string => {
    const head = Buffer.concat(pending);
    pending = [];
    const { label, skip } = chooseEncoding(file.name, head, rule);
    decoder = new TextDecoder(label, { fatal: true, ignoreBOM: true });
    return decode(head.subarray(skip), false);
  };
  for await (const raw of file.open()) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    hash.update(chunk);
    bytes += chunk.length;
    onBytes?.(bytes);
    if (!decoder) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes < SNIFF_BYTES) continue;
      const text = start();
      if (text) yield text;
      continue;
    }
    const text = decode(chunk, false);
    if (text) yield text;
  }
  if (!decoder) {
    const text = start();
    if (text) yield text;
  }
  const tail = decode(new Uint8Array(0), true);
  if (tail) yield tail;
  digest({ name: file.name, bytes, sha256: hash.digest('hex') });
}
