/**
 * The audit hash chain: each row's hash is SHA-256 over a canonical encoding of its fields and the
 * previous row's hash. Pure functions, shared by the writer and `audit verify`.
 */
import { createHash } from 'node:crypto';

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

/** The hash of one audit record (its `prevHash` included). */
export function hashAuditRecord(record: AuditRecord): string {
  const canonical = canonicalJson({ ...record, at: record.at.toISOString() });
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Makes details safe for storage and stable under a jsonb round trip: drops undefined, removes NUL
 * characters (jsonb rejects them), turns non-finite numbers and bigints into strings.
 */
export function sanitizeDetails(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('\u0000', '');
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
