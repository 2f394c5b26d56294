/**
 * One send budget per bot. Telegram limits the bot as a whole (about 30 messages a second) and each
 * chat (about one a second, short bursts tolerated), so replies to citizens take their send slots from
 * the same bot-wide schedule the broadcast workers use (`bot_flood`, shared through the database by
 * every process; with the embedded database all of them live in one process anyway).
 *
 * Replies come first: the reply lane reserves slots for everyone waiting as soon as they wait, while a
 * broadcast worker reserves only about a second ahead, so a citizen's answer waits at most about a
 * second behind a running broadcast and the broadcast slows down by the replies' share. A 429 on a
 * reply pauses every sender for `retry_after`, as one on a broadcast send does.
 *
 * Per chat, a generic cell rate check (one message a second, a small burst) keeps a citizen's own
 * messages from meeting the per-chat limit.
 */
import type pino from 'pino';

/** The bot-wide slot schedule (BotStore implements it over `bot_flood`). */
export interface SlotSchedule {
  /** Reserves `count` consecutive slots at `rate` per second; times on the database clock. */
  reserveSlots(count: number, rate: number): Promise<{ firstSlot: Date; resumeAt: Date; now: Date }>;
  /** Every sender waits until `retryAfterSeconds` from now. */
  pauseAll(retryAfterSeconds: number): Promise<Date>;
  /** The shared pause end (a 429 met by any sender) and the database time. */
  floodState(): Promise<{ resumeAt: Date; now: Date }>;
}

/**
 * The database clock's offset from this process's clock (database minus local, ms), estimated from
 * the round trip with the smallest delay: slots are reserved on the database clock and sent on local
 * timers, and an estimate that jumped with each query's latency would make two reservations overlap
 * (messages bunched past the limit).
 */
export class DatabaseClock {
  offset = 0;
  #bestRoundTrip = Number.POSITIVE_INFINITY;
  #bestAt = 0;

