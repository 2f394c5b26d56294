/**
 * The audit head recorded outside the database (`<data>/audit-head.json`). Deleting the newest audit
 * rows leaves a shorter chain that still verifies; comparing with a head written earlier reveals it.
 * Copy this file off the machine (or into your monitoring) to make the anchor independent of the host.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface AuditHead {
  seq: number;
  hash: string;
  recordedAt: string;
}

function file(dataDir: string): string {
  return path.join(dataDir, 'audit-head.json');
}

/** The head recorded earlier, if any (a malformed file is reported as absent). */
export function readAuditHead(dataDir: string): AuditHead | undefined {
  if (!existsSync(file(dataDir))) return undefined;
  try {
    const value = JSON.parse(readFileSync(file(dataDir), 'utf8')) as AuditHead;
    return typeof value.seq === 'number' && typeof value.hash === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Records a head, never moving it backwards. */
export function writeAuditHead(dataDir: string, head: { seq: number; hash: string }): void {
  const previous = readAuditHead(dataDir);
  if (previous && previous.seq > head.seq) return;
  const temporary = `${file(dataDir)}.tmp-${process.pid}`;
  writeFileSync(temporary, `${JSON.stringify({ ...head, recordedAt: new Date().toISOString() })}\n`, {
    mode: 0o600,
  });
  renameSync(temporary, file(dataDir));
}
