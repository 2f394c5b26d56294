/** Keyset page cursors over (time, uuid) orderings: opaque to clients, checked when read back. */
import { AppError } from '../errors.js';

/** The cursor of a page that ends at the row with this time and id. */
export function cursorOf(at: Date, id: string): string {
  return Buffer.from(`${new Date(at).toISOString()}|${id}`).toString('base64url');
}

/** The position a cursor names; a malformed cursor is a validation error. */
export function parseCursor(cursor: string | undefined): { at: Date; id: string } | undefined {
  if (!cursor) return undefined;
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  if (!id || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(date.getTime()))
    throw new AppError('SVD_HTTP_VALIDATION', { message: 'bad cursor' });
  return { at: date, id };
}
