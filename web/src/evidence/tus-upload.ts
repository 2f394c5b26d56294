/**
 * A small tus 1.0 client (creation, PATCH in chunks, HEAD to resume, termination), enough for the vault's
 * resumable upload and nothing more. Each upload's URL is remembered in localStorage under the file's
 * fingerprint, so after a reload or a dropped connection the same file continues where the server has it.
 * XMLHttpRequest rather than fetch because only it reports upload progress within a chunk.
 */
import { ApiError, NETWORK_ERROR_CODE } from '../api/client.js';

const TUS_VERSION = '1.0.0';
const storagePrefix = 'sviedka.tus.';
const retryDelaysMs = [1_000, 3_000, 5_000, 10_000, 20_000];

/** What the server answers when the last byte is in: the new item, or the existing one for the same bytes. */
export interface TusResult {
  itemId: string | null;
  sha256: string | null;
  duplicate: boolean;
  /** Bytes the server already had when this run started (0 for a fresh upload). */
  resumedFrom: number;
  /** The answer was lost and the result read back from the server afterwards. */
  recovered?: boolean;
}

export interface TusFile {
  name: string;
  size: number;
  type: string;
  lastModified: number;
  slice(start: number, end: number): Blob;
}

export interface TusOptions {
  endpoint: string;
  file: TusFile;
  metadata?: Record<string, string>;
  chunkSize?: number;
  /** Extra headers for changing requests (the CSRF token), read at each request. */
  headers?: () => Record<string, string>;
  onProgress?: (sent: number, total: number) => void;
  signal?: AbortSignal;
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  /**
   * Asks the server for the result of a finished upload by its id (the last part of its URL), for when
   * the upload is gone because it finished but its answer never arrived. Null when unknown.
   */
  recover?: (uploadId: string) => Promise<Omit<TusResult, 'resumedFrom'> | null>;
}

/** A remembered, unfinished upload: enough to show it after a reload and to resume it. */
export interface StoredUpload {
  url: string;
  name: string;
  size: number;
  lastModified: number;
  offset: number;
  startedAt: string;
}

/** The key under which an upload of this file is remembered: name, size, type and modification time. */
export function fingerprint(file: Pick<TusFile, 'name' | 'size' | 'type' | 'lastModified'>): string {
  return `${storagePrefix}${file.size}:${file.lastModified}:${file.type}:${file.name}`;
}

/** tus Upload-Metadata: comma-separated `key base64(utf-8 value)` pairs. */
export function encodeMetadata(metadata: Record<string, string>): string {
  return Object.entries(metadata)
    .filter(([, value]) => value !== '')
    .map(([key, value]) => {
      let binary = '';
      for (const byte of new TextEncoder().encode(value)) binary += String.fromCharCode(byte);
      return `${key} ${btoa(binary)}`;
    })
    .join(',');
}

function defaultStorage(): TusOptions['storage'] {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** Unfinished uploads remembered in this browser, newest first. */
export function storedUploads(storage = defaultStorage()): StoredUpload[] {
  if (!storage || !('length' in storage)) return [];
  const all = storage as Storage;
  const out: StoredUpload[] = [];
  for (let index = 0; index < all.length; index += 1) {
    const key = all.key(index);
    if (!key?.startsWith(storagePrefix)) continue;
    try {
      out.push(JSON.parse(all.getItem(key) ?? '') as StoredUpload);
    } catch {
      all.removeItem(key);
    }
  }
  return out.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

/** Forgets a remembered upload (the server drops its partial file after its own expiry). */
export function forgetStoredUpload(url: string, storage = defaultStorage()): void {
  if (!storage || !('length' in storage)) return;
  const all = storage as Storage;
  for (let index = all.length - 1; index >= 0; index -= 1) {
    const key = all.key(index);
    if (!key?.startsWith(storagePrefix)) continue;
    try {
      if ((JSON.parse(all.getItem(key) ?? '') as StoredUpload).url === url) all.removeItem(key);
    } catch {
      all.removeItem(key);
    }
  }
}

interface XhrAnswer {
  status: number;
  header: (name: string) => string | null;
  body: string;
}

function send(
  method: string,
  url: string,
  headers: Record<string, string>,
  body: Blob | null,
  signal: AbortSignal | undefined,
  onUploadProgress?: (loaded: number) => void,
): Promise<XhrAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url, true);
    xhr.withCredentials = true;
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    if (onUploadProgress) xhr.upload.onprogress = (event) => onUploadProgress(event.loaded);
    const onAbort = () => xhr.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    xhr.onload = () => {
      signal?.removeEventListener('abort', onAbort);
      resolve({ status: xhr.status, header: (name) => xhr.getResponseHeader(name), body: xhr.responseText });
    };
    xhr.onerror = () => {
      signal?.removeEventListener('abort', onAbort);
      reject(new ApiError(NETWORK_ERROR_CODE, 'network error during upload', 0));
    };
    xhr.onabort = () => reject(new DOMException('upload paused', 'AbortError'));
    xhr.send(body);
  });
}

/** An error answer of the tus endpoint: JSON from the platform (CSRF, login) or a line of text from tus. */
function answerError(answer: XhrAnswer): ApiError {
  try {
    const parsed = JSON.parse(answer.body) as { error?: { code?: string; message?: string } };
    if (parsed.error?.code) return new ApiError(parsed.error.code, parsed.error.message ?? '', answer.status);
  } catch {
    // Plain text from the tus server.
  }
  const byStatus: Record<number, string> = {
    401: 'SVD_AUTH_REQUIRED',
    404: 'SVD_HTTP_NOT_FOUND',
    413: 'SVD_HTTP_TOO_LARGE',
    415: 'SVD_HTTP_UNSUPPORTED_MEDIA',
  };
  return new ApiError(
    byStatus[answer.status] ?? `SVD_HTTP_${answer.status}`,
    answer.body.trim() || `HTTP ${answer.status}`,
    answer.status,
  );
}

