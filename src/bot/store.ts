/** The bot area's SQL: subscribers, questionnaire versions, templates, broadcasts and deliveries. */
import { type Generated, type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { AnyDb, AnyTransaction } from '../platform/db/database.js';
import type { BroadcastState, DeliveryState } from './model.js';

export type BotTables = {
  bot_questionnaires: {
    version: number;
    definition: unknown;
    created_at: Generated<Date>;
    created_by: string | null;
  };
  bot_subscribers: {
    ref: string;
    chat_sealed: Buffer;
    language: string;
    questionnaire_version: number;
    answers: Buffer;
    step: string;
    joined_month: string;
  };
  bot_templates: {
    id: string;
    name: string;
    segment: string | null;
    versions: unknown;
    media: unknown;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  bot_broadcasts: {
    id: string;
    template_id: string | null;
    content: unknown;
    audience: unknown;
    state: BroadcastState;
    rate: number;
    paid: boolean;
    resend_unknown: boolean;
    total: number;
    removed: Generated<number>;
    final_counts: unknown;
    created_by: string;
    created_at: Generated<Date>;
    started_at: Date | null;
    finished_at: Date | null;
    pruned_at: Date | null;
  };
  bot_deliveries: {
    broadcast_id: string;
    seq: number;
    ref: string;
    state: DeliveryState;
    attempts: Generated<number>;
    lease_until: Date | null;
    retry_at: Date | null;
    message_id: number | null;
    error: string | null;
  };
  bot_flood: { id: number; next_slot_at: Date; resume_at: Date };
  bot_inbox: { update_id: string; sealed: Buffer };
  bot_polling: { id: number; next_offset: string };
};

export type SubscriberRow = Selectable<BotTables['bot_subscribers']>;
export type BroadcastRow = Selectable<BotTables['bot_broadcasts']>;
export type TemplateRow = Selectable<BotTables['bot_templates']>;
type Db = Kysely<BotTables>;
type Executor = Db | Transaction<BotTables>;

/** A claimed delivery with what the worker needs to send it. */
export interface ClaimedDelivery {
  seq: number;
  ref: string;
  attempts: number;
  chatSealed: Buffer;
  language: string;
}

/** The outcome of one send, written back in batches. */
export interface DeliveryOutcome {
  seq: number;
  state: DeliveryState;
  messageId: number | null;
  error: string | null;
  retryAt: Date | null;
}

export class BotStore {
  readonly db: Db;

  constructor(db: AnyDb) {
    this.db = db.withTables<BotTables>();
  }

  transaction<T>(work: (trx: Transaction<BotTables>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  // ------------------------------------------------------------------ questionnaire

  async latestQuestionnaire(): Promise<
    { version: number; definition: unknown; created_at: Date } | undefined
  > {
    return this.db
      .selectFrom('bot_questionnaires')
      .select(['version', 'definition', 'created_at'])
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  async questionnaire(version: number): Promise<{ version: number; definition: unknown } | undefined> {
    return this.db
      .selectFrom('bot_questionnaires')
      .select(['version', 'definition'])
      .where('version', '=', version)
      .executeTakeFirst();
  }

  async insertQuestionnaire(
    trx: Executor,
    definition: unknown,
    createdBy: string | null,
    version?: number,
  ): Promise<number> {
    const next =
      version ??
      Number(
        (
          await sql<{ v: number }>`select coalesce(max(version), 0) + 1 as v from bot_questionnaires`.execute(
            trx,
          )
        ).rows[0]!.v,
      );
    await trx
      .insertInto('bot_questionnaires')
      .values({ version: next, definition: JSON.stringify(definition), created_by: createdBy })
      .onConflict((oc) => oc.column('version').doNothing())
      .execute();
    return next;
  }

  // ------------------------------------------------------------------ subscribers

  subscriber(ref: string): Promise<SubscriberRow | undefined> {
    return this.db.selectFrom('bot_subscribers').selectAll().where('ref', '=', ref).executeTakeFirst();
  }

  async upsertSubscriber(row: SubscriberRow): Promise<void> {
    await this.db
      .insertInto('bot_subscribers')
      .values(row)
      .onConflict((oc) =>
        oc.column('ref').doUpdateSet({
          chat_sealed: row.chat_sealed,
          language: row.language,
          questionnaire_version: row.questionnaire_version,
          answers: row.answers,
          step: row.step,
        }),
      )
      .execute();
  }

  async updateSubscriber(
    ref: string,
    changes: Partial<Pick<SubscriberRow, 'language' | 'answers' | 'step' | 'questionnaire_version'>>,
  ): Promise<void> {
    await this.db.updateTable('bot_subscribers').set(changes).where('ref', '=', ref).execute();
  }

  /** Deletes the subscriber and every row naming them; returns per-broadcast counts of removed rows. */
  async eraseSubscriber(trx: Transaction<BotTables>, ref: string): Promise<boolean> {
    const removed = await trx
      .deleteFrom('bot_deliveries')
      .where('ref', '=', ref)
      .returning(['broadcast_id'])
      .execute();
    const perBroadcast = new Map<string, number>();
    for (const row of removed)
      perBroadcast.set(row.broadcast_id, (perBroadcast.get(row.broadcast_id) ?? 0) + 1);
    for (const [id, n] of perBroadcast) {
      await trx
        .updateTable('bot_broadcasts')
        .set((eb) => ({ removed: eb('removed', '+', n) }))
        .where('id', '=', id)
        .execute();
    }
    const deleted = await trx.deleteFrom('bot_subscribers').where('ref', '=', ref).executeTakeFirst();
    return Number(deleted.numDeletedRows) > 0 || removed.length > 0;
  }

  /** Confirmed subscribers' answers, in pages (for targeting and counts; decrypted by the service). */
  async *confirmedAnswers(
    pageSize = 5000,
  ): AsyncGenerator<
    Array<{ ref: string; questionnaire_version: number; answers: Buffer; language: string }>
  > {
    let after = '';
    for (;;) {
      const rows = await this.db
        .selectFrom('bot_subscribers')
        .select(['ref', 'questionnaire_version', 'answers', 'language'])
        .where('step', '=', 'done')
        .where('ref', '>', after)
        .orderBy('ref')
        .limit(pageSize)
        .execute();
      if (rows.length === 0) return;
      yield rows;
      after = rows[rows.length - 1]!.ref;
    }
  }

  async countSubscribers(): Promise<{ total: number; confirmed: number }> {
    const row = await sql<{ total: number; confirmed: number }>`
      select count(*)::int as total, count(*) filter (where step = 'done')::int as confirmed
      from bot_subscribers`.execute(this.db);
    return { total: Number(row.rows[0]!.total), confirmed: Number(row.rows[0]!.confirmed) };
  }

  // ------------------------------------------------------------------ update inbox

  /** The offset the next getUpdates call starts from. */
  async pollingOffset(): Promise<number> {
    const row = await this.db
      .selectFrom('bot_polling')
      .select('next_offset')
      .where('id', '=', 1)
      .executeTakeFirst();
    return Number(row?.next_offset ?? 0);
  }

  /**
   * Stores fetched updates and the offset past them in one transaction: from then on Telegram may
   * forget them (the next getUpdates acknowledges them) and they are still handled after a crash.
   */
  async storeUpdates(rows: Array<{ updateId: number; sealed: Buffer }>, nextOffset: number): Promise<void> {
    await this.transaction(async (trx) => {
      if (rows.length > 0)
        await trx
          .insertInto('bot_inbox')
          .values(rows.map((row) => ({ update_id: String(row.updateId), sealed: row.sealed })))
          .onConflict((oc) => oc.column('update_id').doNothing())
          .execute();
      await trx
        .updateTable('bot_polling')
        .set({ next_offset: String(nextOffset) })
        .where('id', '=', 1)
        .execute();
    });
  }

  /** Updates fetched but not yet handled, oldest first. */
  async inbox(): Promise<Array<{ updateId: number; sealed: Buffer }>> {
    const rows = await this.db.selectFrom('bot_inbox').selectAll().orderBy('update_id').execute();
    return rows.map((row) => ({ updateId: Number(row.update_id), sealed: row.sealed }));
  }

  /** Removes handled updates from the inbox. */
  async deleteFromInbox(updateIds: number[]): Promise<void> {
    if (updateIds.length === 0) return;
    await sql`delete from bot_inbox where update_id = any(${sql.val(updateIds.map(String))}::bigint[])`.execute(
      this.db,
    );
  }

  // ------------------------------------------------------------------ templates

  listTemplates(): Promise<TemplateRow[]> {
    return this.db.selectFrom('bot_templates').selectAll().orderBy('name').execute();
  }

  template(idOrName: string): Promise<TemplateRow | undefined> {
    const isUuid = /^[0-9a-f-]{36}$/i.test(idOrName);
    return this.db
      .selectFrom('bot_templates')
      .selectAll()
      .where(isUuid ? 'id' : 'name', '=', idOrName)
      .executeTakeFirst();
  }

  async insertTemplate(trx: Executor, row: Omit<TemplateRow, 'created_at' | 'updated_at'>): Promise<void> {
    await trx
      .insertInto('bot_templates')
      .values({
        ...row,
        versions: JSON.stringify(row.versions),
        media: row.media ? JSON.stringify(row.media) : null,
      })
      .execute();
  }

  async updateTemplate(trx: Executor, id: string, row: Partial<TemplateRow>): Promise<boolean> {
    const values: Record<string, unknown> = { ...row, updated_at: new Date() };
    if (row.versions !== undefined) values.versions = JSON.stringify(row.versions);
    if (row.media !== undefined) values.media = row.media ? JSON.stringify(row.media) : null;
    const result = await trx.updateTable('bot_templates').set(values).where('id', '=', id).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async deleteTemplate(trx: Executor, id: string): Promise<boolean> {
    const result = await trx.deleteFrom('bot_templates').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  // ------------------------------------------------------------------ broadcasts

  async insertBroadcast(
    trx: Transaction<BotTables>,
    row: Omit<BroadcastRow, 'removed' | 'created_at'>,
  ): Promise<void> {
    await trx
      .insertInto('bot_broadcasts')
      .values({ ...row, content: JSON.stringify(row.content), audience: JSON.stringify(row.audience) })
      .execute();
  }

  /** Inserts delivery rows; `refs` is already in random order, its index is the send position. */
  async insertDeliveries(trx: Transaction<BotTables>, broadcastId: string, refs: string[]): Promise<void> {
    const batch = 4000;
    for (let start = 0; start < refs.length; start += batch) {
      const slice = refs.slice(start, start + batch);
      // One statement per batch with arrays keeps the parameter count at three whatever the size.
      await sql`insert into bot_deliveries (broadcast_id, seq, ref, state)
        select ${broadcastId}::uuid, s.seq, s.ref, 'pending'
        from unnest(${sql.val(slice.map((_, i) => start + i))}::int[], ${sql.val(slice)}::text[]) as s(seq, ref)`.execute(
        trx,
      );
    }
  }

  broadcast(id: string): Promise<BroadcastRow | undefined> {
    return this.db.selectFrom('bot_broadcasts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  listBroadcasts(limit = 50): Promise<BroadcastRow[]> {
    return this.db
      .selectFrom('bot_broadcasts')
      .selectAll()
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
  }

  async setBroadcastState(
    trx: Executor,
    id: string,
    from: BroadcastState[],
    to: BroadcastState,
  ): Promise<boolean> {
    const result = await trx
      .updateTable('bot_broadcasts')
      .set({ state: to, ...(to === 'cancelled' || to === 'done' ? { finished_at: new Date() } : {}) })
      .where('id', '=', id)
      .where('state', 'in', from)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async cancelPending(trx: Executor, id: string): Promise<void> {
    await trx
      .updateTable('bot_deliveries')
      .set({ state: 'cancelled' })
      .where('broadcast_id', '=', id)
      .where('state', '=', 'pending')
      .execute();
  }

  async deliveryCounts(id: string): Promise<Record<DeliveryState, number>> {
    const rows = await this.db
      .selectFrom('bot_deliveries')
      .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
      .where('broadcast_id', '=', id)
      .groupBy('state')
      .execute();
    const counts: Record<DeliveryState, number> = {
      pending: 0,
      sending: 0,
      sent: 0,
      failed: 0,
      unknown: 0,
      cancelled: 0,
    };
    for (const row of rows) counts[row.state] = Number(row.n);
    return counts;
  }

  // ------------------------------------------------------------------ worker

  /** The running broadcast to work on: the oldest, so broadcasts go out one after another. */
  async nextRunnable(): Promise<BroadcastRow | undefined> {
    return this.db
      .selectFrom('bot_broadcasts')
      .selectAll()
      .where('state', '=', 'running')
      .orderBy('created_at')
      .limit(1)
      .executeTakeFirst();
  }

  /**
   * Claims up to `limit` due pending deliveries with a lease (FOR UPDATE SKIP LOCKED). A claimed row
   * stays `pending` (with `lease_until` set) until `markSending` just before its request leaves, so a
   * worker that dies holding claims loses nothing: its claims become claimable again when the lease
   * runs out, and only rows actually being sent can end up `unknown`.
   */
  async claim(broadcastId: string, limit: number, leaseSeconds: number): Promise<ClaimedDelivery[]> {
    const result = await sql<{
      seq: number;
      ref: string;
      attempts: number;
      chat_sealed: Buffer;
      language: string;
    }>`
      with claimed as (
        update bot_deliveries d set lease_until = now() + make_interval(secs => ${leaseSeconds})
        where (d.broadcast_id, d.seq) in (
          select broadcast_id, seq from bot_deliveries
          where broadcast_id = ${broadcastId} and state = 'pending'
            and (retry_at is null or retry_at <= now()) and (lease_until is null or lease_until < now())
          order by seq
          limit ${limit}
          for update skip locked
        )
        returning d.seq, d.ref, d.attempts
      )
      select c.seq, c.ref, c.attempts, s.chat_sealed, s.language
      from claimed c join bot_subscribers s on s.ref = c.ref
      order by c.seq`.execute(this.db);
    return result.rows.map((row) => ({
      seq: Number(row.seq),
      ref: row.ref,
      attempts: Number(row.attempts),
      chatSealed: row.chat_sealed,
      language: row.language,
    }));
  }

  /**
   * Marks claimed rows `sending` (committed before any request leaves) and returns the seqs that may
   * be sent: a row cancelled, erased or taken over by another worker in the meantime is not returned.
   */
  async markSending(broadcastId: string, seqs: number[], leaseSeconds: number): Promise<Set<number>> {
    if (seqs.length === 0) return new Set();
    const result = await sql<{ seq: number }>`
      update bot_deliveries set state = 'sending', attempts = attempts + 1,
        lease_until = now() + make_interval(secs => ${leaseSeconds})
      where broadcast_id = ${broadcastId} and state = 'pending' and seq = any(${sql.val(seqs)}::int[])
      returning seq`.execute(this.db);
    return new Set(result.rows.map((row) => Number(row.seq)));
  }

  /** Gives claimed but unsent rows back at once (instead of waiting for their lease to run out). */
  async releaseClaims(broadcastId: string, seqs: number[]): Promise<void> {
    if (seqs.length === 0) return;
    await sql`update bot_deliveries set lease_until = null
      where broadcast_id = ${broadcastId} and state = 'pending' and seq = any(${sql.val(seqs)}::int[])`.execute(
      this.db,
    );
  }

  /** Writes a batch of outcomes in one statement. */
  async recordOutcomes(broadcastId: string, outcomes: DeliveryOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    const values = sql.join(
      outcomes.map(
        (o) =>
          sql`(${o.seq}::int, ${o.state}::text, ${o.messageId}::bigint, ${o.error}::text, ${o.retryAt ? o.retryAt.toISOString() : null}::timestamptz)`,
      ),
    );
    await sql`update bot_deliveries as d
      set state = v.state, message_id = v.message_id, error = v.error, retry_at = v.retry_at, lease_until = null
      from (values ${values}) as v(seq, state, message_id, error, retry_at)
      where d.broadcast_id = ${broadcastId} and d.seq = v.seq and d.state = 'sending'`.execute(this.db);
  }

  /**
   * Deliveries whose lease expired while `sending`: the request may or may not have reached Telegram.
   * They become `unknown` (at most once), or `pending` again for broadcasts that chose to resend.
   */
  async expireLeases(): Promise<number> {
    const result = await sql`update bot_deliveries d
      set state = case when b.resend_unknown then 'pending' else 'unknown' end,
        error = case when b.resend_unknown then d.error else 'lease expired: outcome unknown' end,
        lease_until = null
      from bot_broadcasts b
      where b.id = d.broadcast_id and d.state = 'sending' and d.lease_until < now()`.execute(this.db);
    return Number(result.numAffectedRows ?? 0);
  }

  /** Marks a running broadcast done when nothing is left to send. */
  async finishIfComplete(id: string): Promise<boolean> {
    const result = await sql`update bot_broadcasts set state = 'done', finished_at = now()
      where id = ${id} and state = 'running'
        and not exists (select 1 from bot_deliveries where broadcast_id = ${id} and state in ('pending', 'sending'))`.execute(
      this.db,
    );
    return Number(result.numAffectedRows ?? 0) > 0;
  }

  async markStarted(id: string): Promise<void> {
    await this.db
      .updateTable('bot_broadcasts')
      .set({ started_at: new Date() })
      .where('id', '=', id)
      .where('started_at', 'is', null)
      .execute();
  }

  /** Reserves `count` send slots at `rate` per second; returns the first slot time and the pause end. */
  async reserveSlots(count: number, rate: number): Promise<{ firstSlot: Date; resumeAt: Date; now: Date }> {
    // The row lock serialises reservations across processes; the first slot is derived from the new
    // value, so concurrent reservations never overlap.
    const span = count / rate;
    const result = await sql<{ first_slot: Date; resume_at: Date; now: Date }>`
      update bot_flood set next_slot_at = greatest(next_slot_at, resume_at, clock_timestamp())
        + make_interval(secs => ${span})
      where id = 1
      returning next_slot_at - make_interval(secs => ${span}) as first_slot, resume_at, clock_timestamp() as now`.execute(
      this.db,
    );
    const row = result.rows[0]!;
    return { firstSlot: new Date(row.first_slot), resumeAt: new Date(row.resume_at), now: new Date(row.now) };
  }

  /** After a 429: every sender waits until `retryAfterSeconds` from now. */
  async pauseAll(retryAfterSeconds: number): Promise<Date> {
    const result = await sql<{ resume_at: Date }>`
      update bot_flood set resume_at = greatest(resume_at, clock_timestamp() + make_interval(secs => ${retryAfterSeconds})),
        next_slot_at = greatest(next_slot_at, clock_timestamp() + make_interval(secs => ${retryAfterSeconds}))
      where id = 1 returning resume_at`.execute(this.db);
    return new Date(result.rows[0]!.resume_at);
  }

  async floodState(): Promise<{ resumeAt: Date; now: Date }> {
    const result = await sql<{ resume_at: Date; now: Date }>`
      select resume_at, clock_timestamp() as now from bot_flood where id = 1`.execute(this.db);
    return { resumeAt: new Date(result.rows[0]!.resume_at), now: new Date(result.rows[0]!.now) };
  }

  /** Broadcasts finished longer ago than `seconds` whose rows are still there. */
  async prunable(seconds: number): Promise<string[]> {
    const rows = await sql<{ id: string }>`select id from bot_broadcasts
      where pruned_at is null and state in ('done', 'cancelled') and finished_at < now() - make_interval(secs => ${seconds})`.execute(
      this.db,
    );
    return rows.rows.map((r) => r.id);
  }

  /** Rolls up counts and deletes the per-recipient rows of a broadcast. */
  async prune(trx: Transaction<BotTables>, id: string, counts: Record<string, number>): Promise<void> {
    await trx.deleteFrom('bot_deliveries').where('broadcast_id', '=', id).execute();
    await trx
      .updateTable('bot_broadcasts')
      .set({ final_counts: JSON.stringify(counts), pruned_at: new Date() })
      .where('id', '=', id)
      .execute();
  }
}

export type { AnyTransaction };
