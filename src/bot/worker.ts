/**
 * The broadcast engine. Each worker process claims deliveries with FOR UPDATE SKIP LOCKED and a
 * lease, asks the shared `bot_flood` row for send slots (one global rate for all processes), sends at
 * those slots with about rate × latency requests in flight, and writes outcomes back in batches.
 *
 * Guarantees (Telegram has no idempotency key, so exactly-once is impossible; see telegram.md §4):
 * - A delivery confirmed `sent` is never sent again.
 * - A delivery whose request left but got no answer (timeout, cut connection, or a worker killed
 *   mid-request, found later by its expired lease) becomes `unknown` and is not resent, unless the
 *   broadcast was created with `resendUnknown` (at-least-once).
 * - A 429 pauses every sender: the worker stops at once and writes `resume_at` to the shared row,
 *   which the other workers read before each slot batch and every quarter second.
 * - 403 (blocked, deactivated) and 400 "chat not found" erase the subscriber; 5xx and network errors
 *   before the request was written retry with backoff, at most five attempts.
 * - Outcomes buffered in memory when a worker dies are lost with it: those rows stay `sending`, their
 *   lease expires, and they become `unknown` — never resent. The window is one flush (≤ 100 ms).
 * Broadcasts are sent one after another (oldest first), so a chat gets at most one message per
 * broadcast and the per-chat limit of one message a second holds; a small in-process guard covers the
 * hand-over between two broadcasts.
 */
import type pino from 'pino';
import type { ChatOpener } from './broadcast-secret.js';
import type { BotLanguage, BroadcastContent } from './model.js';
import { DatabaseClock } from './send-budget.js';
import type { BotService } from './service.js';
import type { BotSettings } from './settings.js';
import type { BotStore, BroadcastRow, ClaimedDelivery, DeliveryOutcome } from './store.js';
import type { ApiResult, BotApiCaller } from './telegram-client.js';

const MAX_ATTEMPTS = 5;
/** How far ahead of their slot deliveries are marked `sending` (one statement per look-ahead). */
const LOOKAHEAD_MS = 50;

interface Queued extends ClaimedDelivery {
  /** Local clock time (ms) of the reserved slot. */
  slot: number;
}

export interface WorkerOptions {
  store: BotStore;
  service: BotService;
  opener: ChatOpener;
  caller: BotApiCaller;
  settings: BotSettings;
  logger: pino.Logger;
  /** Idle poll interval. Default 1000 ms. */
  pollMs?: number;
}

function backoffMs(attempt: number): number {
  return Math.min(1000 * 2 ** (attempt - 1), 60_000) * (0.8 + Math.random() * 0.4);
}

/** Classifies a Bot API answer into a delivery outcome (and whether the subscriber is gone). */
export function classify(
  result: ApiResult,
  attempts: number,
  resendUnknown: boolean,
): {
  state: DeliveryOutcome['state'];
  error: string | null;
  messageId: number | null;
  erase?: 'blocked' | 'deactivated' | 'chat_not_found';
  retryInMs?: number;
  floodWaitSeconds?: number;
} {
  if (result.kind === 'ok') {
    const id = (result.result as { message_id?: number } | undefined)?.message_id ?? null;
    return { state: 'sent', error: null, messageId: id };
  }
  if (result.kind === 'network') {
    if (result.sent) {
      if (resendUnknown)
        return { state: 'pending', error: 'no answer; resending', messageId: null, retryInMs: 1000 };
      return { state: 'unknown', error: `no answer: ${result.message}`.slice(0, 200), messageId: null };
    }
    if (attempts >= MAX_ATTEMPTS)
      return { state: 'failed', error: `network: ${result.message}`.slice(0, 200), messageId: null };
    return { state: 'pending', error: 'network', messageId: null, retryInMs: backoffMs(attempts) };
  }
  const description = result.description.slice(0, 200);
  if (result.status === 429)
    return {
      state: 'pending',
      error: '429',
      messageId: null,
      floodWaitSeconds: Math.max(result.retryAfter ?? 1, 1),
    };
  if (result.status === 403) {
    const reason = /deactivated/i.test(description) ? 'deactivated' : 'blocked';
    return { state: 'failed', error: description, messageId: null, erase: reason };
  }
  if (result.status === 400 && /chat not found|user not found|PEER_ID_INVALID/i.test(description))
    return { state: 'failed', error: description, messageId: null, erase: 'chat_not_found' };
  if (result.status >= 500 || result.status === 0) {
    if (attempts >= MAX_ATTEMPTS) return { state: 'failed', error: description, messageId: null };
    return { state: 'pending', error: description, messageId: null, retryInMs: backoffMs(attempts) };
  }
  return { state: 'failed', error: description, messageId: null };
}

