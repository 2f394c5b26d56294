/**
 * The interactive bot (grammY): onboarding, settings, help, erasure and evidence intake. It holds the
 * master key ring (for the HMAC ref and answer encryption) and the broadcast PUBLIC key only: it can
 * seal a chat id but never open one.
 *
 * Conversation state is only the subscriber's current step; the mode of a keyboard (onboarding or
 * editing from /settings) travels in the callback data. Nothing from an update is logged except its
 * type: grammY's errors carry the whole update, so they are reduced to a scrubbed message here.
 */
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sequentialize } from '@grammyjs/runner';
import { Bot, type Context, GrammyError, InlineKeyboard } from 'grammy';
import type pino from 'pino';
import type { EvidenceSink } from './evidence-sink.js';
import { installFloodControl } from './flood-control.js';
import { type BotLanguage, botLanguages, type Question } from './model.js';
import type { SendBudget } from './send-budget.js';
import type { BotService, SubscriberView } from './service.js';
import type { BotSettings } from './settings.js';
import { chooseLanguagePrompt, commandDescriptions, languageNames, texts } from './texts.js';

const PUBLIC_DOWNLOAD_LIMIT = 20 * 1024 * 1024;
/** Longest total time one Bot API call or file download spends retrying before it gives up. */
const MAX_RETRY_SECONDS = 120;

/** Removes anything id-like from an error message before it is logged. */
export function scrubError(error: unknown): { name: string; message: string; code?: number } {
  const e = error as { name?: string; message?: string; error?: unknown; error_code?: number };
  const inner = e?.error && typeof e.error === 'object' ? (e.error as typeof e) : e;
  const message = String(inner?.message ?? error)
    .replace(/bot\d+:[A-Za-z0-9_-]+/g, 'bot<token>')
    .replace(/\d{5,}/g, '#')
    .slice(0, 300);
  return {
    name: String(inner?.name ?? 'Error'),
    message,
    ...(inner?.error_code ? { code: inner.error_code } : {}),
  };
}

/**
 * Downloads a file from the Bot API, retrying 429, 5xx and network failures with backoff for at most
 * MAX_RETRY_SECONDS in total (the URL holds the token: it never reaches an error message).
 */
async function download(url: string): Promise<Response & { body: ReadableStream }> {
  const deadline = Date.now() + MAX_RETRY_SECONDS * 1000;
  let waitMs = 1000;
  for (;;) {
    let status = 0;
    try {
      const response = await fetch(url);
      if (response.ok && response.body) return response as Response & { body: ReadableStream };
      status = response.status;
      const retryAfter = Number(response.headers.get('retry-after'));
      if (status === 429 && retryAfter > 0) waitMs = retryAfter * 1000;
      await response.body?.cancel();
    } catch {
      status = 0;
    }
    const transient = status === 0 || status === 429 || status >= 500;
    if (!transient || Date.now() + waitMs > deadline) throw new Error(`download failed (${status})`);
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    waitMs = Math.min(waitMs * 2, 30_000);
  }
}

/** A language for someone not (yet) subscribed, from the client's language; used, never stored. */
function guessLanguage(ctx: Context): BotLanguage {
  const code = ctx.from?.language_code?.slice(0, 2);
  if (code === 'be') return 'be';
  if (code === 'ru' || code === 'uk') return 'ru';
  return 'en';
}

function languageKeyboard(): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const language of botLanguages) keyboard.text(languageNames[language], `l:${language}`);
  return keyboard;
}

type Mode = 'o' | 'e';

function questionKeyboard(
  question: Question,
  language: BotLanguage,
  mode: Mode,
  chosen: string[],
): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  question.options.forEach((option, index) => {
    const selected = chosen.includes(option.id);
    const mark = selected ? '✓ ' : '';
    // A multi-choice button says which state it sets ('t' select, 'u' unselect), so a replayed or
    // doubled press changes nothing more.
    const prefix = question.multi ? (selected ? 'u' : 't') : 'a';
    keyboard.text(`${mark}${option.label[language]}`, `${prefix}:${mode}:${question.id}:${option.id}`);
    if (index % 2 === 1 || question.multi) keyboard.row();
  });
  if (question.multi) keyboard.row().text(`→ ${texts[language].done}`, `n:${mode}:${question.id}`);
  return keyboard;
}

