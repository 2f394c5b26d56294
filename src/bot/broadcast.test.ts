import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loggedInClient, useTestApp } from '../../test/support/app.js';
import { describeEachDatabase } from '../../test/support/databases.js';
import type { BotLanguage, BroadcastContent } from './model.js';
import type { BotService } from './service.js';
import { type BotHarness, say, startBotHarness } from './test-helpers.js';

const system = { type: 'system' as const, label: 'test' };

/** Subscribes a user directly through the service (what onboarding does, without the chat). */
async function subscribe(
  h: BotHarness,
  id: number,
  language: BotLanguage,
  region: string,
  participation: string[],
  options: { inEmulator?: boolean } = {},
): Promise<void> {
  if (options.inEmulator !== false && !h.emu.getUser(id)) h.emu.addUser({ id, firstName: `Person ${id}` });
  const service: BotService = h.area.service;
  const view = await service.begin(id, id, language);
  await service.saveAnswer(view.ref, 'region', [region], 'q:participation');
  await service.saveAnswer(view.ref, 'participation', participation, 'done');
}

function content(tag: string): BroadcastContent {
  return {
    versions: {
      be: { text: `${tag} be`, parseMode: null },
      ru: { text: `${tag} ru`, parseMode: null },
      en: { text: `${tag} en`, parseMode: null },
    },
    media: null,
  };
}

/** Texts each chat received, in order. */
function received(h: BotHarness, ids: number[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const id of ids) out.set(id, []);
  for (const message of h.emu.allDelivered())
    out.get(message.chatId)?.push(message.text ?? message.caption ?? '');
  return out;
}