/** The Bot API call that delivers `content` in `language` to `chatId`. */
export function sendCall(
  content: BroadcastContent,
  language: BotLanguage,
  chatId: number,
  paid: boolean,
): { method: string; params: Record<string, unknown> } {
  const version = content.versions[language] ?? content.versions.en;
  const common: Record<string, unknown> = { chat_id: chatId };
  if (version.parseMode) common.parse_mode = version.parseMode;
  if (paid) common.allow_paid_broadcast = true;
  if (content.media?.type === 'photo')
    return { method: 'sendPhoto', params: { ...common, photo: content.media.fileId, caption: version.text } };
  if (content.media?.type === 'document')
    return {
      method: 'sendDocument',
      params: { ...common, document: content.media.fileId, caption: version.text },
    };
  return {
    method: 'sendMessage',
    params: { ...common, text: version.text, link_preview_options: { is_disabled: true } },
  };
}

export class BroadcastWorker {
  readonly #o: WorkerOptions;
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  /** Local estimate of the shared pause end (ms, local clock). */
  #resumeAt = 0;
  /** Database clock minus local clock (ms), so reserved slots map to local timers. */
  readonly #clock = new DatabaseClock();
  #latencyMs = 50;
  #lastLeaseSweep = 0;
  #lastPrune = 0;
  readonly #recentChats = new Map<string, number>();
  /** Counters for benchmarks and logs. */
  readonly stats = { sent: 0, failed: 0, unknown: 0, retried: 0, erased: 0, floodWaits: 0 };

  constructor(options: WorkerOptions) {
    this.#o = options;
  }

