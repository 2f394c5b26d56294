/**
 * The bot under a surge, against the Telegram emulator with flood control on (30 messages a second
 * for the bot, 1 a second per chat, a 429 with retry_after on every send past them, and every send
 * during a flood wait refused): 1,000 citizens press /start within one second and every one of them
 * goes through the questionnaire, asked each question once; the same while a broadcast runs at the
 * limit; a citizen who blocks the bot mid-questionnaire is erased.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BotHarness, onboard, startBotHarness } from '../../src/bot/test-helpers.js';
import { useTestApp } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { type QuestionShape, quantile, type SurgeResult, surge } from '../telegram/surge.js';

const CITIZENS = 1000;
const GLOBAL_RATE = 30;

function report(label: string, result: SurgeResult, messages: number): string {
  const floor = messages / GLOBAL_RATE;
  return (
    `${label}: ${result.completed}/${result.citizens} completed, ${result.unanswered} unanswered, ` +
    `${messages} messages in ${(result.wallMs / 1000).toFixed(1)} s (floor ${floor.toFixed(1)} s, ` +
    `×${(result.wallMs / 1000 / floor).toFixed(2)}); first reply p50 ${(quantile(result.firstReplyMs, 0.5) / 1000).toFixed(1)} s, ` +
    `p95 ${(quantile(result.firstReplyMs, 0.95) / 1000).toFixed(1)} s`
  );
}

describeEachDatabase('bot under a surge with flood control on', (ctx) => {
  const t = useTestApp(ctx);
  let h: BotHarness;
  let questions: QuestionShape[];
  beforeAll(async () => {
    h = await startBotHarness(t.runtime, { emulator: { rateLimits: true } });
    const { definition } = await h.area.service.currentQuestionnaire();
    questions = definition.questions.map((q) => ({
      id: q.id,
      multi: q.multi,
      options: q.options.map((o) => o.id),
    }));
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** Every citizen of the surge got exactly one message (the language question; the rest are edits). */
  const expectAskedOnce = (firstId: number, count: number) => {
    const counts = h.emu.countsPerChat();
    const repeated: number[] = [];
    for (let id = firstId; id < firstId + count; id++) if ((counts.get(id) ?? 0) !== 1) repeated.push(id);
    expect(repeated, 'chats that did not get exactly one message').toEqual([]);
  };

  const confirmedAmong = async (firstId: number, count: number) => {
    const refs = Array.from({ length: count }, (_, i) => h.area.service.refOf(firstId + i));
    const row = await sql<{ n: number }>`select count(*)::int as n from bot_subscribers
      where step = 'done' and ref = any(${sql.val(refs)}::text[])`.execute(ctx.database.db);
    return Number(row.rows[0]!.n);
  };

  it('answers 1,000 citizens who press /start within one second; none is lost or asked twice', {
    timeout: 600_000,
  }, async () => {
    const firstId = 720_000_000;
    const before = h.emu.stats();
    const result = await surge(h.emu, { firstId, count: CITIZENS, questions });
    const after = h.emu.stats();
    process.stdout.write(
      `${report(`[${ctx.kind}] surge`, result, CITIZENS)}; 429s ${after.rateLimited - before.rateLimited}, ` +
        `sends during a flood wait ${after.floodWaitViolations - before.floodWaitViolations}\n`,
    );
    expect(result.firstError).toBeUndefined();
    expect(result.unanswered).toBe(0);
    expect(result.completed).toBe(CITIZENS);
    expectAskedOnce(firstId, CITIZENS);
    expect(await confirmedAmong(firstId, CITIZENS)).toBe(CITIZENS);
    // The send budget keeps the bot under the limits rather than bouncing off them: a 429 can only
    // come from timing noise (a starved event loop sending a clump), and only requests already on
    // their way when it came can meet the flood wait that follows.
    expect(after.rateLimited - before.rateLimited).toBeLessThan(CITIZENS / 50);
  });

  it('answers the same surge first while a broadcast runs at the limit, and the broadcast goes on', {
    timeout: 600_000,
  }, async () => {
    // Subscribers the broadcast goes to, made directly through the service.
    const recipients = Array.from({ length: 600 }, (_, i) => 730_000_000 + i);
    for (const id of recipients) {
      h.emu.addUser({ id, firstName: 'Subscriber' });
      const view = await h.area.service.begin(id, id, 'be');
      await h.area.service.saveAnswer(view.ref, 'region', ['brest'], 'q:participation');
      await h.area.service.saveAnswer(view.ref, 'participation', ['quiet'], 'done');
    }
    const broadcast = await h.area.service.createBroadcast(
      { type: 'system', label: 'test' },
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
    const worker = await h.area.createWorker();
    worker.start();
    try {
      await h.emu.waitFor(() => worker.stats.sent >= 60, 30_000, 'the broadcast under way');
      const sentBefore = worker.stats.sent;
      const deliveredBefore = h.emu.deliveredCount();
      const firstId = 740_000_000;
      const before = h.emu.stats();
      const running = surge(h.emu, { firstId, count: CITIZENS, questions });
      // Replies first: while the citizens' answers go out, the broadcast gets only the slots it had
      // reserved before the surge (about a second's worth).
      await h.emu.waitFor(
        () => h.emu.deliveredCount() - deliveredBefore - (worker.stats.sent - sentBefore) >= CITIZENS,
        600_000,
        'every citizen answered',
      );
      const broadcastDuringReplies = worker.stats.sent - sentBefore;
      const result = await running;
      const after = h.emu.stats();
      const broadcastSent = worker.stats.sent - sentBefore;
      process.stdout.write(
        `${report(`[${ctx.kind}] surge during a broadcast`, result, CITIZENS + broadcastSent)}; broadcast sent ${broadcastSent} ` +
          `during it (${(broadcastSent / (result.wallMs / 1000)).toFixed(1)}/s), ${broadcastDuringReplies} while the replies went out; sends during a flood wait ` +
          `${after.floodWaitViolations - before.floodWaitViolations}\n`,
      );
      expect(result.unanswered).toBe(0);
      expect(result.completed).toBe(CITIZENS);
      expectAskedOnce(firstId, CITIZENS);
      // Replies first: while the answers went out, the broadcast sent little more than it had reserved.
      expect(broadcastDuringReplies).toBeLessThan(CITIZENS / 10);
      // The broadcast was not stopped, only slowed down.
      const progress = await h.area.service.progress(broadcast.id);
      expect(progress.sent).toBeGreaterThan(60);
      expect(progress.failed).toBe(0);
    } finally {
      await worker.stop();
      await h.area.service.cancelBroadcast({ type: 'system', label: 'test' }, broadcast.id).catch(() => {});
    }
  });

  it('erases a citizen who blocks the bot mid-questionnaire', { timeout: 60_000 }, async () => {
    // Blocking is reported by Telegram as my_chat_member "kicked".
    const id = 750_000_001;
    h.emu.addUser({ id, firstName: 'Citizen', languageCode: 'en' });
    const start = h.emu.sendText(id, '/start');
    const prompt = await h.emu.waitForMessage(id, { afterMessageId: start.message_id });
    h.emu.pressButton(id, prompt.messageId, 'l:en');
    const ref = h.area.service.refOf(id);
    await expect.poll(() => h.area.service.subscriber(ref), { timeout: 10_000 }).toBeDefined();
    h.emu.blockBot(id, { notify: true });
    await expect.poll(() => h.area.service.subscriber(ref), { timeout: 10_000 }).toBeUndefined();

    // Blocked before a reply could reach them (no my_chat_member seen yet): the 403 erases them too.
    const other = 750_000_002;
    await onboard(h.emu, other, 'be', 'gomel', ['quiet']);
    const otherRef = h.area.service.refOf(other);
    expect(await h.area.service.subscriber(otherRef)).toBeDefined();
    h.emu.sendText(other, '/help');
    h.emu.blockBot(other, { notify: false });
    await expect.poll(() => h.area.service.subscriber(otherRef), { timeout: 10_000 }).toBeUndefined();
  });
});
