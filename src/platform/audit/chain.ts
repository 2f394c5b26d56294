/**
 * The audit hash chain: each row's hash is SHA-256 over a canonical encoding of its fields and the
 * previous row's hash. Pure functions, shared by the writer and `audit verify`.
 */
import { createHmac } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditRecord {
  seq: number;
  at: Date;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: 'ok' | 'denied' | 'failed';
  purpose: string | null;
  details: Record<string, unknown>;
  prevHash: string;
}

/** JSON with object keys sorted at every depth: one value, one string. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * The hash of one audit record (its `prevHash` included): HMAC-SHA256 under the audit key, which lives
 * outside the database, so someone who can write to the database cannot recompute a forged chain.
 */
export function hashAuditRecord(record: AuditRecord, key: Uint8Array): string {
  const canonical = canonicalJson({ ...record, at: record.at.toISOString() });
  return createHmac('sha256', key).update(canonical).digest('hex');
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A string exactly as PostgreSQL will store and return it: lone UTF-16 surrogates become U+FFFD and
 * NUL characters are removed. Hashing anything else would make an honest row fail verification.
 */
export function storableText(value: string): string {
  return value.replace(LONE_SURROGATE, '\uFFFD').replaceAll('\u0000', '');
}

/** Cuts a string to at most `max` code points without splitting a surrogate pair. */
export function truncateCodePoints(value: string, max: number): string {
  const points = [...value];
  return points.length > max ? points.slice(0, max).join('') : value;
}

/**
 * Makes details safe for storage and stable under a jsonb round trip: drops undefined, removes NUL
 * characters (jsonb rejects them), turns non-finite numbers and bigints into strings.
 */
export function sanitizeDetails(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(sanitizeDetails);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      if (v !== undefined) out[k.replaceAll('\u0000', '')] = sanitizeDetails(v);
    return out;
  }
  return value ?? null;
}