  /** Runs until `stop()`. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run(false).catch((error: unknown) => {
      this.#o.logger.error({ err: { message: (error as Error).message } }, 'broadcast worker stopped');
    });
  }

  /** Stops claiming, lets requests in flight finish and writes their outcomes. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
  }

  /** Works until no broadcast is running (all sent, paused or cancelled), then returns. */
  async runUntilIdle(): Promise<void> {
    this.#running = true;
    try {
      await this.#run(true);
    } finally {
      this.#running = false;
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = undefined;
        resolve();
      }, ms);
      this.#wake = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
    });
  }

  async #housekeeping(): Promise<void> {
    const now = Date.now();
    if (now - this.#lastLeaseSweep > Math.min(this.#o.settings.leaseSeconds * 500, 5000)) {
      this.#lastLeaseSweep = now;
      const expired = await this.#o.store.expireLeases();
      if (expired > 0) this.#o.logger.warn({ deliveries: expired }, 'leases expired: outcomes unknown');
    }
    if (now - this.#lastPrune > 60_000) {
      this.#lastPrune = now;
      const pruned = await this.#o.service.prune();
      if (pruned > 0) this.#o.logger.info({ broadcasts: pruned }, 'pruned delivery rows to counts');
    }
  }

  async #run(untilIdle: boolean): Promise<void> {
    const { store } = this.#o;
    while (this.#running) {
      await this.#housekeeping();
      const broadcast = await store.nextRunnable();
      if (!broadcast) {
        if (untilIdle) return;
        await this.#sleep(this.#o.pollMs ?? 1000);
        continue;
      }
      await store.markStarted(broadcast.id);
      const { content } = await this.#o.service.broadcastContent(broadcast.id);
      const waitMs = await this.#send(broadcast, content);
      if (await store.finishIfComplete(broadcast.id)) {
        const progress = await this.#o.service.progress(broadcast.id);
        this.#o.logger.info(
          {
            broadcast: broadcast.id,
            sent: progress.sent,
            failed: progress.failed,
            unknown: progress.unknown,
          },
          'broadcast finished',
        );
      } else if (waitMs > 0 && this.#running) {
        // Rows are waiting for a retry time or another worker's lease: look again shortly.
        await this.#sleep(Math.min(waitMs, this.#o.pollMs ?? 1000));
      }
    }
  }

  /**
   * Sends one broadcast until nothing is claimable. Returns 0 when it may be complete, or a delay
   * after which to look again (rows waiting for retry or leased elsewhere).
   */
  async #send(broadcast: BroadcastRow, content: BroadcastContent): Promise<number> {
    const { store, settings, caller, opener, logger } = this.#o;
    const rate = broadcast.rate;
    // A quarter second of sends per claim, and up to three claims queued ahead, so a slow query never
    // leaves the sender idle (a slot not used is lost: the global schedule does not catch up).
    const batch = Math.max(1, Math.min(250, Math.ceil(rate * 0.25)));
    const lowWater = Math.max(batch * 3, 3);
    const queue: Queued[] = [];
    const outcomes: DeliveryOutcome[] = [];
    const inFlight = new Set<Promise<void>>();
    let exhausted = false;
    let claiming: Promise<void> | undefined;
    let flushing: Promise<void> | undefined;
    let marking: Promise<void> | undefined;
    const marked: Array<Queued & { markedAt: number }> = [];
    let lastFlush = Date.now();
    let lastStateCheck = Date.now();
    let lastFloodCheck = 0;
    let stopReason: string | undefined;
    let hadRetries = false;

    const refill = async () => {
      const claimed = await store.claim(broadcast.id, batch, settings.leaseSeconds);
      if (claimed.length === 0) {
        exhausted = true;
        return;
      }
      const sentAt = Date.now();
      const slots = await store.reserveSlots(claimed.length, rate);
      this.#clock.observe(slots.now, sentAt, Date.now());
      this.#resumeAt = Math.max(this.#resumeAt, slots.resumeAt.getTime() - this.#clock.offset);
      const first = slots.firstSlot.getTime() - this.#clock.offset;
      claimed.forEach((row, i) => {
        queue.push({ ...row, slot: first + (i * 1000) / rate });
      });
    };

    const flush = async () => {
      if (outcomes.length === 0) return;
      const rows = outcomes.splice(0, outcomes.length);
      lastFlush = Date.now();
      await store.recordOutcomes(broadcast.id, rows);
    };

    const finish = (item: Queued, result: ApiResult, startedAt: number) => {
      this.#latencyMs = this.#latencyMs * 0.9 + (Date.now() - startedAt) * 0.1;
      const verdict = classify(result, item.attempts, broadcast.resend_unknown);
      if (verdict.floodWaitSeconds) {
        this.stats.floodWaits++;
        const until = Date.now() + verdict.floodWaitSeconds * 1000;
        if (until > this.#resumeAt) {
          this.#resumeAt = until;
          // Marked deliveries not yet sent are known unsent: back to pending until the pause ends.
          for (const held of marked.splice(0))
            outcomes.push({
              seq: held.seq,
              state: 'pending',
              messageId: null,
              error: null,
              retryAt: new Date(until + this.#clock.offset),
            });
          logger.warn({ retryAfter: verdict.floodWaitSeconds }, 'flood wait: all senders paused');
          void store.pauseAll(verdict.floodWaitSeconds).catch(() => {});
        }
      }
      if (verdict.erase) {
        this.stats.erased++;
        void this.#o.service.erase(item.ref, verdict.erase).catch((error: unknown) => {
          logger.warn({ err: { message: (error as Error).message } }, 'erasure after send failed');
        });
        return;
      }
      if (verdict.state === 'sent') this.stats.sent++;
      else if (verdict.state === 'failed') this.stats.failed++;
      else if (verdict.state === 'unknown') this.stats.unknown++;
      else {
        this.stats.retried++;
        hadRetries = true;
      }
      const retryAt =
        verdict.state === 'pending'
          ? new Date(
              Math.max(Date.now() + (verdict.retryInMs ?? 0), verdict.floodWaitSeconds ? this.#resumeAt : 0) +
                this.#clock.offset,
            )
          : null;
      outcomes.push({
        seq: item.seq,
        state: verdict.state,
        messageId: verdict.messageId,
        error: verdict.error,
        retryAt,
      });
    };

    /** Sends one delivery already marked `sending`. */
    const fire = (item: Queued) => {
      const now = Date.now();
      let call: { method: string; params: Record<string, unknown> };
      try {
        call = sendCall(content, item.language as BotLanguage, opener.open(item.chatSealed), broadcast.paid);
      } catch {
        outcomes.push({
          seq: item.seq,
          state: 'failed',
          messageId: null,
          error: 'chat id could not be opened',
          retryAt: null,
        });
        return;
      }
      const task = caller
        .call(call.method, call.params)
        .then((result) => finish(item, result, now))
        .finally(() => {
          inFlight.delete(task);
          this.#wake?.();
        });
      inFlight.add(task);
    };

    for (;;) {
      const now = Date.now();
      // Pause, cancel or stop: no new sends; finish what is in flight, give claimed rows back.
      if (now - lastStateCheck > 500) {
        lastStateCheck = now;
        const current = await store.broadcast(broadcast.id);
        if (current?.state !== 'running') stopReason = current?.state ?? 'gone';
      }
      if (!this.#running) stopReason = 'stopping';
      if (stopReason) break;
      if (now - lastFloodCheck > 250) {
        lastFloodCheck = now;
        const sentAt = Date.now();
        const flood = await store.floodState();
        this.#clock.observe(flood.now, sentAt, Date.now());
        this.#resumeAt = Math.max(this.#resumeAt, flood.resumeAt.getTime() - this.#clock.offset);
      }
      if (!exhausted && !claiming && queue.length < lowWater) {
        claiming = refill()
          .catch((error: unknown) => {
            logger.warn({ err: { message: (error as Error).message } }, 'claim failed');
          })
          .finally(() => {
            claiming = undefined;
            this.#wake?.();
          });
      }
      const cap = Math.max(3, Math.min(200, Math.ceil((rate * this.#latencyMs * 1.5) / 1000) + 2));
      const t = Date.now();
      // Fire marked deliveries whose slot has come (a 429 holds everything until resume_at).
      if (t >= this.#resumeAt) {
        while (marked.length > 0 && marked[0]!.slot <= t && inFlight.size < cap) {
          const item = marked.shift()!;
          // Held so long that the lease could run out while in flight: not sent, so give it back.
          if (t - item.markedAt > settings.leaseSeconds * 1000 - settings.requestTimeoutMs - 500) {
            outcomes.push({ seq: item.seq, state: 'pending', messageId: null, error: null, retryAt: null });
            continue;
          }
          fire(item);
        }
      }
      // Deliveries due within the look-ahead are marked `sending` in one statement, committed before
      // their requests leave. Marked-but-unsent rows are the only cost of a crash beyond requests in
      // flight, so the look-ahead is short.
      if (t >= this.#resumeAt - LOOKAHEAD_MS && !marking && marked.length < cap) {
        const group: Queued[] = [];
        const deferred: Queued[] = [];
        while (queue.length > 0 && queue[0]!.slot <= t + LOOKAHEAD_MS && group.length < cap) {
          const item = queue.shift()!;
          const recent = this.#recentChats.get(item.ref);
          if (recent && item.slot - recent < 1000) deferred.push({ ...item, slot: recent + 1000 });
          else group.push(item);
        }
        if (deferred.length) {
          queue.push(...deferred);
          queue.sort((a, b) => a.slot - b.slot);
        }
        if (group.length) {
          for (const item of group) this.#recentChats.set(item.ref, item.slot);
          marking = store
            .markSending(
              broadcast.id,
              group.map((item) => item.seq),
              settings.leaseSeconds,
            )
            .then((allowed) => {
              const markedAt = Date.now();
              for (const item of group)
                if (allowed.has(item.seq)) marked.push({ ...item, attempts: item.attempts + 1, markedAt });
              marked.sort((a, b) => a.slot - b.slot);
            })
            .catch((error: unknown) => {
              // Not marked, so not sent: the rows stay claimed until their lease runs out.
              logger.warn({ err: { message: (error as Error).message } }, 'marking deliveries failed');
            })
            .finally(() => {
              marking = undefined;
              this.#wake?.();
            });
        }
      }
      if (!flushing && (outcomes.length >= 200 || (outcomes.length > 0 && t - lastFlush > 100))) {
        flushing = flush()
          .catch((error: unknown) => {
            logger.warn({ err: { message: (error as Error).message } }, 'recording outcomes failed');
          })
          .finally(() => {
            flushing = undefined;
          });
      }
      if (
        exhausted &&
        !claiming &&
        !marking &&
        marked.length === 0 &&
        queue.length === 0 &&
        inFlight.size === 0 &&
        outcomes.length === 0 &&
        !flushing
      )
        break;
      const next = marked[0] ?? queue[0];
      const nextSlot = next
        ? Math.max(next.slot - (marked[0] ? 0 : LOOKAHEAD_MS), this.#resumeAt) - Date.now()
        : 50;
      await this.#sleep(Math.max(1, Math.min(nextSlot, 50)));
    }

    await marking;
    await Promise.allSettled([...inFlight]);
    await claiming;
    await flushing;
    // Marked but never sent (stopping, paused, cancelled): known unsent, so back to pending.
    for (const item of marked.splice(0))
      outcomes.push({
        seq: item.seq,
        state: stopReason === 'cancelled' ? 'cancelled' : 'pending',
        messageId: null,
        error: null,
        retryAt: null,
      });
    await flush();
    // Claimed but never sent: give them back at once rather than waiting for the lease.
    await store.releaseClaims(
      broadcast.id,
      queue.map((q) => q.seq),
    );
    const cutoff = Date.now() - 1000;
    for (const [ref, at] of this.#recentChats) if (at < cutoff) this.#recentChats.delete(ref);
    if (stopReason) return 0;
    return hadRetries || this.#resumeAt > Date.now() ? 250 : 500;
  }
}