  /** Records the database time `dbNow` read by a query sent at local `sentAt` and answered at `receivedAt`. */
  observe(dbNow: Date, sentAt: number, receivedAt: number): void {
    const roundTrip = receivedAt - sentAt;
    // An old best sample slowly loses its advantage, so a drifting clock is still followed.
    const handicap = (receivedAt - this.#bestAt) / 1000;
    if (roundTrip > this.#bestRoundTrip + handicap) return;
    this.#bestRoundTrip = roundTrip;
    this.#bestAt = receivedAt;
    this.offset = dbNow.getTime() - (sentAt + receivedAt) / 2;
  }
}

interface Waiter {
  chat: string;
  resolve: () => void;
  reject: (error: Error) => void;
  signal: AbortSignal | undefined;
  onAbort?: () => void;
  timer?: NodeJS.Timeout;
}

/** At most this many slots are reserved by one statement. */
const MAX_RESERVATION = 500;

export class SendBudget {
  readonly #schedule: SlotSchedule;
  readonly #rate: number;
  readonly #logger: pino.Logger;
  readonly #perChatMs: number;
  readonly #perChatTolerance: number;
  /** Waiting for a slot, in arrival order. */
  readonly #queue: Waiter[] = [];
  /** Theoretical arrival time per chat (GCRA), local clock. */
  readonly #chatTat = new Map<string, number>();
  #reserving = false;
  #gateTimer: NodeJS.Timeout | undefined;
  #gateAt = Number.POSITIVE_INFINITY;
  /** Waiters holding a reserved slot; while there are any, the shared pause is watched. */
  #holding = 0;
  #watch: NodeJS.Timeout | undefined;
  readonly #clock = new DatabaseClock();
  /** Local time of the last grant: grants are never closer than the rate allows. */
  #lastGrant = 0;
  /** Local time before which nothing is sent (after a 429). */
  #resumeAt = 0;
  /** Counters for benchmarks and logs. */
  readonly stats = { granted: 0, floodWaits: 0 };

  constructor(options: {
    schedule: SlotSchedule;
    /** Messages per second for the bot as a whole. */
    rate: number;
    logger: pino.Logger;
    /** Messages per second into one chat (default 1) and how many may go back to back (default 3). */
    perChatRate?: number;
    perChatBurst?: number;
  }) {
    this.#schedule = options.schedule;
    this.#rate = options.rate;
    this.#logger = options.logger;
    this.#perChatMs = 1000 / (options.perChatRate ?? 1);
    this.#perChatTolerance = ((options.perChatBurst ?? 3) - 1) * this.#perChatMs;
  }

  /** Resolves when a message to `chat` may be sent; rejects if `signal` aborts first. */
  acquire(chat: string, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new Error('aborted while waiting for a send slot'));
        return;
      }
      const waiter: Waiter = { chat, resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const index = this.#queue.indexOf(waiter);
          if (index >= 0) this.#queue.splice(index, 1);
          if (waiter.timer) {
            clearTimeout(waiter.timer);
            this.#holding--;
          }
          reject(new Error('aborted while waiting for a send slot'));
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.#queue.push(waiter);
      this.#pump();
    });
  }

  /** A send met a 429: every sender (this process and the others) waits `retryAfterSeconds`. */
  pause(retryAfterSeconds: number): void {
    const until = Date.now() + retryAfterSeconds * 1000;
    if (until <= this.#resumeAt) return;
    this.#resumeAt = until;
    this.stats.floodWaits++;
    this.#logger.warn({ retryAfter: retryAfterSeconds }, 'flood wait on a reply: all senders paused');
    void this.#schedule.pauseAll(retryAfterSeconds).catch((error: unknown) => {
      this.#logger.warn({ err: { message: (error as Error).message } }, 'sharing the flood wait failed');
    });
  }

  /** Time (local ms) from which the chat may receive its next message. */
  #chatReadyAt(chat: string): number {
    const tat = this.#chatTat.get(chat);
    return tat === undefined ? 0 : tat - this.#perChatTolerance;
  }

  #pump(): void {
    if (this.#reserving || this.#queue.length === 0) return;
    const now = Date.now();
    const ready: Waiter[] = [];
    let nextGate = Number.POSITIVE_INFINITY;
    const seen = new Set<string>();
    for (const waiter of this.#queue) {
      if (ready.length >= MAX_RESERVATION) break;
      // One message per chat per reservation keeps a chat's messages in their order.
      if (seen.has(waiter.chat)) continue;
      seen.add(waiter.chat);
      const gate = this.#chatReadyAt(waiter.chat);
      if (gate <= now) ready.push(waiter);
      else nextGate = Math.min(nextGate, gate);
    }
    if (ready.length === 0) {
      if (Number.isFinite(nextGate) && nextGate < this.#gateAt) {
        if (this.#gateTimer) clearTimeout(this.#gateTimer);
        this.#gateAt = nextGate;
        this.#gateTimer = setTimeout(() => {
          this.#gateTimer = undefined;
          this.#gateAt = Number.POSITIVE_INFINITY;
          this.#pump();
        }, nextGate - now);
      }
      return;
    }
    for (const waiter of ready) this.#queue.splice(this.#queue.indexOf(waiter), 1);
    this.#reserving = true;
    const sentAt = Date.now();
    this.#schedule
      .reserveSlots(ready.length, this.#rate)
      .then((slots) => {
        this.#clock.observe(slots.now, sentAt, Date.now());
        const offset = this.#clock.offset;
        this.#resumeAt = Math.max(this.#resumeAt, slots.resumeAt.getTime() - offset);
        const first = slots.firstSlot.getTime() - offset;
        ready.forEach((waiter, i) => {
          const slot = first + (i * 1000) / this.#rate;
          this.#chatTat.set(
            waiter.chat,
            Math.max(this.#chatTat.get(waiter.chat) ?? 0, slot) + this.#perChatMs,
          );
          waiter.timer = setTimeout(() => this.#fire(waiter), Math.max(0, slot - Date.now()));
          this.#holding++;
        });
        this.#watchPauses();
      })
      .catch((error: unknown) => {
        // The schedule is unavailable (database restarting): try again shortly, nobody is dropped.
        this.#logger.warn({ err: { message: (error as Error).message } }, 'reserving send slots failed');
        this.#queue.unshift(...ready);
        return new Promise((resolve) => setTimeout(resolve, 250));
      })
      .finally(() => {
        this.#reserving = false;
        this.#forgetIdleChats();
        this.#pump();
      });
  }

  #fire(waiter: Waiter): void {
    // Timers that fire together (a busy event loop) are spread out again: the rate holds locally.
    const now = Date.now();
    const at = Math.max(now, this.#lastGrant + 1000 / this.#rate);
    this.#lastGrant = at;
    if (at > now) waiter.timer = setTimeout(() => this.#grant(waiter), at - now);
    else this.#grant(waiter);
  }

  /**
   * While slots are held, reads the shared pause end every quarter second, so a 429 met by a broadcast
   * worker (another process, or this one) holds the replies too.
   */
  #watchPauses(): void {
    if (this.#watch) return;
    this.#watch = setInterval(() => {
      if (this.#holding === 0) {
        clearInterval(this.#watch);
        this.#watch = undefined;
        return;
      }
      const sentAt = Date.now();
      this.#schedule.floodState().then(
        (state) => {
          this.#clock.observe(state.now, sentAt, Date.now());
          this.#resumeAt = Math.max(this.#resumeAt, state.resumeAt.getTime() - this.#clock.offset);
        },
        () => {},
      );
    }, 250);
    this.#watch.unref();
  }

  #grant(waiter: Waiter): void {
    waiter.timer = undefined;
    this.#holding--;
    if (Date.now() < this.#resumeAt) {
      // A flood wait began after this slot was reserved: take a new one after the pause.
      this.#queue.unshift(waiter);
      this.#pump();
      return;
    }
    if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
    this.stats.granted++;
    waiter.resolve();
  }

  #forgetIdleChats(): void {
    if (this.#chatTat.size < 10_000) return;
    const now = Date.now();
    for (const [chat, tat] of this.#chatTat) if (tat < now) this.#chatTat.delete(chat);
  }
}
