/**
 * The chain of custody hash: each event's hash is SHA-256 over a canonical encoding of the item id,
 * its sequence number, time, action, actor, details and the previous event's hash. Pure functions,
 * shared by the writer, `evidence verify` and the offline check in export packages.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../platform/audit/chain.js';

export const CUSTODY_GENESIS = '0'.repeat(64);

export interface CustodyRecord {
  itemId: string;
  seq: number;
  at: Date;
  action: string;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  details: Record<string, unknown>;
  prevHash: string;
}

/** The hash of one custody event. */
export function hashCustodyRecord(record: CustodyRecord): string {
  return createHash('sha256')
    .update(canonicalJson({ ...record, at: record.at.toISOString() }))
    .digest('hex');
}

/** Checks one item's chain (rows in seq order); returns the first problem, or null. */
export function checkCustodyChain(rows: Array<CustodyRecord & { hash: string }>): string | null {
  let prev = CUSTODY_GENESIS;
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index]!;
    if (row.seq !== index + 1) {
      return row.seq > index + 1
        ? `custody event #${index + 1} is missing (deleted)`
        : `custody event #${row.seq} repeats`;
    }
    if (row.prevHash !== prev) return `custody event #${row.seq} does not link to #${row.seq - 1}`;
    const { hash, ...record } = row;
    if (hashCustodyRecord(record) !== hash) return `custody event #${row.seq} altered`;
    prev = hash;
  }
  if (rows.length === 0) return 'no custody events';
  return null;
}
