/**
 * Long polling that loses nothing and lets no chat stall the others (grammY runner with a durable
 * source).
 *
 * - Source: each getUpdates batch is stored in the inbox (encrypted, minimized) together with the
 *   offset past it, in one transaction, before any of it is handled. The inbox row goes only once the
 *   update's handling has stored its effects, so a crash or kill -9 replays exactly the unhandled
 *   updates on restart, and Telegram never sends a handled one again.
 * - Sink: updates of different chats are handled concurrently (runner's concurrent sink); grammY
 *   runner's `sequentialize` (installed in telegram-bot.ts) keeps one chat's updates in order. An
 *   update waiting for a send slot costs only a pending promise, so the sink admits thousands: button
 *   presses of citizens already answered are handled while later /start replies still wait their turn.
 * - Handlers are idempotent under replay (telegram-bot.ts): buttons carry the state they set, edits
 *   that change nothing count as done.
 */
import { createConcurrentSink, createRunner, createSource } from '@grammyjs/runner';
import type { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type pino from 'pino';
import type { BotService } from './service.js';
import { publishCommands, scrubError } from './telegram-bot.js';

export const allowedUpdates = ['message', 'callback_query', 'my_chat_member'] as const;

/** Updates handled at once; most of them are waiting for a send slot during a surge. */
const DEFAULT_CONCURRENCY = 10_000;
/** How long stopping waits for updates being handled. */
const STOP_GRACE_MS = 10_000;

export interface PollingHandle {
  /** Settles when polling ends (after `stop()`, or on a fatal error such as a revoked token). */
  running: Promise<void>;
  /** Stops fetching, lets the updates being handled finish and records them as handled. */
  stop(): Promise<void>;
  /** Updates being handled now. */
  active(): number;
}

/** Writes handled update ids in coalesced batches (one statement per batch under load). */
class HandledLog {
  readonly #pending: number[] = [];
  #flushing: Promise<void> | undefined;

  constructor(
    private readonly service: BotService,
    private readonly logger: pino.Logger,
  ) {}

  add(updateId: number): Promise<void> {
    this.#pending.push(updateId);
    return this.flush();
  }

  flush(): Promise<void> {
    this.#flushing ??= (async () => {
      while (this.#pending.length > 0) {
        const ids = this.#pending.splice(0);
        try {
          await this.service.markHandled(ids);
        } catch (error) {
          // Left in the inbox: handled again after a restart, which the handlers tolerate.
          this.logger.warn({ err: scrubError(error) }, 'recording handled updates failed');
        }
      }
    })().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }
}

/**
 * Starts durable long polling with concurrent handling; resolves once the first getUpdates call is
 * about to be made (commands published, leftovers from a previous run queued first).
 */
export async function startPolling(
  bot: Bot,
  options: { service: BotService; logger: pino.Logger; concurrency?: number },
): Promise<PollingHandle> {
  const { service, logger } = options;
  await bot.init();
  await publishCommands(bot).catch((error: unknown) =>
    logger.warn({ err: scrubError(error) }, 'setMyCommands failed'),
  );
  await bot.api.deleteWebhook();

  let offset = await service.pollingOffset();
  let leftovers: Update[] | undefined = await service.unhandledUpdates<Update>();
  if (leftovers.length > 0)
    logger.info({ updates: leftovers.length }, 'handling updates left from the previous run');
  const handled = new HandledLog(service, logger);
  const inProgress = new Set<Promise<void>>();

  const source = createSource({
    supply: async (batchSize, signal) => {
      if (leftovers) {
        const first = leftovers;
        leftovers = undefined;
        if (first.length > 0) return first;
      }
      let retryMs = 250;
      for (;;) {
        try {
          const updates = await bot.api.getUpdates(
            {
              offset,
              limit: Math.max(1, Math.min(batchSize, 100)),
              timeout: 30,
              allowed_updates: [...allowedUpdates],
            },
            signal,
          );
          if (updates.length === 0) return updates;
          const next = updates[updates.length - 1]!.update_id + 1;
          await service.storeUpdates(updates, next);
          offset = next;
          return updates;
        } catch (error) {
          if (signal.aborted) throw error;
          const code = (error as { error_code?: number }).error_code;
          if (code === 401 || code === 409) throw error;
          logger.warn({ err: scrubError(error) }, 'fetching updates failed; retrying');
          await new Promise((resolve) => setTimeout(resolve, retryMs));
          retryMs = Math.min(retryMs * 2, 30_000);
        }
      }
    },
  });

  const sink = createConcurrentSink<Update>(
    {
      consume: (update) => {
        const task = (async () => {
          try {
            await bot.handleUpdate(update);
          } catch (error) {
            try {
              await bot.errorHandler(error as Parameters<typeof bot.errorHandler>[0]);
            } catch (inner) {
              logger.error({ err: scrubError(inner) }, 'the bot error handler failed');
            }
          }
          await handled.add(update.update_id);
        })();
        inProgress.add(task);
        return task.finally(() => inProgress.delete(task));
      },
    },
    async () => {},
    { concurrency: options.concurrency ?? DEFAULT_CONCURRENCY },
  );

  const runner = createRunner(source, sink);
  runner.start();
  const running = (async () => {
    await runner.task();
  })();
  return {
    running,
    active: () => inProgress.size,
    async stop() {
      await runner.stop();
      await running.catch(() => {});
      // Updates still waiting (for a send slot, during a surge) after the grace period stay in the
      // inbox and are handled after the next start.
      const deadline = Date.now() + STOP_GRACE_MS;
      while (inProgress.size > 0 && Date.now() < deadline)
        await Promise.race([
          Promise.allSettled([...inProgress]),
          new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now()))),
        ]);
      await handled.flush();
    },
  };
}