function settingsKeyboard(subscriber: SubscriberView, questions: Question[]): InlineKeyboard {
  const t = texts[subscriber.language];
  const keyboard = new InlineKeyboard().text(t.settingsLanguage, 's:lang').row();
  for (const question of questions)
    keyboard.text(question.text[subscriber.language], `s:q:${question.id}`).row();
  return keyboard.text(`✕ ${t.settingsDelete}`, 'x:delete');
}

export interface TelegramBotOptions {
  service: BotService;
  settings: BotSettings;
  logger: pino.Logger;
  evidence: EvidenceSink;
  /** The bot's send budget (shared with the broadcast workers through the database). */
  budget: SendBudget;
}

/** Builds the grammY bot with every handler; `start()` it for long polling. */
export function createTelegramBot(options: TelegramBotOptions): Bot {
  const { service, settings, logger, evidence } = options;
  if (!settings.token) throw new Error('SVD_BOT_NOT_CONFIGURED');
  const token = settings.token;
  const bot = new Bot(token, { client: { apiRoot: settings.apiRoot } });
  installFloodControl(bot.api, { budget: options.budget, logger, maxRetrySeconds: MAX_RETRY_SECONDS });
  // Updates are handled concurrently (polling.ts); one chat's updates stay in order.
  bot.use(sequentialize((ctx: Context) => String(ctx.chat?.id ?? ctx.from?.id ?? '')));

  const subscriberOf = async (ctx: Context) =>
    ctx.from ? service.subscriber(service.refOf(ctx.from.id)) : undefined;

  const askQuestion = async (ctx: Context, subscriber: SubscriberView, questionId: string, mode: Mode) => {
    const definition = await service.definition(await service.latestVersion());
    const question = definition.questions.find((q) => q.id === questionId);
    if (!question) return;
    const markup = questionKeyboard(
      question,
      subscriber.language,
      mode,
      subscriber.answers[question.id] ?? [],
    );
    await ctx.editMessageText(question.text[subscriber.language], { reply_markup: markup });
  };

  /** After a question is answered: the next question, or the end of onboarding / the edit. */
  const advance = async (
    ctx: Context,
    subscriber: SubscriberView,
    questionId: string,
    mode: Mode,
    chosen: string[],
  ) => {
    const definition = await service.definition(await service.latestVersion());
    const index = definition.questions.findIndex((q) => q.id === questionId);
    const next = mode === 'o' ? definition.questions[index + 1] : undefined;
    const step = mode === 'e' ? subscriber.step : next ? `q:${next.id}` : 'done';
    const updated = await service.saveAnswer(subscriber.ref, questionId, chosen, step);
    if (next) return askQuestion(ctx, updated, next.id, mode);
    const t = texts[updated.language];
    await ctx.editMessageText(mode === 'o' ? t.confirmed : t.saved);
  };

  bot.command('start', async (ctx) => {
    const subscriber = await subscriberOf(ctx);
    if (subscriber?.step === 'done') {
      await ctx.reply(texts[subscriber.language].alreadySubscribed);
      return;
    }
    await ctx.reply(chooseLanguagePrompt, { reply_markup: languageKeyboard() });
  });

  bot.command('help', async (ctx) => {
    const subscriber = await subscriberOf(ctx);
    await ctx.reply(texts[subscriber?.language ?? guessLanguage(ctx)].help);
  });

  bot.command('settings', async (ctx) => {
    const subscriber = await subscriberOf(ctx);
    if (subscriber?.step !== 'done') {
      await ctx.reply(texts[subscriber?.language ?? guessLanguage(ctx)].notSubscribed);
      return;
    }
    const definition = await service.definition(await service.latestVersion());
    await ctx.reply(texts[subscriber.language].settings, {
      reply_markup: settingsKeyboard(subscriber, definition.questions),
    });
  });

  const erase = async (ctx: Context) => {
    if (!ctx.from) return;
    const subscriber = await subscriberOf(ctx);
    const language = subscriber?.language ?? guessLanguage(ctx);
    await service.erase(service.refOf(ctx.from.id), 'delete_command');
    await ctx.reply(texts[language].deleted);
  };
  bot.command(['delete', 'forget'], erase);

  bot.callbackQuery(/^l:(be|ru|en)$/, async (ctx) => {
    const language = ctx.match[1] as BotLanguage;
    const existing = await subscriberOf(ctx);
    await ctx.answerCallbackQuery();
    if (existing?.step === 'done') {
      await service.setLanguage(existing.ref, language);
      await ctx.editMessageText(`${texts[language].languageSet} ${texts[language].saved}`);
      return;
    }
    const subscriber = await service.begin(ctx.from.id, ctx.chat?.id ?? ctx.from.id, language);
    await askQuestion(ctx, subscriber, subscriber.step.slice(2), 'o');
  });

  bot.callbackQuery(/^([atun]):([oe]):([a-z0-9-]+)(?::([a-z0-9-]+))?$/, async (ctx) => {
    const [, kind, mode, questionId, optionId] = ctx.match as unknown as [
      string,
      string,
      Mode,
      string,
      string?,
    ];
    const subscriber = await subscriberOf(ctx);
    if (!subscriber) {
      await ctx.answerCallbackQuery({ text: texts[guessLanguage(ctx)].startFirst, show_alert: true });
      return;
    }
    const t = texts[subscriber.language];
    if (kind === 'a' && optionId) {
      await ctx.answerCallbackQuery();
      await advance(ctx, subscriber, questionId, mode, [optionId]);
      return;
    }
    if ((kind === 't' || kind === 'u') && optionId) {
      // An opt-out ("Prefer not to say", no segment) excludes the other answers and they exclude it.
      const definition = await service.definition(await service.latestVersion());
      const optOuts = new Set(
        definition.questions
          .find((q) => q.id === questionId)
          ?.options.filter((o) => o.segment === null)
          .map((o) => o.id),
      );
      const current = (subscriber.answers[questionId] ?? []).filter((id) => id !== optionId);
      const chosen =
        kind === 'u'
          ? current
          : optOuts.has(optionId)
            ? [optionId]
            : [...current.filter((id) => !optOuts.has(id)), optionId];
      const updated = await service.saveAnswer(subscriber.ref, questionId, chosen, subscriber.step);
      await ctx.answerCallbackQuery();
      await askQuestion(ctx, updated, questionId, mode);
      return;
    }
    if (kind === 'n') {
      const chosen = subscriber.answers[questionId] ?? [];
      if (chosen.length === 0) {
        await ctx.answerCallbackQuery({ text: t.pickAtLeastOne, show_alert: true });
        return;
      }
      await ctx.answerCallbackQuery();
      await advance(ctx, subscriber, questionId, mode, chosen);
    }
  });

  bot.callbackQuery(/^s:(lang|q:([a-z0-9-]+))$/, async (ctx) => {
    const subscriber = await subscriberOf(ctx);
    await ctx.answerCallbackQuery();
    if (subscriber?.step !== 'done') {
      await ctx.editMessageText(texts[subscriber?.language ?? guessLanguage(ctx)].notSubscribed);
      return;
    }
    if (ctx.match[1] === 'lang') {
      await ctx.editMessageText(chooseLanguagePrompt, { reply_markup: languageKeyboard() });
      return;
    }
    await askQuestion(ctx, subscriber, ctx.match[2]!, 'e');
  });

  bot.callbackQuery('x:delete', async (ctx) => {
    await ctx.answerCallbackQuery();
    const subscriber = await subscriberOf(ctx);
    const language = subscriber?.language ?? guessLanguage(ctx);
    await service.erase(service.refOf(ctx.from.id), 'delete_command');
    await ctx.editMessageText(texts[language].deleted);
  });

  bot.on('callback_query', (ctx) => ctx.answerCallbackQuery());

  // Blocking the bot: Telegram reports it with my_chat_member 'kicked' in the private chat.
  bot.on('my_chat_member', async (ctx) => {
    const update = ctx.myChatMember;
    if (update.chat.type === 'private' && update.new_chat_member.status === 'kicked')
      await service.erase(service.refOf(update.from.id), 'blocked');
  });

  // Evidence: files and text reports go to the vault, linked to the channel, not to the sender. File
  // names are dropped, as the submission page drops them: a name often says who or where.
  const receive = async (
    ctx: Context,
    fileId: string | undefined,
    size: number | undefined,
    mediaType: string | undefined,
  ) => {
    const subscriber = await subscriberOf(ctx);
    const t = texts[subscriber?.language ?? guessLanguage(ctx)];
    let stored: Awaited<ReturnType<EvidenceSink['store']>>;
    try {
      if (fileId) {
        if (!settings.localServer && size !== undefined && size > PUBLIC_DOWNLOAD_LIMIT) {
          await ctx.reply(t.evidenceTooBig(settings.submitUrl));
          return;
        }
        const file = await ctx.api.getFile(fileId);
        if (!file.file_path) throw new Error('no file path');
        if (settings.localServer && path.isAbsolute(file.file_path)) {
          stored = await evidence.store(createReadStream(file.file_path), undefined, mediaType);
          // The local Bot API server would otherwise keep an unencrypted copy for up to a day.
          await rm(file.file_path, { force: true });
        } else {
          const response = await download(`${settings.apiRoot}/file/bot${token}/${file.file_path}`);
          stored = await evidence.store(
            Readable.fromWeb(response.body as import('node:stream/web').ReadableStream),
            undefined,
            mediaType,
          );
        }
      } else {
        const text = ctx.message?.text ?? '';
        stored = await evidence.store(Readable.from([Buffer.from(text, 'utf8')]), 'report.txt', 'text/plain');
      }
    } catch (error) {
      if (error instanceof GrammyError && /too big/i.test(error.description)) {
        await ctx.reply(t.evidenceTooBig(settings.submitUrl));
        return;
      }
      logger.warn({ err: scrubError(error) }, 'evidence from the bot was not stored');
      await ctx.reply(t.evidenceFailed);
      return;
    }
    logger.info({ sink: evidence.kind, size: stored.size }, 'evidence received through the bot');
    let messageDeleted = false;
    if (settings.deleteEvidenceMessages)
      messageDeleted = await ctx.deleteMessage().then(
        () => true,
        () => false,
      );
    await ctx.reply(t.evidenceStored(stored.receipt, messageDeleted));
  };

  bot.on('message:photo', (ctx) => {
    const largest = ctx.message.photo[ctx.message.photo.length - 1]!;
    return receive(ctx, largest.file_id, largest.file_size, 'image/jpeg');
  });
  bot.on('message:video', (ctx) =>
    receive(ctx, ctx.message.video.file_id, ctx.message.video.file_size, ctx.message.video.mime_type),
  );
  bot.on('message:document', (ctx) =>
    receive(
      ctx,
      ctx.message.document.file_id,
      ctx.message.document.file_size,
      ctx.message.document.mime_type,
    ),
  );
  bot.on('message:voice', (ctx) =>
    receive(ctx, ctx.message.voice.file_id, ctx.message.voice.file_size, ctx.message.voice.mime_type),
  );
  bot.on('message:audio', (ctx) =>
    receive(ctx, ctx.message.audio.file_id, ctx.message.audio.file_size, ctx.message.audio.mime_type),
  );
  bot.on('message:video_note', (ctx) =>
    receive(ctx, ctx.message.video_note.file_id, ctx.message.video_note.file_size, 'video/mp4'),
  );
  bot.on('message:text', async (ctx) => {
    if (ctx.message.text.startsWith('/')) {
      const subscriber = await subscriberOf(ctx);
      await ctx.reply(texts[subscriber?.language ?? guessLanguage(ctx)].help);
      return;
    }
    await receive(ctx, undefined, undefined, undefined);
  });

  bot.catch(async (error) => {
    const cause = error.error;
    logger.warn(
      { err: scrubError(cause), update: Object.keys(error.ctx.update).filter((k) => k !== 'update_id') },
      'bot update failed',
    );
    // The user blocked the bot between their update and our reply: erase them as for a broadcast 403.
    if (cause instanceof GrammyError && cause.error_code === 403 && error.ctx.from) {
      await service.erase(service.refOf(error.ctx.from.id), 'blocked').catch(() => {});
    }
  });

  return bot;
}

/** Publishes the command list in each language (the default list is Belarusian). */
export async function publishCommands(bot: Bot): Promise<void> {
  await bot.api.setMyCommands(commandDescriptions.be);
  for (const language of botLanguages)
    await bot.api.setMyCommands(commandDescriptions[language], { language_code: language });
}
