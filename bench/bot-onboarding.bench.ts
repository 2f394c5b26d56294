/**
 * Onboarding under a surge, with Telegram's flood control on (the emulator enforces 30 messages a
 * second for the bot, 1 a second per chat with bursts of 5, a 429 with retry_after on every send past
 * them, and refuses every send during a flood wait). Many simulated citizens press /start at once and
 * go through the questionnaire (language, region, participation).
 *
 * Reports, for the real bot (`sviedka bot`: durable polling, concurrent handling, one send budget,
 * auto-retry): citizens onboarded, messages the bot had to send, the time taken against the floor
 * (messages ÷ 30 per second), replies lost (must be 0), p50/p95 from /start to the first question
 * (the language question) and to the end of the questionnaire. Then the same surge while a broadcast
 * runs at the limit: the new citizens' time to first answer and the broadcast's achieved rate.
 *
 * Same-run baseline: a minimal grammY bot (built-in long polling, no retry) answering each /start with
 * one message under the same limits — what the project's bot did before, which lost most replies.
 *
 * The emulator and the citizens run in their own thread, as Telegram and its users are remote.
 *
 *   npx tsx bench/bot-onboarding.bench.ts                          # 1,000 citizens, broadcast to 600
 *   BOT_BENCH_CITIZENS=300 BOT_BENCH_BROADCAST=0 npx tsx bench/bot-onboarding.bench.ts   # quick
 *   BOT_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sviedka_bench_onb   # PostgreSQL (database
 *                                                     must exist; the bench empties the bot's tables in it)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isMainThread, parentPort } from 'node:worker_threads';
import { sql } from 'kysely';
import pino from 'pino';
import type { QuestionShape, SurgeResult } from '../test/telegram/surge.js';
import { startHelperThread } from './support/helper-thread.js';

interface RunCommand {
  cmd: 'run';
  firstId: number;
  citizens: number;
  questions: QuestionShape[];
  firstReplyOnly: boolean;
  stepTimeoutMs: number;
}

interface RunAnswer {
  result: SurgeResult;
  /** Messages the bot delivered to the surge's citizens. */
  messages: number;
  rateLimited: number;
  floodWaitViolations: number;
}

type EmulatorCommand =
  | RunCommand
  | { cmd: 'users'; ids: number[] }
  | { cmd: 'delivered' }
  | { cmd: 'reset' | 'close' };

const GLOBAL_RATE = 30;

