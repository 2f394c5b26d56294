/** Citizens' receipt codes: shown once, stored only as a keyed hash, used to add files later. */
import { randomBytes } from '../platform/crypto.js';

const RECEIPT_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';

/** A receipt code: 20 characters from an unambiguous alphabet (~98 bits), in groups of five. */
export function newReceiptCode(): string {
  const bytes = randomBytes(20);
  let out = '';
  for (let i = 0; i < 20; i++) {
    out += RECEIPT_ALPHABET[bytes[i]! % RECEIPT_ALPHABET.length];
    if (i % 5 === 4 && i < 19) out += '-';
  }
  return out;
}

/** The text a receipt's lookup hash is computed from: case, spaces and dashes do not matter. */
export function receiptLookupText(code: string): string {
  return `receipt:${code.toUpperCase().replace(/[^A-Z0-9]/g, '')}`;
}

/** Today in UTC, the finest time kept of a citizen's submission. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The start of today (UTC): the time recorded for a citizen's submission and its processing. */
export function startOfToday(): Date {
  return new Date(`${today()}T00:00:00.000Z`);
}