describeEachDatabase('broadcasts', (ctx) => {
  const t = useTestApp(ctx);
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness(t.runtime, { polling: false });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('sends each segment expression only to the right people, each in their language', async () => {
    const people = [
      { id: 720_001, language: 'be', region: 'minsk-city', participation: ['street'] },
      { id: 720_002, language: 'ru', region: 'minsk-city', participation: ['street', 'documentation'] },
      { id: 720_003, language: 'en', region: 'gomel', participation: ['quiet'] },
      { id: 720_004, language: 'be', region: 'gomel', participation: ['street', 'workplace'] },
      { id: 720_005, language: 'ru', region: 'undisclosed', participation: ['documentation'] },
      { id: 720_006, language: 'en', region: 'brest', participation: ['workplace', 'quiet'] },
    ] as const;
    for (const p of people) await subscribe(h, p.id, p.language, p.region, [...p.participation]);
    const ids = people.map((p) => p.id);
    h.emu.resetRecords();
    const audiences = {
      A: { segments: ['street'], mode: 'any', region: null },
      B: { segments: ['street', 'documentation'], mode: 'all', region: null },
      C: { segments: [], mode: 'any', region: 'gomel' },
      D: { segments: ['quiet', 'workplace'], mode: 'any', region: 'brest' },
    } as const;
    for (const [tag, audience] of Object.entries(audiences)) {
      await h.area.service.createBroadcast(system, {
        audience: { ...audience, segments: [...audience.segments] },
        content: content(tag),
        rate: 30,
        paid: false,
        resendUnknown: false,
      });
    }
    const worker = await h.area.createWorker();
    await worker.runUntilIdle();
    const got = received(h, ids);
    const expected: Record<number, string[]> = {
      720001: ['A'],
      720002: ['A', 'B'],
      720003: ['C'],
      720004: ['A', 'C'],
      720005: [],
      720006: ['D'],
    };
    for (const p of people) {
      expect(got.get(p.id)!.sort(), `recipient ${p.id}`).toEqual(
        expected[p.id]!.map((tag) => `${tag} ${p.language}`),
      );
    }
    const list = await h.area.service.listBroadcasts();
    expect(list.slice(0, 4).every((b) => b.state === 'done')).toBe(true);
  });

  it('erases recipients who blocked the bot, deleted their account or whose chat is gone (403 / 400)', async () => {
    const ids = [720_101, 720_102, 720_103, 720_104, 720_105];
    for (const id of ids) await subscribe(h, id, 'en', 'vitebsk', ['street']);
    await subscribe(h, 720_106, 'en', 'vitebsk', ['street'], { inEmulator: false }); // unknown chat: 400
    h.emu.blockBot(720_102, { notify: false });
    h.emu.deactivateUser(720_103);
    h.emu.resetRecords();
    const created = await h.area.service.createBroadcast(system, {
      audience: { segments: [], mode: 'any', region: 'vitebsk' },
      content: content('V'),
      rate: 30,
      paid: false,
      resendUnknown: false,
    });
    expect(created.total).toBe(6);
    await (await h.area.createWorker()).runUntilIdle();
    const progress = await h.area.service.progress(created.id);
    expect(progress).toMatchObject({ state: 'done', sent: 3, removed: 3, failed: 0, unknown: 0 });
    for (const id of [720_102, 720_103, 720_106])
      expect(await h.area.service.subscriber(h.area.service.refOf(id))).toBeUndefined();
    for (const id of [720_101, 720_104, 720_105])
      expect(await h.area.service.subscriber(h.area.service.refOf(id))).toBeDefined();
  });

  it('honours 429 with a global pause shared by two workers, and loses no message', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => 720_200 + i);
    for (const id of ids) await subscribe(h, id, 'ru', 'grodno', ['quiet']);
    h.emu.resetRecords();
    // Telegram allows fewer than we send: 429s must come, and be obeyed.
    h.emu.setRateLimits({
      rateLimits: true,
      globalRate: 15,
      globalBurst: 5,
      retryAfter: 1,
      enforceRetryAfter: true,
    });
    const created = await h.area.service.createBroadcast(system, {
      audience: { segments: [], mode: 'any', region: 'grodno' },
      content: content('F'),
      rate: 30,
      paid: false,
      resendUnknown: false,
    });
    const before = await sql<{ resume_at: Date }>`select resume_at from bot_flood`.execute(ctx.database.db);
    const workers = [await h.area.createWorker(), await h.area.createWorker()];
    await Promise.all(workers.map((w) => w.runUntilIdle()));
    h.emu.setRateLimits({ rateLimits: false });
    const progress = await h.area.service.progress(created.id);
    expect(progress).toMatchObject({ state: 'done', sent: 40, failed: 0, unknown: 0 });
    const counts = h.emu.countsPerChat();
    for (const id of ids) expect(counts.get(id), `chat ${id}`).toBe(1);
    const stats = h.emu.stats();
    const floodWaits = workers.reduce((n, w) => n + w.stats.floodWaits, 0);
    expect(stats.rateLimited).toBeGreaterThan(0);
    expect(floodWaits).toBeGreaterThan(0);
    // Only requests already in flight when a 429 came may hit the wait: at most the in-flight cap (3) per worker.
    expect(stats.floodWaitViolations).toBeLessThanOrEqual(floodWaits * 6);
    const after = await sql<{ resume_at: Date }>`select resume_at from bot_flood`.execute(ctx.database.db);
    expect(new Date(after.rows[0]!.resume_at).getTime()).toBeGreaterThan(
      new Date(before.rows[0]!.resume_at).getTime(),
    );
  });

  it('retries 5xx and network refusals; marks dropped-after-sending as unknown and never resends them', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => 720_300 + i);
    for (const id of ids) await subscribe(h, id, 'be', 'minsk-region', ['workplace']);
    h.emu.resetRecords();
    h.emu.failNext(3, { status: 500, methods: ['sendMessage'] });
    h.emu.failNext(1, { status: 502, methods: ['sendMessage'] });
    h.emu.dropConnections(2, { deliver: true, methods: ['sendMessage'] });
    const created = await h.area.service.createBroadcast(system, {
      audience: { segments: ['workplace'], mode: 'any', region: 'minsk-region' },
      content: content('R'),
      rate: 30,
      paid: false,
      resendUnknown: false,
    });
    await (await h.area.createWorker()).runUntilIdle();
    const progress = await h.area.service.progress(created.id);
    expect(progress).toMatchObject({ state: 'done', sent: 10, unknown: 2, failed: 0 });
    const counts = h.emu.countsPerChat();
    for (const id of ids) expect(counts.get(id), `chat ${id}`).toBe(1);
  });

  it('pauses, resumes and cancels', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => 720_400 + i);
    for (const id of ids) await subscribe(h, id, 'en', 'mogilev', ['documentation']);
    h.emu.resetRecords();
    const created = await h.area.service.createBroadcast(system, {
      audience: { segments: ['documentation'], mode: 'any', region: 'mogilev' },
      content: content('P'),
      rate: 10,
      paid: false,
      resendUnknown: false,
    });
    const worker = await h.area.createWorker();
    worker.start();
    await h.emu.waitFor(() => h.emu.deliveredCount() >= 5, 5000);
    await h.area.service.pauseBroadcast(system, created.id, true);
    await new Promise((resolve) => setTimeout(resolve, 900));
    const atPause = h.emu.deliveredCount();
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(h.emu.deliveredCount()).toBe(atPause);
    expect((await h.area.service.progress(created.id)).state).toBe('paused');
    await h.area.service.pauseBroadcast(system, created.id, false);
    await h.emu.waitFor(() => h.emu.deliveredCount() >= atPause + 3, 5000);
    const cancelled = await h.area.service.cancelBroadcast(system, created.id);
    expect(cancelled.state).toBe('cancelled');
    await new Promise((resolve) => setTimeout(resolve, 700));
    await worker.stop();
    const final = await h.area.service.progress(created.id);
    expect(final.sent).toBe(h.emu.deliveredCount());
    expect(final.sent).toBeLessThan(30);
    expect(final.cancelled + final.sent + final.unknown).toBe(30);
    expect(final.pending + final.sending).toBe(0);
  });

  it('prunes per-recipient rows after the broadcast, keeping the counts', async () => {
    const before = await h.area.service.listBroadcasts();
    const pruned = await h.area.service.prune(0);
    expect(pruned).toBe(before.filter((b) => b.state === 'done' || b.state === 'cancelled').length);
    const rows = await sql<{ n: number }>`select count(*)::int as n from bot_deliveries`.execute(
      ctx.database.db,
    );
    expect(Number(rows.rows[0]!.n)).toBe(0);
    const after = await h.area.service.listBroadcasts();
    for (const b of after) {
      const earlier = before.find((x) => x.id === b.id)!;
      expect(b.pruned).toBe(true);
      expect({ sent: b.sent, failed: b.failed, unknown: b.unknown, cancelled: b.cancelled }).toEqual({
        sent: earlier.sent,
        failed: earlier.failed,
        unknown: earlier.unknown,
        cancelled: earlier.cancelled,
      });
    }
  });

  it('rejects unknown segments, empty audiences and free rates above 30/s', async () => {
    await expect(
      h.area.service.createBroadcast(system, {
        audience: { segments: ['nonsense'], mode: 'any', region: null },
        content: content('X'),
        paid: false,
        resendUnknown: false,
      }),
    ).rejects.toMatchObject({ code: 'SVD_BOT_AUDIENCE_INVALID' });
    await expect(
      h.area.service.createBroadcast(system, {
        audience: {
          segments: ['street', 'quiet', 'documentation', 'workplace'],
          mode: 'all',
          region: 'brest',
        },
        content: content('X'),
        paid: false,
        resendUnknown: false,
      }),
    ).rejects.toMatchObject({ code: 'SVD_BOT_AUDIENCE_EMPTY' });
    await expect(
      h.area.service.createBroadcast(system, {
        audience: { segments: [], mode: 'any', region: null },
        content: content('X'),
        rate: 100,
        paid: false,
        resendUnknown: false,
      }),
    ).rejects.toMatchObject({ code: 'SVD_BOT_RATE' });
  });

  it('serves counts, questionnaire, templates and broadcasts over HTTP to admins only', async () => {
    const admin = await loggedInClient(t, 'admin');
    const analyst = await loggedInClient(t, 'analyst');
    const stats = await admin.request('GET', '/api/bot/stats');
    expect(stats.status).toBe(200);
    expect(stats.json.confirmed).toBeGreaterThan(0);
    expect(stats.json.segments.map((s: { code: string }) => s.code)).toContain('street');
    expect(JSON.stringify(stats.json)).not.toMatch(/[0-9a-f]{64}/);

    const questionnaire = await admin.request('GET', '/api/bot/questionnaire');
    const definition = questionnaire.json.definition;
    definition.questions[1].options.push({
      id: 'legal',
      label: { be: 'Юрыдычная дапамога', ru: 'Юридическая помощь', en: 'Legal help' },
      segment: 'legal',
    });
    expect((await analyst.request('PUT', '/api/bot/questionnaire', definition)).status).toBe(404);
    const published = await admin.request('PUT', '/api/bot/questionnaire', definition);
    expect(published.status).toBe(200);
    expect(published.json.version).toBe(questionnaire.json.version + 1);
    const bad = await admin.request('PUT', '/api/bot/questionnaire', { questions: [] });
    expect(bad.status).toBe(400);

    const template = {
      name: 'Street safety',
      segment: 'street',
      versions: {
        be: { text: '<b>Бяспека</b> на вуліцы', parseMode: 'HTML' },
        ru: { text: '<b>Безопасность</b> на улице', parseMode: 'HTML' },
        en: { text: '<b>Safety</b> in the street', parseMode: 'HTML' },
      },
      media: null,
    };
    const created = await admin.request('POST', '/api/bot/templates', template);
    expect(created.status).toBe(200);
    expect((await admin.request('POST', '/api/bot/templates', template)).json.error.code).toBe(
      'SVD_BOT_TEMPLATE_EXISTS',
    );
    expect((await analyst.request('POST', '/api/bot/templates', { ...template, name: 'x' })).status).toBe(
      404,
    );
    const list = await analyst.request('GET', '/api/bot/templates');
    expect(list.json.items.map((i: { name: string }) => i.name)).toContain('Street safety');

    const count = await admin.request('POST', '/api/bot/audience/count', {
      audience: { segments: ['street'], mode: 'any', region: null },
    });
    expect(count.status).toBe(200);
    expect(count.json.count).toBeGreaterThan(0);

    h.emu.resetRecords();
    const broadcast = await admin.request('POST', '/api/bot/broadcasts', {
      audience: { segments: ['street'], mode: 'any', region: null },
      templateId: created.json.id,
    });
    expect(broadcast.status).toBe(200);
    expect(broadcast.json.total).toBe(count.json.count);
    expect(
      (await analyst.request('POST', `/api/bot/broadcasts/${broadcast.json.id}/cancel`, {})).status,
    ).toBe(404);
    await (await h.area.createWorker()).runUntilIdle();
    const progress = await analyst.request('GET', `/api/bot/broadcasts/${broadcast.json.id}`);
    expect(progress.json).toMatchObject({ state: 'done', sent: count.json.count });
    expect(h.emu.allDelivered().every((m) => m.parseMode === 'HTML' && m.entities?.length)).toBe(true);
    expect((await admin.request('POST', `/api/bot/broadcasts/${broadcast.json.id}/cancel`, {})).status).toBe(
      409,
    );
  });
});

