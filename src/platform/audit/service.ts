/**
 * The audit log: every login, sensitive read, write, export and permission change is appended here,
 * hash-chained. The database rejects UPDATE/DELETE/TRUNCATE on the table (trigger), and `verify`
 * recomputes the chain and names the first broken row. No client IP address is ever recorded.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { KeyRing } from '../crypto.js';
import type { AnyDb, AnyTransaction } from '../db/database.js';
import { GENESIS_HASH, hashAuditRecord, sanitizeDetails, storableText, truncateCodePoints } from './chain.js';
import { type AuditFilter, type AuditRow, AuditStore, type AuditTables } from './store.js';

export interface AuditActor {
  type: 'user' | 'apikey' | 'system' | 'citizen' | 'bot' | 'anonymous';
  id?: string | null;
  label?: string | null;
}

export interface AuditEvent {
  actor: AuditActor;
  /** Dotted verb, area first: `auth.login`, `user.create`, `registry.entity.read`, `evidence.export`. */
  action: string;
  target?: { type: string; id: string } | null;
  outcome?: 'ok' | 'denied' | 'failed';
  purpose?: string | null;
  details?: Record<string, unknown>;
  /**
   * What identifies people and must not be legible in a copy of the database (names looked for, a
   * purpose that names a case): stored encrypted in `details.sealed`, bound to the row's sequence
   * number. `list` opens it (the purpose back into `purpose`). Not re-encrypted by key rotation (the
   * log is append-only): a retired key version must stay in the ring for these to stay readable.
   */
  sealed?: { purpose?: string | null; [field: string]: unknown };
  /**
   * The time to record instead of now: a citizen's submission is recorded at the start of its day
   * (UTC), here as in the evidence rows, so the log cannot date a source's upload to the second.
   */
  at?: Date;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  head: { seq: number; hash: string } | null;
  firstBroken?: { seq: number; reason: string };
}

export class AuditService {
  readonly #store: AuditStore;
  readonly #db: AnyDb;

  readonly #key: Uint8Array;

  readonly #sealer: Pick<KeyRing, 'encryptField' | 'decryptField'> | undefined;

  /**
   * `key` is the audit HMAC key (KeyRing.auditKey()), kept outside the database; `sealer` (the key
   * ring) encrypts events' `sealed` fields.
   */
  constructor(db: AnyDb, key: Uint8Array, sealer?: Pick<KeyRing, 'encryptField' | 'decryptField'>) {
    this.#db = db;
    this.#key = key;
    this.#sealer = sealer;
    this.#store = new AuditStore(db);
  }

  /**
   * Appends an event. Pass the caller's transaction so the write and its audit row commit together;
   * the chain head stays locked until that transaction ends, so audit last in a transaction.
   */
  async record(event: AuditEvent, trx?: AnyTransaction): Promise<AuditRow | undefined> {
    const rows = trx
      ? await this.recordMany([event], trx)
      : await this.#db
          .withTables<AuditTables>()
          .transaction()
          .execute((inner) => this.recordMany([event], inner));
    return rows[0];
  }