if (!isMainThread) {
  // ---------------------------------------------------------------- emulator and citizens thread
  const { startTelegramEmulator } = await import('../test/telegram/emulator.js');
  const { surge } = await import('../test/telegram/surge.js');
  const emu = await startTelegramEmulator({ rateLimits: true, logRequests: false });

  parentPort!.on('message', async (message: EmulatorCommand) => {
    if (message.cmd === 'run') {
      const before = emu.stats();
      const result = await surge(emu, {
        firstId: message.firstId,
        count: message.citizens,
        questions: message.questions,
        firstReplyOnly: message.firstReplyOnly,
        stepTimeoutMs: message.stepTimeoutMs,
      });
      const after = emu.stats();
      const counts = emu.countsPerChat();
      let messages = 0;
      for (let id = message.firstId; id < message.firstId + message.citizens; id++)
        messages += counts.get(id) ?? 0;
      const answer: RunAnswer = {
        result,
        messages,
        rateLimited: after.rateLimited - before.rateLimited,
        floodWaitViolations: after.floodWaitViolations - before.floodWaitViolations,
      };
      parentPort!.postMessage(answer);
    } else if (message.cmd === 'users') {
      for (const id of message.ids) emu.addUser({ id, firstName: 'Subscriber' });
      parentPort!.postMessage({ ok: true });
    } else if (message.cmd === 'delivered') {
      parentPort!.postMessage(emu.deliveredCount());
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
  const citizens = Number(process.env.BOT_BENCH_CITIZENS ?? 1000);
  const broadcastRecipients = Number(process.env.BOT_BENCH_BROADCAST ?? 600);
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
  const { quantile } = await import('../test/telegram/surge.js');
  await cryptoReady();

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sviedka-onboarding-bench-'));
  const config = loadConfig({
    env: databaseUrl ? { DATABASE_URL: databaseUrl } : {},
    flags: { dataDir, logLevel: 'silent', demo: false, workers: false },
  });
  const logger = pino({ level: 'warn' }, pino.destination(2));
  const runtime = await openRuntime(config, { logger });
  const db = runtime.database.db;
  for (const table of ['bot_deliveries', 'bot_broadcasts', 'bot_subscribers', 'bot_inbox'])
    await sql`delete from ${sql.table(table)}`.execute(db);

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
  const seconds = (ms: number) => (ms / 1000).toFixed(1);
  const describe = (label: string, a: RunAnswer, full: boolean) => {
    const r = a.result;
    const lost = r.citizens - r.firstReplyMs.length;
    const floor = a.messages / GLOBAL_RATE;
    const wall = full ? quantile(r.completeMs, 1) : quantile(r.firstReplyMs, 1);
    return (
      `${label}: ${full ? `${r.completed} of ${r.citizens} citizens onboarded` : `${r.firstReplyMs.length} of ${r.citizens} answered`}, ` +
      `replies lost ${lost}; ${a.messages} messages sent in ${seconds(wall)} s (floor ${floor.toFixed(1)} s at ${GLOBAL_RATE}/s, ` +
      `×${(wall / 1000 / Math.max(floor, 0.001)).toFixed(2)}); /start → first question p50 ${seconds(quantile(r.firstReplyMs, 0.5))} s, ` +
      `p95 ${seconds(quantile(r.firstReplyMs, 0.95))} s` +
      (full
        ? `; /start → onboarded p50 ${seconds(quantile(r.completeMs, 0.5))} s, p95 ${seconds(quantile(r.completeMs, 0.95))} s`
        : '') +
      `; 429s ${a.rateLimited}, sends during a flood wait ${a.floodWaitViolations}`
    );
  };

  let failed = false;
  try {
    // Baseline: a minimal grammY bot, one reply per /start, no retry, built-in sequential polling.
    const keyboard = new InlineKeyboard().text('be', 'l:be').text('ru', 'l:ru').text('en', 'l:en');
    const baselineBot = new Bot(token, { client: { apiRoot } });
    baselineBot.on('message', (ctx) => ctx.reply('Choose', { reply_markup: keyboard }));
    baselineBot.catch(() => {});
    await baselineBot.init();
    let baselineStarted!: () => void;
    const baselineReady = new Promise<void>((resolve) => {
      baselineStarted = resolve;
    });
    const baselineRunning = baselineBot.start({ onStart: () => baselineStarted() });
    await Promise.race([baselineReady, baselineRunning]);
    const baseline = await ask<RunAnswer>({
      cmd: 'run',
      firstId: 3_000_000,
      citizens,
      questions,
      firstReplyOnly: true,
      stepTimeoutMs: Math.max(20_000, (citizens / GLOBAL_RATE) * 2000),
    });
    await baselineBot.stop();
    await baselineRunning;
    process.stdout.write(`${describe('baseline (minimal grammY bot, no retry)', baseline, false)}\n`);
    await ask({ cmd: 'reset' });

    // The real bot, as `sviedka bot` runs it.
    const bot = await area.createTelegram();
    const polling = await area.startPolling(bot);
    const ours = await ask<RunAnswer>({
      cmd: 'run',
      firstId: 1_000_000,
      citizens,
      questions,
      firstReplyOnly: false,
      stepTimeoutMs: 600_000,
    });
    process.stdout.write(`${describe('sviedka bot (surge)', ours, true)}\n`);
    const lost = ours.result.citizens - ours.result.firstReplyMs.length;
    if (lost > 0 || ours.result.completed !== citizens) failed = true;
    const ratio = quantile(ours.result.completeMs, 1) / 1000 / (ours.messages / GLOBAL_RATE);
    process.stdout.write(
      `time to onboard ${citizens} citizens as a ratio to the floor: ×${ratio.toFixed(2)} (goal ≤ 1.2); ` +
        `replies lost: ours ${lost}, baseline ${baseline.result.citizens - baseline.result.firstReplyMs.length}\n`,
    );

    if (broadcastRecipients > 0) {
      const ids = Array.from({ length: broadcastRecipients }, (_, i) => 5_000_000 + i);
      await ask({ cmd: 'users', ids });
      for (const id of ids) {
        const view = await area.service.begin(id, id, 'be');
        await area.service.saveAnswer(view.ref, 'region', ['brest'], 'q:participation');
        await area.service.saveAnswer(view.ref, 'participation', ['quiet'], 'done');
      }
      const created = await area.service.createBroadcast(
        { type: 'system', label: 'bench' },
        {
          audience: { segments: ['quiet'], mode: 'any', region: 'brest' },
          content: {
            versions: {
              be: { text: 'Інструкцыя', parseMode: null },
              ru: { text: 'Инструкция', parseMode: null },
              en: { text: 'Instruction', parseMode: null },
            },
            media: null,
          },
          rate: GLOBAL_RATE,
          paid: false,
          resendUnknown: false,
        },
      );
      const worker = await area.createWorker();
      worker.start();
      // Let the broadcast reach its rate, then the surge.
      const warmStart = performance.now();
      while (worker.stats.sent < GLOBAL_RATE * 2 && performance.now() - warmStart < 30_000)
        await new Promise((resolve) => setTimeout(resolve, 100));
      const aloneRate = worker.stats.sent / ((performance.now() - warmStart) / 1000);
      const sentBefore = worker.stats.sent;
      const during = await ask<RunAnswer>({
        cmd: 'run',
        firstId: 2_000_000,
        citizens,
        questions,
        firstReplyOnly: false,
        stepTimeoutMs: 600_000,
      });
      const broadcastSent = worker.stats.sent - sentBefore;
      const wall = quantile(during.result.completeMs, 1) / 1000;
      process.stdout.write(
        `${describe('sviedka bot (surge during a broadcast)', during, true)}\n` +
          `broadcast: ${aloneRate.toFixed(1)}/s alone before the surge, ${(broadcastSent / wall).toFixed(1)}/s during it ` +
          `(${broadcastSent} sent while ${during.messages} replies went out; together ${((broadcastSent + during.messages) / wall).toFixed(1)}/s of ${GLOBAL_RATE}/s)\n`,
      );
      if (during.result.completed !== citizens) failed = true;
      await worker.stop();
      await area.service.cancelBroadcast({ type: 'system', label: 'bench' }, created.id).catch(() => {});
    }
    await polling.stop();
    process.stdout.write(
      `database: ${runtime.database.kind}; machine load (1 min): ${os.loadavg()[0]!.toFixed(1)}\n`,
    );
    if (failed) process.exitCode = 1;
  } finally {
    await runtime.close();
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
