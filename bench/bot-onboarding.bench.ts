/**
 * Onboarding throughput of the real bot: many simulated citizens at once each go through /start →
 * language → every question of the current questionnaire (single choice: one button; multi-select: one
 * to two toggles, then "done"), one update per step, against the Telegram emulator over long polling.
 * Prints the updates processed per second, p50/p99 latency per update (from the update being queued in
 * the emulator to the bot's reaction reaching it: the reply to /start, the edit of the keyboard message
 * after a button), and the same figures for a same-run baseline: a minimal grammY bot on the same
 * emulator with the same long polling setup that answers each update with one sendMessage or
 * answerCallbackQuery and stores nothing (Telegram round trips and grammY alone). Checks that every
 * citizen finished (confirmed subscribers in the database = citizens) and prints peak memory.
 *
 * The emulator and the citizens run in their own thread, as Telegram and its users are remote; the
 * citizens wait on the emulator's own records (as src/bot/test-helpers.ts does), with checks that cost
 * the same however many messages have been delivered. Flood control is off, as in the bot tests: a
 * reply to a user is not a broadcast, and the figure is the bot's processing rate, not Telegram's limit.
 * grammY's built-in long polling handles one update at a time, so throughput is 1 / (time per update)
 * and the latency mostly measures the queue the concurrent citizens build (Little's law).
 *
 *   npx tsx bench/bot-onboarding.bench.ts                      # quick: 2,000 citizens, 200 at a time
 *   BOT_BENCH_CITIZENS=10000 BOT_BENCH_CONCURRENCY=500 npx tsx bench/bot-onboarding.bench.ts
 *   BOT_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sviedka_bench_onb   # PostgreSQL (database
 *                                                     must exist; the bench empties the bot's tables in it)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isMainThread, parentPort } from 'node:worker_threads';
import { sql } from 'kysely';
import pino from 'pino';
import { startHelperThread } from './support/helper-thread.js';

/** The questionnaire as the citizens see it: which buttons exist. */
interface QuestionShape {
  id: string;
  multi: boolean;
  options: string[];
}

interface RunCommand {
  cmd: 'run';
  /** 'bot': wait for the keyboard edit after a button; 'baseline': for the callback answer. */
  mode: 'bot' | 'baseline';
  firstId: number;
  citizens: number;
  concurrency: number;
  questions: QuestionShape[];
}

interface RunResult {
  updates: number;
  finished: number;
  failed: number;
  firstError?: string;
  wallSeconds: number;
  p50: number;
  p99: number;
  max: number;
}

type EmulatorCommand = RunCommand | { cmd: 'reset' | 'close' };

const languages = ['be', 'ru', 'en'] as const;
const STEP_TIMEOUT_MS = 120_000;