  /**
   * Appends several events in this order, in the caller's transaction, with one lock of the chain head
   * and one insert: the same rows as recording them one by one, in fewer round trips.
   *
   * A citizen's events are not appended now: their place in the chain, between rows of other activity
   * with exact times, would date the citizen's submission to the second. They are kept (in the same
   * transaction) without a time finer than their day, and `appendDeferred` appends them later, in
   * random order, in one batch.
   */
  async recordMany(events: readonly AuditEvent[], trx: AnyTransaction): Promise<AuditRow[]> {
    const now = events.filter((event) => event.actor.type !== 'citizen');
    const later = events.filter((event) => event.actor.type === 'citizen');
    if (later.length)
      await this.#store.insertDeferred(
        trx as Transaction<AuditTables>,
        later.map((event) => {
          const day = (event.at ?? new Date()).toISOString().slice(0, 10);
          return { id: randomUUID(), day, event: { ...event, at: `${day}T00:00:00.000Z` } };
        }),
      );
    return this.#append(now, trx);
  }

  /**
   * Appends the citizens' events kept from days before `now`'s day (UTC), shuffled, in one batch; the
   * evidence area's daily citizen batch calls it at a random time. Returns how many were appended.
   */
  async appendDeferred(trx: AnyTransaction, now = new Date()): Promise<number> {
    const inner = trx as Transaction<AuditTables>;
    const events = (await this.#store.takeDeferred(inner, now.toISOString().slice(0, 10))) as Array<
      AuditEvent & { at: string }
    >;
    for (let i = events.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [events[i], events[j]] = [events[j]!, events[i]!];
    }
    await this.#append(
      events.map((event) => ({ ...event, at: new Date(event.at) })),
      inner,
    );
    return events.length;
  }

  async #append(events: readonly AuditEvent[], trx: AnyTransaction): Promise<AuditRow[]> {
    if (events.length === 0) return [];
    const inner = trx as Transaction<AuditTables>;
    let head = await this.#store.lockHead(inner);
    const rows: AuditRow[] = [];
    for (const event of events) {
      const row = this.#link(event, head);
      rows.push(row);
      head = row;
    }
    await this.#store.insertMany(inner, rows);
    return rows;
  }

  /** The row an event becomes after `head`, with its hash. */
  #link(event: AuditEvent, head: { seq: number; hash: string } | undefined): AuditRow {
    const text = (value: string | null | undefined, max = 500) =>
      value === null || value === undefined ? null : storableText(truncateCodePoints(value, max));
    const record = {
      seq: (head?.seq ?? 0) + 1,
      at: event.at ?? new Date(),
      actorType: event.actor.type,
      actorId: text(event.actor.id),
      actorLabel: text(event.actor.label),
      action: storableText(event.action),
      targetType: text(event.target?.type),
      targetId: text(event.target?.id),
      outcome: event.outcome ?? 'ok',
      purpose: text(event.purpose, 1000),
      details: sanitizeDetails(this.#sealedDetails(event, (head?.seq ?? 0) + 1)) as Record<string, unknown>,
      prevHash: head?.hash ?? GENESIS_HASH,
    };
    return { ...record, hash: hashAuditRecord(record, this.#key) };
  }

  /** The newest row's sequence number and hash (to record outside the database). */
  async head(): Promise<{ seq: number; hash: string } | null> {
    const [row] = await this.#store.list({ limit: 1 });
    return row ? { seq: row.seq, hash: row.hash } : null;
  }

  #sealedDetails(event: AuditEvent, seq: number): Record<string, unknown> {
    if (!event.sealed) return event.details ?? {};
    if (!this.#sealer) throw new Error('audit: sealed fields need the key ring');
    const sealed = this.#sealer.encryptField(JSON.stringify(event.sealed), `audit_log.sealed:${seq}`);
    return { ...(event.details ?? {}), sealed: sealed.toString('base64') };
  }

  /** Rows, newest first, with sealed fields opened (a key no longer in the ring leaves them sealed). */
  async list(filter: AuditFilter): Promise<AuditRow[]> {
    const rows = await this.#store.list(filter);
    return rows.map((row) => {
      const sealed = (row.details as { sealed?: unknown } | null)?.sealed;
      if (typeof sealed !== 'string' || !this.#sealer) return row;
      try {
        const opened = JSON.parse(
          this.#sealer
            .decryptField(Buffer.from(sealed, 'base64'), `audit_log.sealed:${row.seq}`)
            .toString('utf8'),
        ) as { purpose?: string | null };
        const { purpose, ...fields } = opened;
        const { sealed: _sealed, ...details } = row.details as Record<string, unknown>;
        return { ...row, purpose: purpose ?? row.purpose, details: { ...details, ...fields } };
      } catch {
        return row;
      }
    });
  }

  /**
   * Recomputes the whole chain; reports the first row whose hash, link or sequence is wrong. With
   * `expectHead` (a head recorded earlier, outside the database), also detects rows deleted from the end.
   */
  async verify(
    onProgress?: (checked: number) => void,
    expectHead?: { seq: number; hash: string },
    from?: { seq: number; hash: string },
  ): Promise<VerifyResult> {
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let checked = 0;
    let head: VerifyResult['head'] = null;
    if (from) {
      // Only the rows after a head verified earlier: that row must still carry the hash it had.
      const [anchored] = await this.#store
        .scan(1, from.seq - 1)
        .next()
        .then((r) => r.value ?? []);
      if (!anchored || anchored.seq !== from.seq || anchored.hash !== from.hash) {
        return {
          ok: false,
          checked,
          head,
          firstBroken: {
            seq: from.seq,
            reason: 'differs from the head recorded earlier (deleted or rewritten)',
          },
        };
      }
      expectedSeq = from.seq + 1;
      prevHash = from.hash;
      head = { seq: from.seq, hash: from.hash };
    }
    for await (const page of this.#store.scan(2000, expectedSeq - 1)) {
      for (const row of page) {
        if (row.seq !== expectedSeq) {
          const reason =
            row.seq > expectedSeq
              ? `rows ${expectedSeq}–${row.seq - 1} are missing (deleted)`
              : `sequence repeats at ${row.seq}`;
          return { ok: false, checked, head, firstBroken: { seq: expectedSeq, reason } };
        }
        if (row.prevHash !== prevHash) {
          return {
            ok: false,
            checked,
            head,
            firstBroken: { seq: row.seq, reason: 'link to the previous row does not match' },
          };
        }
        const { hash, ...record } = row;
        if (hashAuditRecord(record, this.#key) !== hash) {
          return {
            ok: false,
            checked,
            head,
            firstBroken: { seq: row.seq, reason: 'content was altered (hash mismatch)' },
          };
        }
        if (expectHead && row.seq === expectHead.seq && hash !== expectHead.hash) {
          return {
            ok: false,
            checked,
            head,
            firstBroken: { seq: row.seq, reason: 'differs from the head recorded earlier (rewritten chain)' },
          };
        }
        prevHash = hash;
        expectedSeq++;
        checked++;
        head = { seq: row.seq, hash };
      }
      onProgress?.(checked);
    }
    const last = head?.seq ?? 0;
    if (expectHead && last < expectHead.seq) {
      return {
        ok: false,
        checked,
        head,
        firstBroken: {
          seq: last + 1,
          reason: `rows ${last + 1}–${expectHead.seq} are missing (the chain ends before the head recorded earlier)`,
        },
      };
    }
    return { ok: true, checked, head };
  }
}