const retryable = (error: unknown) =>
  error instanceof ApiError &&
  (error.status === 0 || error.status >= 500 || error.status === 409 || error.status === 423);

function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new DOMException('upload paused', 'AbortError'));
      },
      { once: true },
    );
  });
}

/**
 * Uploads one file with tus, resuming from a remembered upload URL when the server still has it.
 * Aborting (the signal) pauses: the URL stays remembered and a later call continues.
 */
export async function tusUpload(options: TusOptions): Promise<TusResult> {
  const { endpoint, file, signal } = options;
  const storage = options.storage === undefined ? defaultStorage() : options.storage;
  const chunkSize = options.chunkSize ?? 8 * 1024 * 1024;
  const key = fingerprint(file);
  const base = { 'Tus-Resumable': TUS_VERSION };
  const changing = () => ({ ...base, ...(options.headers?.() ?? {}) });
  const remember = (url: string, offset: number, startedAt: string) => {
    const value: StoredUpload = {
      url,
      name: file.name,
      size: file.size,
      lastModified: file.lastModified,
      offset,
      startedAt,
    };
    try {
      storage?.setItem(key, JSON.stringify(value));
    } catch {
      // Storage full or disabled: the upload still works, it just cannot resume after a reload.
    }
  };

  const head = async (url: string): Promise<number | null> => {
    const answer = await send('HEAD', url, base, null, signal);
    if (answer.status === 404 || answer.status === 410 || answer.status === 403) return null;
    if (answer.status < 200 || answer.status >= 300) throw answerError(answer);
    const offset = Number(answer.header('Upload-Offset'));
    return Number.isFinite(offset) ? offset : null;
  };

  const recovered = async (gone: string, resumedFrom: number): Promise<TusResult | null> => {
    const uploadId = gone.split('/').pop() ?? '';
    const result = uploadId ? await options.recover?.(uploadId).catch(() => null) : null;
    if (!result) return null;
    storage?.removeItem(key);
    options.onProgress?.(file.size, file.size);
    return { ...result, resumedFrom, recovered: true };
  };

  let url: string | null = null;
  let offset = 0;
  let startedAt = new Date().toISOString();
  const previous = storage?.getItem(key);
  if (previous) {
    try {
      const stored = JSON.parse(previous) as StoredUpload;
      const found = await head(stored.url);
      if (found !== null) {
        url = stored.url;
        offset = found;
        startedAt = stored.startedAt;
      } else {
        const done = await recovered(stored.url, stored.offset);
        if (done) return done;
        storage?.removeItem(key);
      }
    } catch (error) {
      if (error instanceof DOMException) throw error;
      storage?.removeItem(key);
    }
  }
  const resumedFrom = offset;

  if (!url) {
    const created = await send(
      'POST',
      endpoint,
      {
        ...changing(),
        'Upload-Length': String(file.size),
        'Upload-Metadata': encodeMetadata({
          filename: file.name,
          filetype: file.type,
          ...(options.metadata ?? {}),
        }),
      },
      null,
      signal,
    );
    const location = created.header('Location');
    if (created.status !== 201 || !location) throw answerError(created);
    url = new URL(location, globalThis.location?.href ?? 'http://localhost').pathname;
    remember(url, 0, startedAt);
  }
  options.onProgress?.(offset, file.size);

  let attempt = 0;
  for (;;) {
    try {
      const end = Math.min(file.size, offset + chunkSize);
      const answer = await send(
        'PATCH',
        url,
        {
          ...changing(),
          'Upload-Offset': String(offset),
          'Content-Type': 'application/offset+octet-stream',
        },
        file.slice(offset, end),
        signal,
        (loaded) => options.onProgress?.(offset + loaded, file.size),
      );
      if (answer.status !== 204) throw answerError(answer);
      offset = Number(answer.header('Upload-Offset') ?? end);
      attempt = 0;
      options.onProgress?.(offset, file.size);
      if (offset >= file.size) {
        storage?.removeItem(key);
        return {
          itemId: answer.header('Upload-Evidence-Id'),
          sha256: answer.header('Upload-Sha256'),
          duplicate: answer.header('Upload-Duplicate') === 'true',
          resumedFrom,
        };
      }
      remember(url, offset, startedAt);
    } catch (error) {
      if (!retryable(error) || attempt >= retryDelaysMs.length) throw error;
      await wait(retryDelaysMs[attempt] ?? 20_000, signal);
      attempt += 1;
      // Where is the server now? It may have stored part of the failed chunk.
      const found = await head(url).catch(() => null);
      if (found === null) {
        const done = await recovered(url, resumedFrom);
        if (done) return done;
        storage?.removeItem(key);
        throw new ApiError('SVD_WEB_UPLOAD_LOST', 'the server no longer has this upload', 404);
      }
      offset = found;
    }
  }
}

/** Cancels an upload for good: forgets it here and asks the server to drop the partial file. */
export async function tusCancel(file: TusFile, headers: Record<string, string> = {}): Promise<void> {
  const storage = defaultStorage();
  const key = fingerprint(file);
  const stored = storage?.getItem(key);
  storage?.removeItem(key);
  if (!stored) return;
  try {
    const { url } = JSON.parse(stored) as StoredUpload;
    await send('DELETE', url, { 'Tus-Resumable': TUS_VERSION, ...headers }, null, undefined);
  } catch {
    // The server forgets unfinished uploads on its own.
  }
}
