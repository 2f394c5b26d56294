/** Errors of the resumable upload endpoints in the API's coded shape. */
import { AppError, isAppError } from '../../platform/errors.js';

/** A coded error as the tus server sends it: the API's JSON error body with the HTTP status. */
export function tusErrorResponse(error: unknown): { status_code: number; body: string } | undefined {
  const coded = isAppError(error)
    ? error
    : (error as { status_code?: number })?.status_code === 413
      ? new AppError('SVD_BLOB_TOO_LARGE')
      : undefined;
  if (!coded) return undefined;
  return {
    status_code: coded.status,
    body: JSON.stringify({ error: { code: coded.code, message: coded.message } }),
  };
}

/** Headers every resumable upload answer carries: nothing cached, sniffed or referred. */
export const UPLOAD_HEADERS: Record<string, string> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};
