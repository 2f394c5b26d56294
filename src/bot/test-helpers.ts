/**
 * Test helpers: the real bot area pointed at the Telegram emulator, and a scripted citizen who goes
 * through onboarding by pressing the buttons the bot sends.
 */
import type { Bot } from 'grammy';
import {
  type DeliveredMessage,
  startTelegramEmulator,
  type TelegramEmulator,
  type TelegramEmulatorOptions,
} from '../../test/telegram/emulator.js';
import type { Runtime } from '../runtime.js';
import { type BotArea, createBot } from './index.js';
import type { PollingHandle } from './polling.js';

export interface BotHarness {
  emu: TelegramEmulator;
  area: BotArea;
  bot: Bot;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Starts an emulator and the bot (long polling) on a runtime. */
export async function startBotHarness(
  runtime: Runtime,
  options: { emulator?: TelegramEmulatorOptions; env?: Record<string, string>; polling?: boolean } = {},
): Promise<BotHarness> {
  const emu = await startTelegramEmulator({ rateLimits: false, ...options.emulator });
  const env = {
    TELEGRAM_BOT_TOKEN: emu.token,
    TELEGRAM_API_ROOT: emu.apiRoot,
    SVIEDKA_BROADCAST_LEASE_SECONDS: '2',
    SVIEDKA_BROADCAST_TIMEOUT_MS: '1000',
    ...options.env,
  };
  const area = await createBot(runtime, { env, evidence: runtime.areas.evidence });
  const bot = await area.createTelegram();
  let polling: PollingHandle | undefined;
  if (options.polling !== false) polling = await area.startPolling(bot);
  return {
    emu,
    area,
    bot,
    env,
    async stop() {
      await polling?.stop();
      await emu.close();
    },
  };
}

/** Presses a button and waits until the bot has edited that message or sent a new one. */
export async function press(
  emu: TelegramEmulator,
  userId: number,
  messageId: number,
  data: string,
): Promise<DeliveredMessage> {
  const editsBefore = emu.editLog().length;
  const last = emu.lastMessage(userId)?.messageId ?? 0;
  const query = emu.pressButton(userId, messageId, data);
  await emu.waitForCallbackAnswer(query.id);
  return emu.waitFor(
    () => {
      const latest = emu.lastMessage(userId);
      if (latest && latest.messageId > last) return latest;
      if (emu.editLog().length > editsBefore)
        return emu.messagesTo(userId).find((m) => m.messageId === messageId);
      return undefined;
    },
    5000,
    `the bot's reaction to ${data}`,
  );
}

/** Writes a text and waits for the bot's reply. */
export async function say(emu: TelegramEmulator, userId: number, text: string): Promise<DeliveredMessage> {
  const message = emu.sendText(userId, text);
  return emu.waitForMessage(userId, { afterMessageId: message.message_id });
}

/** The whole onboarding: /start, language, region, participation (multi), done. Returns the final message. */
export async function onboard(
  emu: TelegramEmulator,
  userId: number,
  language: 'be' | 'ru' | 'en',
  region: string,
  participation: string[],
): Promise<DeliveredMessage> {
  if (!emu.getUser(userId))
    emu.addUser({ id: userId, firstName: `Citizen ${userId}`, languageCode: language });
  const start = await say(emu, userId, '/start');
  let message = await press(emu, userId, start.messageId, `l:${language}`);
  message = await press(emu, userId, message.messageId, `a:o:region:${region}`);
  for (const option of participation)
    message = await press(emu, userId, message.messageId, `t:o:participation:${option}`);
  return press(emu, userId, message.messageId, 'n:o:participation');
}
