/**
 * The bot PROCESS (`node bin/sviedka.js --data DIR bot --no-worker`) killed with SIGKILL in the
 * middle of a surge and started again: every citizen completes the questionnaire, the updates that
 * were fetched but not handled are handled after the restart, and handled ones are not handled again.
 * Flood control is on. Runs on the embedded database and on PostgreSQL.
 *
 * Telegram has no idempotency key, so a reply whose request had left when the process died may be
 * sent again after the restart; only those few can repeat (the test bounds them), never a question.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultQuestionnaire } from '../../src/bot/model.js';
import { loadConfig } from '../../src/platform/config.js';
import { type Database, openPglite } from '../../src/platform/db/database.js';
import { openRuntime, projectRoot } from '../../src/runtime.js';
import { databaseKinds, freshDatabase } from '../support/databases.js';
import { startTelegramEmulator, type TelegramEmulator } from '../telegram/emulator.js';
import { quantile, surge } from '../telegram/surge.js';

const CITIZENS = 400;

function startBot(
  dataDir: string,
  env: Record<string, string>,
): { child: ChildProcess; output: () => string } {
  const child = spawn(
    process.execPath,
    [path.join(projectRoot, 'bin/sviedka.js'), '--data', dataDir, 'bot', '--no-worker'],
    { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  return { child, output: () => output };
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

for (const kind of databaseKinds()) {
  describe(`bot killed with SIGKILL mid-surge and restarted [${kind}]`, () => {
    let emu: TelegramEmulator | undefined;
    const children: ChildProcess[] = [];
    const cleanups: Array<() => Promise<void>> = [];
    afterAll(async () => {
      for (const child of children)
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await emu?.close();
      for (const cleanup of cleanups.reverse()) await cleanup();
    });

    it('every citizen completes, nothing is lost and no question is asked twice', {
      timeout: 900_000,
    }, async () => {
      emu = await startTelegramEmulator({ rateLimits: true });
      const fresh = await freshDatabase(kind);
      cleanups.push(() => fresh.dispose());
      const env: Record<string, string> = {
        TELEGRAM_BOT_TOKEN: emu.token,
        TELEGRAM_API_ROOT: emu.apiRoot,
        SVIEDKA_LOG_LEVEL: 'warn',
      };
      if (fresh.databaseUrl) env.DATABASE_URL = fresh.databaseUrl;
      // The embedded database belongs to one process: hand the directory to the bot.
      if (kind === 'pglite') await fresh.database.close();

      const first = startBot(fresh.dataDir, env);
      children.push(first.child);
      await emu.waitFor(() => emu!.isPolling(), 300_000, 'the bot polling');

      const questions = defaultQuestionnaire.questions.map((q) => ({
        id: q.id,
        multi: q.multi,
        options: q.options.map((o) => o.id),
      }));
      const firstId = 760_000_000;
      const running = surge(emu, { firstId, count: CITIZENS, questions });
      // Mid-surge: some citizens answered, most still waiting for their turn.
      await emu.waitFor(() => emu!.deliveredCount() >= CITIZENS / 4, 300_000, 'a quarter of the replies');
      first.child.kill('SIGKILL');
      expect((await exited(first.child)).signal).toBe('SIGKILL');
      const deliveredAtKill = emu.deliveredCount();
      expect(deliveredAtKill).toBeLessThan(CITIZENS);

      const second = startBot(fresh.dataDir, env);
      children.push(second.child);
      const result = await running;
      second.child.kill('SIGTERM');
      const stopped = await exited(second.child);
      expect(stopped.code, second.output()).toBe(0);

      const counts = emu.countsPerChat();
      let repeated = 0;
      for (let id = firstId; id < firstId + CITIZENS; id++) {
        const n = counts.get(id) ?? 0;
        expect(n, `messages to chat ${id}`).toBeGreaterThanOrEqual(1);
        expect(n, `messages to chat ${id}`).toBeLessThanOrEqual(2);
        if (n === 2) repeated++;
      }
      process.stdout.write(
        `[${kind}] kill -9 after ${deliveredAtKill} replies: ${result.completed}/${CITIZENS} completed, ` +
          `${result.unanswered} unanswered, ${repeated} language questions sent twice (in flight at the kill), ` +
          `first reply p95 ${(quantile(result.firstReplyMs, 0.95) / 1000).toFixed(1)} s, wall ${(result.wallMs / 1000).toFixed(1)} s\n`,
      );
      expect(result.firstError).toBeUndefined();
      expect(result.unanswered).toBe(0);
      expect(result.completed).toBe(CITIZENS);
      // Only replies whose request was on its way at the moment of the kill can repeat.
      expect(repeated).toBeLessThanOrEqual(5);

      let database: Database = fresh.database;
      if (kind === 'pglite') {
        database = await openPglite(fresh.dataDir);
        cleanups.push(() => database.close());
      }
      const config = loadConfig({
        env,
        flags: { dataDir: fresh.dataDir, logLevel: 'silent', demo: false, workers: false },
      });
      const runtime = await openRuntime(config, { database });
      try {
        const service = runtime.areas.bot.service;
        const refs = Array.from({ length: CITIZENS }, (_, i) => service.refOf(firstId + i));
        const done = await sql<{ n: number }>`select count(*)::int as n from bot_subscribers
          where step = 'done' and ref = any(${sql.val(refs)}::text[])`.execute(database.db);
        expect(Number(done.rows[0]!.n)).toBe(CITIZENS);
        // Every fetched update was handled: nothing is left in the inbox.
        const left = await sql<{ n: number }>`select count(*)::int as n from bot_inbox`.execute(database.db);
        expect(Number(left.rows[0]!.n)).toBe(0);
      } finally {
        await runtime.close();
      }
    });
  });
}