describeEachDatabase('evidence through the bot', (ctx) => {
  const t = useTestApp(ctx);
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness(t.runtime);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('stores photos, documents, voice and text reports in the vault with their hash, unlinked, and answers with a receipt', async () => {
    const id = 730_001;
    h.emu.addUser({ id, firstName: 'Witness', username: 'witness_account' });
    const photo = Buffer.from(`synthetic photo bytes ${Date.now()}`);
    const document = Buffer.from('%PDF-1.4 synthetic document\n');
    const voice = Buffer.from('OggS synthetic voice');
    const sends: Array<[() => import('grammy/types').Message, Buffer]> = [
      [() => h.emu.sendPhoto(id, { bytes: photo }), photo],
      [
        () =>
          h.emu.sendDocument(id, { bytes: document, fileName: 'report.pdf', mimeType: 'application/pdf' }),
        document,
      ],
      [() => h.emu.sendVoice(id, { bytes: voice }), voice],
    ];
    for (const [send, bytes] of sends) {
      const message = send();
      const reply = await h.emu.waitForMessage(id, {
        afterMessageId: message.message_id,
        where: (m) => /\w{4}-\w{4}/.test(m.text ?? ''),
      });
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const item = await sql<{
        channel: string;
        size: string;
      }>`select channel, size::text from evidence_items where sha256 = ${sha256}`.execute(ctx.database.db);
      expect(item.rows[0]).toMatchObject({ channel: 'bot', size: String(bytes.length) });
      expect(reply.text).toContain(sha256.slice(0, 4).toUpperCase());
    }
    const text = 'Synthetic report: a checkpoint on the road.';
    const report = await say(h.emu, id, text);
    expect(report.text).toMatch(/\w{4}-\w{4}-\w{4}/);
    const sha = createHash('sha256').update(text).digest('hex');
    const row = await sql<{
      channel: string;
    }>`select channel from evidence_items where sha256 = ${sha}`.execute(ctx.database.db);
    expect(row.rows[0]?.channel).toBe('bot');
    // The citizen's own messages were deleted from the chat after storing.
    const deleted = h.emu.deletionLog().filter((d) => d.chatId === id && !d.outgoing);
    expect(deleted.length).toBe(4);
    // Nothing names the sender: no user id, username or first name anywhere.
    const dump = await sql<{ t: string }>`select string_agg(t::text, ' ') as t from evidence_items t`.execute(
      ctx.database.db,
    );
    expect(dump.rows[0]!.t).not.toContain(String(id));
    expect(dump.rows[0]!.t).not.toContain('witness_account');
  });

  it('refuses files over 20 MB with the public Bot API', async () => {
    const id = 730_002;
    h.emu.addUser({ id, firstName: 'Big' });
    const message = h.emu.sendVideo(id, { size: 21 * 1024 * 1024 });
    const reply = await h.emu.waitForMessage(id, { afterMessageId: message.message_id });
    expect(reply.text).toContain('20');
  });
});
