/**
 * The audit anchor: the chain head recorded outside the audit table. Deleting the newest audit rows
 * leaves a shorter chain that still verifies on its own; only a head written earlier reveals it.
 *
 * The head is kept in two places on the server — `<data>/audit-head.json` and a copy in `app_meta` — and
 * is signed (HMAC under a key derived from the audit key, which lives outside the database). Once an
 * anchor was recorded, a missing, unreadable or badly signed one fails verification and is never
 * silently replaced: the operator compares with a head stored off the machine (`audit head` prints
 * it, `audit verify --head` checks against it) or records a new anchor explicitly (`--new-anchor`).
 */
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { constantTimeEqual } from '../crypto.js';
import type { AnyDb } from '../db/database.js';
import type { AuditActor, AuditService, VerifyResult } from './service.js';

export interface AuditHead {
  seq: number;
  hash: string;
}

export interface SignedAuditHead extends AuditHead {
  recordedAt: string;
  /** HMAC-SHA256 over `seq|hash|recordedAt`, hex. */
  signature: string;
}

/** What the server holds of the anchor: none yet, a good one, or one that was lost or tampered with. */
export type AnchorState =
  | { state: 'none' }
  | { state: 'ok'; head: SignedAuditHead }
  | { state: 'lost'; reason: string; head?: SignedAuditHead };

const META_KEY = 'audit.anchor';
const PREFIX = 'svd-audit-head';

function file(dataDir: string): string {
  return path.join(dataDir, 'audit-head.json');
}

/** The one-line form an operator copies off the machine: `svd-audit-head:v1:<seq>:<hash>:<at>:<sig>`. */
export function formatSignedHead(head: SignedAuditHead): string {
  return `${PREFIX}:v1:${head.seq}:${head.hash}:${head.recordedAt}:${head.signature}`;
}

/** Parses the one-line form (or the JSON of the file); undefined when it is not one. */
export function parseSignedHead(text: string): SignedAuditHead | undefined {
  const trimmed = text.trim();
  const line = /^svd-audit-head:v1:(\d{1,15}):([0-9a-f]{64}):([0-9T:.Z-]{10,40}):([0-9a-f]{64})$/.exec(
    trimmed,
  );
  if (line) return { seq: Number(line[1]), hash: line[2]!, recordedAt: line[3]!, signature: line[4]! };
  try {
    const value = JSON.parse(trimmed) as Partial<SignedAuditHead>;
    if (
      typeof value.seq === 'number' &&
      Number.isSafeInteger(value.seq) &&
      typeof value.hash === 'string' &&
      typeof value.recordedAt === 'string' &&
      typeof value.signature === 'string'
    )
      return { seq: value.seq, hash: value.hash, recordedAt: value.recordedAt, signature: value.signature };
  } catch {}
  return undefined;
}

/** A verification against the anchor: the chain's own result plus what it was compared with. */
export interface AnchoredVerifyResult extends VerifyResult {
  /** The head the chain was checked against (the server's anchor or the one given), if any. */
  anchor: { seq: number; recordedAt: string; source: 'server' | 'given' } | null;
  /** Why the anchor could not be trusted (the result is then not ok). */
  anchorProblem?: string;
  /** The anchor recorded after a successful verification. */
  recorded?: SignedAuditHead;
}

export class AuditAnchor {
  readonly #db: AnyDb;
  readonly #dataDir: string;
  readonly #key: Uint8Array;

  /** `auditKey` is KeyRing.auditKey(); the signing key is derived from it for this use only. */
  constructor(db: AnyDb, dataDir: string, auditKey: Uint8Array) {
    this.#db = db;
    this.#dataDir = dataDir;
    this.#key = createHmac('sha256', auditKey).update('sviedka audit anchor v1').digest();
  }

