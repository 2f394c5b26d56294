/**
 * Errors of the resumable upload endpoints in the API's coded shape. The tus library answers some
 * refusals itself in plain text (a missing Tus-Resumable header, invalid headers, an offset conflict);
 * `codeTusAnswers` turns every error answer into the JSON envelope `{ error: { code, message } }`.
 */
import type { ServerResponse } from 'node:http';
import { AppError, defineErrors, type ErrorCode, isAppError } from '../../platform/errors.js';

export const tusErrors = defineErrors({
  SVD_EVIDENCE_UPLOAD_PROTOCOL: {
    status: 412,
    message: 'This address speaks the tus 1.0.0 upload protocol: send Tus-Resumable: 1.0.0.',
  },
  SVD_EVIDENCE_UPLOAD_HEADERS: {
    status: 403,
    message: 'A PATCH needs Upload-Offset and Content-Type: application/offset+octet-stream.',
  },
  SVD_EVIDENCE_UPLOAD_OFFSET: {
    status: 409,
    message: 'The offset does not match the upload: ask for it with HEAD and continue from there.',
  },
  SVD_EVIDENCE_UPLOAD_GONE: { status: 410, message: 'This upload has expired or was removed.' },
  SVD_EVIDENCE_UPLOAD_UNSUPPORTED: { status: 501, message: 'This upload feature is not supported.' },
});

/** The encrypted store of partial uploads (tus-encrypted-store.ts); here so the catalogue loads no tus code. */
export const tusStoreErrors = defineErrors({
  SVD_EVIDENCE_UPLOAD_KEY: {
    status: 500,
    message: 'A partial upload cannot be decrypted with the configured keys.',
  },
  SVD_EVIDENCE_UPLOAD_DAMAGED: {
    status: 500,
    message: 'A partial upload is damaged: its stored bytes do not decrypt.',
  },
});

/** The catalogue code for a status the tus library answered with. */
function codeForStatus(status: number): ErrorCode {
  const known: Record<number, ErrorCode> = {
    400: 'SVD_HTTP_BAD_REQUEST',
    401: 'SVD_AUTH_REQUIRED',
    403: 'SVD_EVIDENCE_UPLOAD_HEADERS',
    404: 'SVD_HTTP_NOT_FOUND',
    405: 'SVD_HTTP_METHOD',
    409: 'SVD_EVIDENCE_UPLOAD_OFFSET',
    410: 'SVD_EVIDENCE_UPLOAD_GONE',
    412: 'SVD_EVIDENCE_UPLOAD_PROTOCOL',
    413: 'SVD_BLOB_TOO_LARGE',
    415: 'SVD_HTTP_UNSUPPORTED_MEDIA',
    429: 'SVD_HTTP_RATE_LIMITED',
    501: 'SVD_EVIDENCE_UPLOAD_UNSUPPORTED',
  };
  return known[status] ?? (status < 500 ? 'SVD_HTTP_BAD_REQUEST' : 'SVD_HTTP_INTERNAL');
}

function envelope(error: AppError): string {
  return JSON.stringify({ error: { code: error.code, message: error.message } });
}

/** A coded error as the tus server sends it: the API's JSON error body with the HTTP status. */
export function tusErrorResponse(error: unknown): { status_code: number; body: string } | undefined {
  const status = (error as { status_code?: number })?.status_code;
  const coded = isAppError(error) ? error : status ? new AppError(codeForStatus(status)) : undefined;
  if (!coded) return undefined;
  return { status_code: isAppError(error) ? coded.status : status!, body: envelope(coded) };
}

/** Answers a refusal made before the tus server saw the request (the response is hijacked). */
export function sendTusError(res: ServerResponse, error: unknown): void {
  const coded = isAppError(error) ? error : new AppError('SVD_HTTP_INTERNAL');
  const body = envelope(coded);
  const retryAfter = coded.details?.retryAfterSeconds;
  res.writeHead(coded.status, {
    'tus-resumable': '1.0.0',
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    ...(typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {}),
  });
  res.end(body);
}

type RawHeaders = Record<string, unknown> | unknown[] | undefined;

function headerEntries(headers: RawHeaders): Array<[string, string]> {
  if (Array.isArray(headers)) {
    const entries: Array<[string, string]> = [];
    for (let i = 0; i + 1 < headers.length; i += 2)
      entries.push([String(headers[i]), String(headers[i + 1])]);
    return entries;
  }
  return Object.entries(headers ?? {}).map(([name, value]) => [name, String(value)]);
}

/**
 * Makes every error answer (status ≥ 400) written on `res` the coded JSON envelope: an answer that is
 * already one (from `tusErrorResponse`) is kept, a plain-text one is replaced by the code for its
 * status. Error bodies are small, so they are held until the end.
 */
export function codeTusAnswers(res: ServerResponse): void {
  const original = { writeHead: res.writeHead, write: res.write, end: res.end };
  let held: { status: number; headers: Array<[string, string]>; body: Buffer[] } | undefined;
  const chunk = (data: unknown, encoding?: unknown) =>
    typeof data === 'string'
      ? Buffer.from(data, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
      : Buffer.from(data as Uint8Array);
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    if (status < 400)
      return (original.writeHead as (...args: unknown[]) => ServerResponse).call(res, status, ...rest);
    const headers = rest.find((value) => typeof value === 'object' && value !== null) as RawHeaders;
    held = { status, headers: headerEntries(headers), body: [] };
    return res;
  }) as typeof res.writeHead;
  res.write = ((data: unknown, ...rest: unknown[]) => {
    if (!held) return (original.write as (...args: unknown[]) => boolean).call(res, data, ...rest);
    if (data !== undefined && data !== null) held.body.push(chunk(data, rest[0]));
    const callback = rest.find((value) => typeof value === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof res.write;
  res.end = ((...args: unknown[]) => {
    if (!held) return (original.end as (...args: unknown[]) => ServerResponse).apply(res, args);
    const callback = args.find((value) => typeof value === 'function') as (() => void) | undefined;
    if (args[0] !== undefined && typeof args[0] !== 'function') held.body.push(chunk(args[0], args[1]));
    let body = Buffer.concat(held.body).toString('utf8');
    try {
      const parsed = JSON.parse(body) as { error?: { code?: unknown } };
      if (typeof parsed?.error?.code !== 'string') throw new Error('not coded');
    } catch {
      body = envelope(new AppError(codeForStatus(held.status)));
    }
    const headers = held.headers.filter(([name]) => !/^content-(type|length)$/i.test(name));
    headers.push(['content-type', 'application/json; charset=utf-8']);
    headers.push(['content-length', String(Buffer.byteLength(body))]);
    const status = held.status;
    // From here on the original methods run (a response class's end may call this.write).
    held = undefined;
    (original.writeHead as (...args: unknown[]) => ServerResponse).call(res, status, headers.flat());
    return (original.end as (...args: unknown[]) => ServerResponse).call(res, body, callback);
  }) as typeof res.end;
}

/** Headers every resumable upload answer carries: nothing cached, sniffed or referred. */
export const UPLOAD_HEADERS: Record<string, string> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};
