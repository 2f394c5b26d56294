import { open, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { MediaKind, ToolFailure } from './types.js';
import { failure } from './types.js';

/** What a file is, judged from its bytes. */
export interface DetectedType {
  ok: true;
  /** MIME type from magic bytes, `text/plain` for UTF-8 text, else `application/octet-stream`. */
  mediaType: string;
  /** Canonical extension for the detected type, without the dot. */
  extension: string;
  kind: MediaKind;
  /** The extension in the given name, lower-cased, without the dot ('' when there is none). */
  nameExtension: string;
  /** True when the name claims an extension that does not fit the content (e.g. an ELF named .jpg). */
  nameMismatch: boolean;
  size: number;
  /** Structural doubts found cheaply, e.g. a JPEG with no end-of-image marker (likely truncated). */
  warnings: string[];
}

const DOCUMENT_TYPES = new Set([
  'application/pdf',
  'application/rtf',
  'application/epub+zip',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
  'application/x-cfb',
  'text/plain',
]);

const ARCHIVE_TYPES = new Set([
  'application/zip',
  'application/x-tar',
  'application/gzip',
  'application/x-gzip',
  'application/x-bzip2',
  'application/x-xz',
  'application/zstd',
  'application/x-7z-compressed',
  'application/x-rar-compressed',
  'application/vnd.rar',
  'application/x-cpio',
  'application/x-iso9660-image',
  'application/x-lzip',
  'application/x-compress',
]);

/** Names that mean the same content; the first of each group is what file-type reports. */
const EXTENSION_ALIASES: Record<string, readonly string[]> = {
  jpg: ['jpg', 'jpeg', 'jpe', 'jfif'],
  tif: ['tif', 'tiff'],
  heic: ['heic', 'heif', 'hif'],
  mp4: ['mp4', 'm4v'],
  mov: ['mov', 'qt'],
  mpg: ['mpg', 'mpeg', 'mpe'],
  mkv: ['mkv', 'webm'],
  webm: ['webm', 'mkv'],
  m4a: ['m4a', 'mp4', 'aac'],
  ogg: ['ogg', 'oga', 'opus'],
  opus: ['opus', 'ogg'],
  txt: ['txt', 'text', 'csv', 'md', 'log', 'json', 'xml', 'html', 'htm'],
  xml: ['xml', 'svg', 'kml', 'gpx'],
  zip: ['zip', 'jar', 'apk'],
  gz: ['gz', 'tgz'],
  cr2: ['cr2', 'tif', 'tiff'],
  nef: ['nef', 'tif', 'tiff'],
  dng: ['dng', 'tif', 'tiff'],
};

/** Maps a MIME type to the coarse kind the vault routes processing by. */
export function kindOf(mediaType: string): MediaKind {
  if (mediaType.startsWith('image/')) return 'image';
  if (mediaType.startsWith('video/')) return 'video';
  if (mediaType.startsWith('audio/')) return 'audio';
  if (ARCHIVE_TYPES.has(mediaType)) return 'archive';
  if (
    DOCUMENT_TYPES.has(mediaType) ||
    mediaType.startsWith('application/vnd.openxmlformats-officedocument.') ||
    mediaType.startsWith('application/vnd.oasis.opendocument.')
  ) {
    return 'document';
  }
  return 'other';
}

function extensionsFit(detected: string, claimed: string): boolean {
  if (detected === claimed) return true;
  return (EXTENSION_ALIASES[detected] ?? []).includes(claimed);
}

/** Reads up to `length` bytes at `position` (negative counts from the end). */
async function readSlice(path: string, position: number, length: number, size: number): Promise<Buffer> {
  const start = position < 0 ? Math.max(0, size + position) : position;
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(length, size - start));
    const { bytesRead } = await fh.read(buf, 0, buf.length, start);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Whether bytes read as UTF-8 text; `cut`: the sample may end inside a character. */
export function looksLikeUtf8Text(buf: Buffer, cut: boolean): boolean {
  if (buf.length === 0 || buf.includes(0)) return false;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // A sample cut from a longer file may end inside a multi-byte character: allow up to 3 bytes off.
  for (let drop = 0; drop <= (cut ? 3 : 0); drop++) {
    try {
      decoder.decode(buf.subarray(0, buf.length - drop));
      return true;
    } catch {
      // try a shorter sample
    }
  }
  return false;
}

async function structuralWarnings(path: string, extension: string, size: number): Promise<string[]> {
  const tail = await readSlice(path, -4096, 4096, size);
  if (extension === 'jpg') {
    // Cameras may pad after EOI (zeros) or append trailers; look for the marker anywhere in the tail.
    if (tail.indexOf(Buffer.from([0xff, 0xd9])) < 0) {
      return ['JPEG has no end-of-image marker in its last 4 KiB (likely truncated)'];
    }
  } else if (extension === 'png') {
    if (tail.indexOf(Buffer.from('IEND', 'latin1')) < 0) {
      return ['PNG has no IEND chunk in its last 4 KiB (likely truncated)'];
    }
  }
  return [];
}

/**
 * Detects a file's type from its content (magic bytes via file-type), never from its name. `name` is
 * the name the file arrived with (defaults to the path's base name); a claimed extension that does not
 * fit the content is reported as `nameMismatch`. Empty or unreadable files give a typed failure.
 */
export async function detectType(path: string, name?: string): Promise<DetectedType | ToolFailure> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) return failure('file-type', 'io', `${path} is not a regular file`);
    size = s.size;
  } catch (err) {
    return failure('file-type', 'io', `cannot read ${path}: ${(err as Error).message}`);
  }
  if (size === 0) return failure('file-type', 'empty', 'the file has no bytes');

  // file-type loads with the first file to detect, not with every process that opens the vault.
  const { fileTypeFromFile, supportedExtensions } = await import('file-type');
  let mediaType: string;
  let extension: string;
  try {
    const found = await fileTypeFromFile(path);
    if (found) {
      mediaType = found.mime;
      extension = found.ext;
    } else if (looksLikeUtf8Text(await readSlice(path, 0, 8192, size), size > 8192)) {
      mediaType = 'text/plain';
      extension = 'txt';
    } else {
      mediaType = 'application/octet-stream';
      extension = 'bin';
    }
  } catch (err) {
    return failure('file-type', 'io', `cannot read ${path}: ${(err as Error).message}`);
  }

  const nameExtension = extname(name ?? basename(path))
    .slice(1)
    .toLowerCase();
  // Content without a signature (text, unknown bytes) contradicts only a name whose type has one.
  const recognisable = extension !== 'txt' && extension !== 'bin';
  const nameMismatch =
    nameExtension !== '' &&
    !extensionsFit(extension, nameExtension) &&
    (recognisable || (supportedExtensions as ReadonlySet<string>).has(nameExtension));
  const warnings = await structuralWarnings(path, extension, size).catch(() => []);
  return {
    ok: true,
    mediaType,
    extension,
    kind: kindOf(mediaType),
    nameExtension,
    nameMismatch,
    size,
    warnings,
  };
}