  /** Signs a head as recorded now (or at `recordedAt`). */
  sign(head: AuditHead, recordedAt = new Date().toISOString()): SignedAuditHead {
    return { seq: head.seq, hash: head.hash, recordedAt, signature: this.#signature(head, recordedAt) };
  }

  /** True when the signature was made with this server's audit key. */
  isAuthentic(head: SignedAuditHead): boolean {
    return constantTimeEqual(head.signature, this.#signature(head, head.recordedAt));
  }

  #signature(head: AuditHead, recordedAt: string): string {
    return createHmac('sha256', this.#key).update(`${head.seq}|${head.hash}|${recordedAt}`).digest('hex');
  }

  /**
   * The anchor as the server holds it. The newer of the file and the database copy counts; when the
   * database says an anchor was recorded and the file is gone or unreadable (or the reverse, or either
   * is badly signed), the state is `lost`.
   */
  async read(): Promise<AnchorState> {
    const fromFile = this.#readFile();
    const fromDb = await this.#readDb();
    const problems: string[] = [];
    const good: SignedAuditHead[] = [];
    for (const [where, found] of [
      ['the anchor file', fromFile],
      ['the database copy of the anchor', fromDb],
    ] as const) {
      if (found === 'absent') continue;
      if (found === 'unreadable') problems.push(`${where} is unreadable`);
      else if (!this.isAuthentic(found)) problems.push(`${where} has a wrong signature`);
      else good.push(found);
    }
    if (fromFile === 'absent' && fromDb !== 'absent') problems.push('the anchor file was deleted');
    const legacyFile = typeof fromFile === 'object' && 'legacy' in fromFile;
    if (fromDb === 'absent' && fromFile !== 'absent' && !legacyFile)
      problems.push('the database copy of the anchor was deleted');
    const newest = good
      .sort((a, b) => b.seq - a.seq)
      .map(({ seq, hash, recordedAt, signature }) => ({ seq, hash, recordedAt, signature }))[0];
    if (problems.length > 0)
      return { state: 'lost', reason: problems.join('; '), ...(newest ? { head: newest } : {}) };
    return newest ? { state: 'ok', head: newest } : { state: 'none' };
  }

  /** Records a verified head in both places, never moving either backwards. */
  async record(head: AuditHead): Promise<SignedAuditHead> {
    const signed = this.sign(head);
    const previous = this.#readFile();
    if (typeof previous !== 'object' || previous.seq <= head.seq) {
      const temporary = `${file(this.#dataDir)}.tmp-${process.pid}`;
      writeFileSync(temporary, `${JSON.stringify(signed)}\n`, { mode: 0o600 });
      renameSync(temporary, file(this.#dataDir));
    }
    await sql`insert into app_meta (key, value, updated_at)
      values (${META_KEY}, ${JSON.stringify(signed)}::jsonb, now())
      on conflict (key) do update set value = excluded.value, updated_at = now()
      where (app_meta.value->>'seq')::bigint <= ${head.seq}`.execute(this.#db);
    return signed;
  }

  #readFile(): SignedAuditHead | 'absent' | 'unreadable' {
    if (!existsSync(file(this.#dataDir))) return 'absent';
    try {
      const text = readFileSync(file(this.#dataDir), 'utf8');
      return parseSignedHead(text) ?? this.#legacy(text) ?? 'unreadable';
    } catch {
      return 'unreadable';
    }
  }

  /**
   * A head file written before heads were signed (`{seq, hash, recordedAt}`): trusted as it was then and
   * signed now, so an upgrade keeps its anchor instead of reporting it lost.
   */
  #legacy(text: string): (SignedAuditHead & { legacy: true }) | undefined {
    try {
      const value = JSON.parse(text) as {
        seq?: unknown;
        hash?: unknown;
        recordedAt?: unknown;
        signature?: unknown;
      };
      if (
        value.signature === undefined &&
        typeof value.seq === 'number' &&
        typeof value.hash === 'string' &&
        /^[0-9a-f]{64}$/.test(value.hash)
      )
        return {
          ...this.sign(
            { seq: value.seq, hash: value.hash },
            typeof value.recordedAt === 'string' ? value.recordedAt : new Date().toISOString(),
          ),
          legacy: true,
        };
    } catch {}
    return undefined;
  }

  async #readDb(): Promise<SignedAuditHead | 'absent' | 'unreadable'> {
    const result = await sql<{ value: unknown }>`select value from app_meta where key = ${META_KEY}`.execute(
      this.#db,
    );
    const row = result.rows[0];
    if (!row) return 'absent';
    const value = typeof row.value === 'string' ? row.value : JSON.stringify(row.value);
    return parseSignedHead(value) ?? 'unreadable';
  }

  /**
   * Verifies the whole chain against the anchor (or against `given`, a head stored off the machine)
   * and, when it holds, advances the anchor to the current head. A lost anchor fails unless a good
   * `given` head vouches for the chain or `newAnchor` is set — and then the reset itself is audited.
   */
  async verify(
    audit: AuditService,
    options: {
      given?: SignedAuditHead;
      newAnchor?: { actor: AuditActor };
      onProgress?: (checked: number) => void;
    } = {},
  ): Promise<AnchoredVerifyResult> {
    const state = await this.read();
    const given = options.given;
    if (given && !this.isAuthentic(given)) {
      return {
        ok: false,
        checked: 0,
        head: await audit.head(),
        anchor: null,
        anchorProblem: "the given head is not signed with this server's audit key",
      };
    }
    const expected = given ?? (state.state === 'none' ? undefined : state.head);
    const anchor = expected
      ? {
          seq: expected.seq,
          recordedAt: expected.recordedAt,
          source: given ? ('given' as const) : ('server' as const),
        }
      : null;
    const result = await audit.verify(options.onProgress, expected);
    if (!result.ok) return { ...result, anchor };
    if (state.state === 'lost' && !given && !options.newAnchor) {
      return {
        ...result,
        ok: false,
        anchor,
        anchorProblem: `the audit anchor was lost (${state.reason}); rows deleted from the end of the log would not be noticed. Verify against a head stored off the machine (--head) or record a new anchor (--new-anchor).`,
      };
    }
    if (state.state === 'lost' && !given && options.newAnchor) {
      await audit.record({
        actor: options.newAnchor.actor,
        action: 'audit.anchor.reset',
        outcome: 'ok',
        details: { reason: state.reason, checked: result.checked },
      });
    }
    const head = await audit.head();
    const recorded = head ? await this.record(head) : undefined;
    return { ...result, anchor, ...(recorded ? { recorded } : {}) };
  }

  /**
   * Moves the anchor to the current head after checking only the rows written since it (cheap enough
   * to run every few minutes). Refuses — and says why — when the anchor is lost or the anchored row
   * no longer has the anchored hash (rows deleted or rewritten since).
   */
  async advance(audit: AuditService): Promise<{ advanced: boolean; problem?: string }> {
    const state = await this.read();
    if (state.state === 'lost') return { advanced: false, problem: `audit anchor lost: ${state.reason}` };
    const from = state.state === 'ok' ? state.head : undefined;
    const result = await audit.verify(undefined, undefined, from);
    if (!result.ok)
      return {
        advanced: false,
        problem: `audit chain broken at row #${result.firstBroken!.seq}: ${result.firstBroken!.reason}`,
      };
    if (!result.head || (from && result.head.seq === from.seq)) return { advanced: false };
    await this.record(result.head);
    return { advanced: true };
  }
}
