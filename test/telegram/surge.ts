/**
 * A surge of simulated citizens against the Telegram emulator: many press /start at once, then each
 * goes through the questionnaire by pressing the buttons the bot shows. Used by the surge tests and
 * the onboarding benchmark; it checks only what a citizen sees, at a cost per check that does not grow
 * with the number of messages delivered.
 */
import type { DeliveredMessage, TelegramEmulator } from './emulator.js';

/** The questionnaire as a citizen sees it: which buttons exist. */
export interface QuestionShape {
  id: string;
  multi: boolean;
  options: string[];
}

/** What a surge of citizens saw. Times are milliseconds from the citizen's /start. */
export interface SurgeResult {
  citizens: number;
  /** Citizens who went through the whole questionnaire. */
  completed: number;
  /** Citizens who never got an answer to /start within the time limit. */
  unanswered: number;
  /** /start → the bot's first reply (the language question). */
  firstReplyMs: number[];
  /** /start → the confirmation at the end of the questionnaire. */
  completeMs: number[];
  /** Wall time from the first /start to the last confirmation. */
  wallMs: number;
  firstError?: string;
}

/**
 * `count` citizens (ids from `firstId`) send /start at once, then each presses a language, one answer
 * per single-choice question, one or two options and "done" per multi-choice one.
 */
export async function surge(
  emu: TelegramEmulator,
  options: {
    firstId: number;
    count: number;
    questions: QuestionShape[];
    /** How long a citizen waits for any one reaction. Default 10 minutes. */
    stepTimeoutMs?: number;
    /** Stop after the first reply (for bots that do not run the questionnaire). */
    firstReplyOnly?: boolean;
  },
): Promise<SurgeResult> {
  const languages = ['be', 'ru', 'en'] as const;
  const timeout = options.stepTimeoutMs ?? 600_000;
  const result: SurgeResult = {
    citizens: options.count,
    completed: 0,
    unanswered: 0,
    firstReplyMs: [],
    completeMs: [],
    wallMs: 0,
  };
  const began = performance.now();

  /** Presses a button on the questionnaire message and waits for the bot to edit it. */
  const pressAndWait = async (userId: number, message: DeliveredMessage, data: string) => {
    const edits = message.editCount;
    emu.pressButton(userId, message.messageId, data);
    return emu.waitFor<DeliveredMessage>(
      () => (message.editCount > edits ? message : undefined),
      timeout,
      `the reaction to ${data}`,
    );
  };

  const starts = Array.from({ length: options.count }, (_, index) => {
    const userId = options.firstId + index;
    const language = languages[index % languages.length]!;
    emu.addUser({ id: userId, firstName: 'Citizen', languageCode: language });
    return { userId, index, language, at: performance.now(), start: emu.sendText(userId, '/start') };
  });

  await Promise.all(
    starts.map(async ({ userId, index, language, at, start }) => {
      let message: DeliveredMessage;
      try {
        message = await emu.waitForMessage(userId, { afterMessageId: start.message_id, timeoutMs: timeout });
      } catch (error) {
        result.unanswered++;
        result.firstError ??= String((error as Error).message);
        return;
      }
      result.firstReplyMs.push(performance.now() - at);
      if (options.firstReplyOnly) return;
      try {
        message = await pressAndWait(userId, message, `l:${language}`);
        for (const question of options.questions) {
          const n = question.options.length;
          if (!question.multi) {
            message = await pressAndWait(
              userId,
              message,
              `a:o:${question.id}:${question.options[index % n]}`,
            );
            continue;
          }
          const chosen = [question.options[index % n]!];
          if (index % 3 === 0 && n > 1) chosen.push(question.options[(index + 1) % n]!);
          for (const option of chosen)
            message = await pressAndWait(userId, message, `t:o:${question.id}:${option}`);
          message = await pressAndWait(userId, message, `n:o:${question.id}`);
        }
        if (message.replyMarkup) throw new Error(`citizen ${userId} was left with a keyboard`);
        result.completed++;
        result.completeMs.push(performance.now() - at);
      } catch (error) {
        result.firstError ??= String((error as Error).message);
      }
    }),
  );
  result.wallMs = performance.now() - began;
  return result;
}

/** The q-quantile of `values` (sorted in place). */
export function quantile(values: number[], q: number): number {
  values.sort((a, b) => a - b);
  return values[Math.min(values.length - 1, Math.floor(q * values.length))] ?? 0;
}
