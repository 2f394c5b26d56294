/**
 * Every Bot API call of the interactive bot survives flood control and transient failures. Three
 * transformers on grammY's API client, innermost first:
 * 1. send methods wait for a slot of the bot's send budget (one per bot, replies first); a 429 pauses
 *    every sender for its `retry_after`; a failed attempt starts the retry clock;
 * 2. grammY's official auto-retry: a 429 waits `retry_after` and retries, 5xx and network errors retry
 *    with exponential backoff;
 * 3. the retry clock: the time spent retrying (not the time queued for a send slot, which a surge
 *    makes long on purpose) is bounded; past it the call fails with one clear log line. An edit that
 *    changes nothing ("message is not modified", as when a replayed update re-renders the same
 *    keyboard) counts as done, and so does a callback answer Telegram no longer takes ("query is too
 *    old", as for a button press replayed after a crash, answered before it or waiting too long in a
 *    surge): the answer only stops the button's spinner, and the press must still take effect.
 * A 403 (the citizen blocked the bot) is not retried: it reaches the update's error handler, which
 * erases the subscriber.
 */
import { autoRetry } from '@grammyjs/auto-retry';
import type { Api, RawApi, Transformer } from 'grammy';
import type pino from 'pino';
import type { SendBudget } from './send-budget.js';

/** Methods that put a message into a chat: the ones Telegram's flood limits count. */
const sendMethods = new Set([
  'sendMessage',
  'sendPhoto',
  'sendDocument',
  'sendVideo',
  'sendAudio',
  'sendVoice',
  'sendVideoNote',
  'sendAnimation',
  'sendSticker',
  'sendMediaGroup',
  'sendLocation',
  'sendContact',
  'sendPoll',
  'copyMessage',
  'copyMessages',
  'forwardMessage',
  'forwardMessages',
]);

/** A 400 that means the call's purpose is already served (or can no longer be), not a failure. */
function alreadyDone(method: string, description: string): boolean {
  if (/message is not modified/i.test(description)) return true;
  return method === 'answerCallbackQuery' && /query is too old|query id is invalid/i.test(description);
}

/** The retry clock of one call: starts at its first failed attempt. */
interface RetryClock {
  start(): void;
  expired: boolean;
}

export interface FloodControlOptions {
  budget: SendBudget;
  logger: pino.Logger;
  /** Longest total time one call may spend retrying before it gives up. */
  maxRetrySeconds: number;
}

/** Installs the send budget, auto-retry and the bounded retry clock on `api`. */
export function installFloodControl(api: Api<RawApi>, options: FloodControlOptions): void {
  const { budget, logger, maxRetrySeconds } = options;
  const clocks = new WeakMap<AbortSignal, RetryClock>();

  // grammY types its signals with a polyfill's type; at run time they are Node's own AbortSignal.
  const budgeted: Transformer<RawApi> = async (prev, method, payload, signal) => {
    const native = signal as unknown as AbortSignal | undefined;
    const clock = native ? clocks.get(native) : undefined;
    if (sendMethods.has(method)) {
      const chat = (payload as { chat_id?: number | string }).chat_id;
      await budget.acquire(String(chat), native);
    }
    let result: Awaited<ReturnType<typeof prev>>;
    try {
      result = await prev(method, payload, signal);
    } catch (error) {
      clock?.start();
      throw error;
    }
    if (!result.ok) {
      if (result.error_code === 429 && sendMethods.has(method))
        budget.pause(Math.max(1, result.parameters?.retry_after ?? 1));
      if (result.error_code === 429 || result.error_code >= 500) clock?.start();
    }
    return result;
  };

  const bounded: Transformer<RawApi> = async (prev, method, payload, signal) => {
    if (method === 'getUpdates') return prev(method, payload, signal);
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const clock: RetryClock = {
      expired: false,
      start() {
        if (timer) return;
        timer = setTimeout(() => {
          clock.expired = true;
          controller.abort();
        }, maxRetrySeconds * 1000);
      },
    };
    const outer = signal as unknown as AbortSignal | undefined;
    const combined = outer ? AbortSignal.any([outer, controller.signal]) : controller.signal;
    clocks.set(combined, clock);
    try {
      const result = await prev(method, payload, combined as unknown as typeof signal);
      if (!result.ok && result.error_code === 400 && alreadyDone(method, result.description))
        return { ok: true, result: true } as unknown as typeof result;
      if (!result.ok && (result.error_code === 429 || result.error_code >= 500))
        logger.warn(
          { method, code: result.error_code },
          'a Bot API call kept failing; gave up retrying (the retry limit was reached)',
        );
      return result;
    } catch (error) {
      if (clock.expired)
        logger.warn(
          { method, retrySeconds: maxRetrySeconds },
          'a Bot API call kept failing; gave up after the longest retry time',
        );
      throw error;
    } finally {
      if (timer) clearTimeout(timer);
    }
  };

  api.config.use(budgeted, autoRetry({ maxDelaySeconds: maxRetrySeconds }), bounded);
}
