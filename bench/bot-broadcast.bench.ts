/**
 * Broadcast throughput against the Telegram emulator (running in its own thread, as Telegram is a
 * remote server): the achieved send rate as a ratio to the allowed rate, peak memory, and the time to
 * snapshot the recipients (decrypting every subscriber's answers) against a same-run SQL-only baseline
 * (an INSERT … SELECT of the refs in random order, with no decryption).
 *
 *   npx tsx bench/bot-broadcast.bench.ts                       # quick: 20,000 at 1000/s, 600 at 30/s
 *   BOT_BENCH_SUBSCRIBERS=200000 BOT_BENCH_FREE_SUBSCRIBERS=5000 npx tsx bench/bot-broadcast.bench.ts
 *   BOT_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sviedka_bench   # PostgreSQL (database must exist)
 *   BOT_BENCH_ONLY=paid|free                                    # one of the two runs
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isMainThread, parentPort } from 'node:worker_threads';
import { sql } from 'kysely';
import pino from 'pino';
import { startHelperThread } from './support/helper-thread.js';

interface EmulatorCommand {
  cmd: 'users' | 'stats' | 'reset' | 'close';
  from?: number;
  count?: number;
}

if (!isMainThread) {
  // ---------------------------------------------------------------- emulator thread
  const { startTelegramEmulator } = await import('../test/telegram/emulator.js');
  const emu = await startTelegramEmulator({
    rateLimits: true,
    globalRate: 30,
    paidBroadcastRate: 1000,
    perChatRate: 1,
    retryAfter: 'auto',
    logRequests: false,
  });
  parentPort!.on('message', async (message: EmulatorCommand) => {
    if (message.cmd === 'users') {
      for (let i = 0; i < message.count!; i++) emu.addUser({ id: message.from! + i, firstName: 'P' });
      parentPort!.postMessage({ ok: true });
    } else if (message.cmd === 'stats') {
      let max = 0;
      for (const n of emu.countsPerChat().values()) if (n > max) max = n;
      const stats = emu.stats();
      parentPort!.postMessage({
        delivered: stats.delivered,
        rateLimited: stats.rateLimited,
        floodWaitViolations: stats.floodWaitViolations,
        maxPerChat: max,
      });
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
  const paidSize = Number(process.env.BOT_BENCH_SUBSCRIBERS ?? 20_000);
  const freeSize = Number(process.env.BOT_BENCH_FREE_SUBSCRIBERS ?? 600);
  const only = process.env.BOT_BENCH_ONLY;
  const databaseUrl = process.env.BOT_BENCH_DATABASE_URL;

  const { thread: emulator, ready } = await startHelperThread<
    { apiRoot: string; token: string },
    EmulatorCommand
  >(import.meta.url);
  const { apiRoot, token } = ready;
  const ask = emulator.ask;

  const { cryptoReady, sealFor } = await import('../src/platform/crypto.js');
  const { loadConfig } = await import('../src/platform/config.js');
  const { openRuntime } = await import('../src/runtime.js');
  const { createBot } = await import('../src/bot/index.js');
  const { loadBroadcastPublicKey } = await import('../src/bot/keys.js');
  await cryptoReady();

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sviedka-bot-bench-'));
  const config = loadConfig({
    env: databaseUrl ? { DATABASE_URL: databaseUrl } : {},
    flags: { dataDir, logLevel: 'silent', demo: false, workers: false },
  });
  const logger = pino({ level: 'warn' }, pino.destination(2));
  const runtime = await openRuntime(config, { logger });
  const env = {
    TELEGRAM_BOT_TOKEN: token,
    TELEGRAM_API_ROOT: apiRoot,
    SVIEDKA_BROADCAST_PAID: 'true',
    SVIEDKA_BROADCAST_PRUNE_AFTER_SECONDS: '86400',
  };
  const bot = await createBot(runtime, { env, evidence: runtime.areas.evidence });
  const service = bot.service;
  await service.currentQuestionnaire();
  const db = runtime.database.db;
  await sql`delete from bot_deliveries`.execute(db);
  await sql`delete from bot_broadcasts`.execute(db);
  await sql`delete from bot_subscribers`.execute(db);

  let peakRss = 0;
  let peakHeap = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 200);

  const publicKey = loadBroadcastPublicKey(bot.settings);
  const regions = [
    'minsk-city',
    'brest',
    'vitebsk',
    'gomel',
    'grodno',
    'minsk-region',
    'mogilev',
    'undisclosed',
  ];
  const kinds = ['street', 'workplace', 'quiet', 'documentation'];
  let created = 0;
  /** Adds subscribers with ids [from, from + count) to the database and the emulator. */
  const addSubscribers = async (from: number, count: number) => {
    const started = Date.now();
    await ask({ cmd: 'users', from, count });
    const batch = 2000;
    for (let start = 0; start < count; start += batch) {
      const rows = [];
      for (let i = start; i < Math.min(count, start + batch); i++) {
        const id = from + i;
        const ref = service.refOf(id);
        const answers = {
          region: [regions[id % regions.length]!],
          participation: [kinds[id % kinds.length]!],
        };
        rows.push({
          ref,
          chat_sealed: sealFor(publicKey, String(id)),
          language: (['be', 'ru', 'en'] as const)[id % 3]!,
          questionnaire_version: 1,
          answers: runtime.keys.encryptField(JSON.stringify(answers), `bot_subscribers.answers:${ref}`),
          step: 'done',
          joined_month: '2026-01-01',
        });
      }
      await db
        .withTables<{ bot_subscribers: Record<string, unknown> }>()
        .insertInto('bot_subscribers')
        .values(rows)
        .execute();
    }
    created += count;
    return (Date.now() - started) / 1000;
  };

  const content = {
    versions: {
      be: { text: 'Інструкцыя для праверкі хуткасці рассылкі.', parseMode: null },
      ru: { text: 'Инструкция для проверки скорости рассылки.', parseMode: null },
      en: { text: 'An instruction to measure the broadcast rate.', parseMode: null },
    },
    media: null,
  };
  const system = { type: 'system' as const, label: 'bench' };
  const lines: string[] = [];

  const run = async (label: string, size: number, rate: number, paid: boolean) => {
    await sql`delete from bot_deliveries`.execute(db);
    await ask({ cmd: 'reset' });
    if (created < size) {
      const adding = size - created;
      const seconds = await addSubscribers(1_000_000 + created, adding);
      process.stdout.write(
        `${label}: added ${adding} subscribers (sealed chat ids, encrypted answers) in ${seconds.toFixed(1)} s\n`,
      );
    }
    // Baseline: the same number of rows in random order, SQL only (no decryption, no audience check).
    const b0 = performance.now();
    await sql`create temporary table if not exists bench_snapshot (seq int, ref text)`.execute(db);
    await sql`truncate bench_snapshot`.execute(db);
    await sql`insert into bench_snapshot select (row_number() over (order by random()))::int, ref
      from (select ref from bot_subscribers where step = 'done' limit ${size}) s`.execute(db);
    const baselineSnapshot = (performance.now() - b0) / 1000;
    const s0 = performance.now();
    const broadcast = await service.createBroadcast(system, {
      audience: { segments: [], mode: 'any', region: null },
      content,
      rate,
      paid,
      resendUnknown: false,
    });
    const snapshot = (performance.now() - s0) / 1000;
    const worker = await bot.createWorker();
    const w0 = performance.now();
    await worker.runUntilIdle();
    const wall = (performance.now() - w0) / 1000;
    const progress = await service.progress(broadcast.id);
    const sendSeconds =
      (new Date(progress.finishedAt!).getTime() - new Date(progress.startedAt!).getTime()) / 1000;
    const achieved = progress.sent / sendSeconds;
    const emu = await ask<{
      delivered: number;
      rateLimited: number;
      floodWaitViolations: number;
      maxPerChat: number;
    }>({
      cmd: 'stats',
    });
    lines.push(
      `${label}: ${progress.total} recipients at ${rate}/s${paid ? ' (paid)' : ''} — sent ${progress.sent}, unknown ${progress.unknown}, failed ${progress.failed}; ` +
        `achieved ${achieved.toFixed(1)}/s over ${sendSeconds.toFixed(1)} s (wall ${wall.toFixed(1)} s); ratio to allowed ${(achieved / rate).toFixed(3)} (goal ≥ 0.95)`,
      `${label}: emulator delivered ${emu.delivered}, 429s ${emu.rateLimited}, flood-wait violations ${emu.floodWaitViolations}, max messages per chat ${emu.maxPerChat}; worker flood waits ${worker.stats.floodWaits}`,
      `${label}: snapshot of ${progress.total} recipients ${snapshot.toFixed(2)} s (decrypt answers, filter, shuffle, insert) vs SQL-only baseline ${baselineSnapshot.toFixed(2)} s: ratio ${(snapshot / Math.max(baselineSnapshot, 0.001)).toFixed(1)}`,
    );
    process.stdout.write(`${lines.slice(-3).join('\n')}\n`);
  };

  try {
    // The free run first: it uses the first subscribers; the paid run adds the rest.
    if (only !== 'paid') await run('free', freeSize, 30, false);
    if (only !== 'free') await run('paid', paidSize, 1000, true);
    clearInterval(sampler);
    process.stdout.write(
      `database: ${runtime.database.kind}; peak memory of the process (worker + emulator thread): RSS ${(peakRss / 2 ** 20).toFixed(0)} MB, main-thread heap ${(peakHeap / 2 ** 20).toFixed(0)} MB\n`,
    );
  } finally {
    clearInterval(sampler);
    await runtime.close();
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