if (!isMainThread) {
  // ---------------------------------------------------------------- emulator and citizens thread
  const { startTelegramEmulator } = await import('../test/telegram/emulator.js');
  type DeliveredMessage = import('../test/telegram/emulator.js').DeliveredMessage;
  const emu = await startTelegramEmulator({ rateLimits: false, logRequests: false });

  const run = async (command: RunCommand): Promise<RunResult> => {
    const latencies: number[] = [];
    let updates = 0;
    let finished = 0;
    let failed = 0;
    let firstError: string | undefined;

    /** The bot's reaction to a button on `message`: an edit of it or a newer message. */
    const press = async (userId: number, message: DeliveredMessage, data: string) => {
      const edits = message.editCount;
      const last = emu.lastMessage(userId)?.messageId ?? 0;
      const queued = performance.now();
      const query = emu.pressButton(userId, message.messageId, data);
      updates++;
      const reaction = await emu.waitFor<DeliveredMessage>(
        () => {
          if (command.mode === 'baseline') return emu.callbackAnswer(query.id)?.answer ? message : undefined;
          if (message.editCount > edits) return message;
          const latest = emu.lastMessage(userId);
          return latest && latest.messageId > last ? latest : undefined;
        },
        STEP_TIMEOUT_MS,
        `the reaction to ${data}`,
      );
      latencies.push(performance.now() - queued);
      return reaction;
    };

    const citizen = async (userId: number, index: number) => {
      const language = languages[index % languages.length]!;
      emu.addUser({ id: userId, firstName: 'Citizen', languageCode: language });
      const queued = performance.now();
      const start = emu.sendText(userId, '/start');
      updates++;
      let message = await emu.waitForMessage(userId, {
        afterMessageId: start.message_id,
        timeoutMs: STEP_TIMEOUT_MS,
      });
      latencies.push(performance.now() - queued);
      message = await press(userId, message, `l:${language}`);
      for (const question of command.questions) {
        const n = question.options.length;
        if (!question.multi) {
          message = await press(userId, message, `a:o:${question.id}:${question.options[index % n]}`);
          continue;
        }
        const chosen = [question.options[index % n]!];
        if (index % 3 === 0 && n > 1) chosen.push(question.options[(index + 1) % n]!);
        for (const option of chosen) message = await press(userId, message, `t:o:${question.id}:${option}`);
        message = await press(userId, message, `n:o:${question.id}`);
      }
    };

    let next = 0;
    const began = performance.now();
    const lane = async () => {
      while (next < command.citizens) {
        const index = next++;
        try {
          await citizen(command.firstId + index, index);
          finished++;
        } catch (error) {
          failed++;
          firstError ??= String((error as Error).message ?? error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(command.concurrency, command.citizens) }, lane));
    const wallSeconds = (performance.now() - began) / 1000;
    latencies.sort((a, b) => a - b);
    const at = (q: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
    return {
      updates,
      finished,
      failed,
      ...(firstError ? { firstError } : {}),
      wallSeconds,
      p50: at(0.5),
      p99: at(0.99),
      max: latencies[latencies.length - 1] ?? 0,
    };
  };

  parentPort!.on('message', async (message: EmulatorCommand) => {
    if (message.cmd === 'run') {
      parentPort!.postMessage(await run(message));
    } else if (message.cmd === 'reset') {
      emu.resetRecords();
      parentPort!.postMessage({ ok: true });
    } else if (message.cmd === 'close') {
      await emu.close();
      parentPort!.postMessage({ ok: true });
    }
  });
  parentPort!.postMessage({ apiRoot: emu.apiRoot, token: emu.token });
} else {
  await main();
}

async function main(): Promise<void> {
  const citizens = Number(process.env.BOT_BENCH_CITIZENS ?? 2000);
  const concurrency = Number(process.env.BOT_BENCH_CONCURRENCY ?? 200);
  const databaseUrl = process.env.BOT_BENCH_DATABASE_URL;

  const { thread: emulator, ready } = await startHelperThread<
    { apiRoot: string; token: string },
    EmulatorCommand
  >(import.meta.url);
  const { apiRoot, token } = ready;
  const ask = emulator.ask;

  const { Bot, InlineKeyboard } = await import('grammy');
  const { cryptoReady } = await import('../src/platform/crypto.js');
  const { loadConfig } = await import('../src/platform/config.js');
  const { openRuntime } = await import('../src/runtime.js');
  const { createBot } = await import('../src/bot/index.js');
  const { startPolling } = await import('../src/bot/telegram-bot.js');
  await cryptoReady();

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sviedka-onboarding-bench-'));
  const config = loadConfig({
    env: databaseUrl ? { DATABASE_URL: databaseUrl } : {},
    flags: { dataDir, logLevel: 'silent', demo: false, workers: false },
  });
  const logger = pino({ level: 'warn' }, pino.destination(2));
  const runtime = await openRuntime(config, { logger });
  const db = runtime.database.db;
  await sql`delete from bot_deliveries`.execute(db);
  await sql`delete from bot_broadcasts`.execute(db);
  await sql`delete from bot_subscribers`.execute(db);

  const area = await createBot(runtime, {
    env: { TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: apiRoot },
    evidence: runtime.areas.evidence,
  });
  const { definition } = await area.service.currentQuestionnaire();
  const questions: QuestionShape[] = definition.questions.map((q) => ({
    id: q.id,
    multi: q.multi,
    options: q.options.map((o) => o.id),
  }));
  const allowedUpdates = ['message', 'callback_query', 'my_chat_member'] as const;

  let peakRss = 0;
  let peakHeap = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 200);

  const describe = (label: string, r: RunResult) =>
    `${label}: ${r.updates} updates from ${r.finished} citizens (${r.failed} failed${r.firstError ? `: ${r.firstError}` : ''}) in ${r.wallSeconds.toFixed(1)} s — ` +
    `${(r.updates / r.wallSeconds).toFixed(0)} updates/s; latency p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms, max ${r.max.toFixed(0)} ms`;

  try {
    // Baseline: one static keyboard holding every button a citizen presses; each button only answered.
    const keyboard = new InlineKeyboard();
    for (const language of languages) keyboard.text(language, `l:${language}`);
    for (const q of questions) {
      keyboard.row();
      for (const option of q.options) keyboard.text(option, `${q.multi ? 't' : 'a'}:o:${q.id}:${option}`);
      if (q.multi) keyboard.text('done', `n:o:${q.id}`);
    }
    const baselineBot = new Bot(token, { client: { apiRoot } });
    baselineBot.on('message', (ctx) => ctx.reply('Choose', { reply_markup: keyboard }));
    baselineBot.on('callback_query', (ctx) => ctx.answerCallbackQuery());
    await baselineBot.init();
    let baselineStarted!: () => void;
    const baselineReady = new Promise<void>((resolve) => {
      baselineStarted = resolve;
    });
    const baselineRunning = baselineBot.start({
      allowed_updates: [...allowedUpdates],
      onStart: () => baselineStarted(),
    });
    await Promise.race([baselineReady, baselineRunning]);
    const baseline = await ask<RunResult>({
      cmd: 'run',
      mode: 'baseline',
      firstId: 3_000_000,
      citizens,
      concurrency,
      questions,
    });
    await baselineBot.stop();
    await baselineRunning;
    process.stdout.write(`${describe('baseline (minimal grammY bot, stores nothing)', baseline)}\n`);
    await ask({ cmd: 'reset' });

    // The real bot, as `sviedka bot` runs it.
    const bot = await area.createTelegram();
    const { running } = await startPolling(bot, runtime.logger);
    const ours = await ask<RunResult>({
      cmd: 'run',
      mode: 'bot',
      firstId: 1_000_000,
      citizens,
      concurrency,
      questions,
    });
    await bot.stop();
    await running;
    process.stdout.write(`${describe('sviedka bot (onboarding)', ours)}\n`);
    clearInterval(sampler);

    const confirmed = await sql<{ n: string | number }>`
      select count(*) as n from bot_subscribers where step = 'done'`.execute(db);
    const subscribers = Number(confirmed.rows[0]!.n);
    const ratio = ours.updates / ours.wallSeconds / (baseline.updates / baseline.wallSeconds);
    process.stdout.write(
      `ratio ours/baseline: ${ratio.toFixed(2)} of the updates/s; p50 latency ×${(ours.p50 / Math.max(baseline.p50, 0.001)).toFixed(1)}\n` +
        `confirmed subscribers in the database: ${subscribers} of ${citizens} citizens${subscribers === citizens ? ' (all finished)' : ' — MISMATCH'}\n` +
        `database: ${runtime.database.kind}; ${concurrency} citizens at a time; peak memory of the process (bot + emulator thread): RSS ${(peakRss / 2 ** 20).toFixed(0)} MB, main-thread heap ${(peakHeap / 2 ** 20).toFixed(0)} MB\n`,
    );
    if (subscribers !== citizens || ours.failed > 0 || baseline.failed > 0) process.exitCode = 1;
  } finally {
    clearInterval(sampler);
    await runtime.close();
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
