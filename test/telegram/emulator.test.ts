import { existsSync, readFileSync } from 'node:fs';
import { Bot, GrammyError, InlineKeyboard, InputFile } from 'grammy';
import type { Message, Update } from 'grammy/types';
import { afterEach, describe, expect, it } from 'vitest';
import { startTelegramEmulator, type TelegramEmulator, type TelegramEmulatorOptions } from './emulator.js';

const TOKEN = '7000000001:TEST-emulator-token';
const ALA = 1001;
const BORYS = 1002;

let emu: TelegramEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function start(options: TelegramEmulatorOptions = {}): Promise<TelegramEmulator> {
  emu = await startTelegramEmulator({ token: TOKEN, ...options });
  emu.addUser({ id: ALA, firstName: 'Ala', languageCode: 'be' });
  emu.addUser({
    id: BORYS,
    firstName: 'Borys',
    lastName: 'Testovich',
    username: 'borys_test',
    languageCode: 'ru',
  });
  return emu;
}

interface Envelope<T = unknown> {
  ok: boolean;
  result: T;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number };
}

async function call<T = unknown>(
  e: TelegramEmulator,
  method: string,
  body?: Record<string, unknown>,
  token = TOKEN,
): Promise<{ status: number; json: Envelope<T> }> {
  const res = await fetch(`${e.apiRoot}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  return { status: res.status, json: (await res.json()) as Envelope<T> };
}

describe('protocol over plain HTTP', () => {
  it('answers 401 for a wrong token and 404 for unknown methods and paths', async () => {
    const e = await start();
    expect(await call(e, 'getMe', {}, '1:wrong')).toEqual({
      status: 401,
      json: { ok: false, error_code: 401, description: 'Unauthorized' },
    });
    expect(await call(e, 'sendTelepathy')).toEqual({
      status: 404,
      json: { ok: false, error_code: 404, description: 'Not Found' },
    });
    const res = await fetch(`${e.apiRoot}/nothing-here`);
    expect(res.status).toBe(404);
  });

  it('accepts GET with a query string, urlencoded and JSON bodies, and case-insensitive method names', async () => {
    const e = await start();
    const viaGet = (await (await fetch(`${e.apiRoot}/bot${TOKEN}/getMe`)).json()) as Envelope<{ id: number }>;
    expect(viaGet).toMatchObject({ ok: true, result: { id: 7000000001, is_bot: true } });

    const form = await fetch(`${e.apiRoot}/bot${TOKEN}/sendmessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        chat_id: String(ALA),
        text: 'form body',
        reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'OK', callback_data: 'ok' }]] }),
      }),
    });
    expect(form.status).toBe(200);
    const q = await fetch(`${e.apiRoot}/bot${TOKEN}/sendMessage?chat_id=${BORYS}&text=query`);
    expect(((await q.json()) as Envelope<Message.TextMessage>).result.text).toBe('query');
    expect(e.lastMessage(ALA)).toMatchObject({ text: 'form body', method: 'sendMessage' });
    expect(e.lastMessage(ALA)?.replyMarkup).toEqual({
      inline_keyboard: [[{ text: 'OK', callback_data: 'ok' }]],
    });
  });

  it('validates sendMessage like Telegram', async () => {
    const e = await start();
    const err = async (body: Record<string, unknown>) => {
      const r = await call(e, 'sendMessage', body);
      return [r.status, r.json.description];
    };
    expect(await err({ text: 'hi' })).toEqual([400, 'Bad Request: chat_id is empty']);
    expect(await err({ chat_id: ALA })).toEqual([400, 'Bad Request: message text is empty']);
    expect(await err({ chat_id: ALA, text: '   ' })).toEqual([400, 'Bad Request: message text is empty']);
    expect(await err({ chat_id: 999, text: 'hi' })).toEqual([400, 'Bad Request: chat not found']);
    expect(await err({ chat_id: '@someone', text: 'hi' })).toEqual([400, 'Bad Request: chat not found']);
    expect(await err({ chat_id: ALA, text: 'x'.repeat(4097) })).toEqual([
      400,
      'Bad Request: message is too long',
    ]);
    // The limit counts characters after entity parsing, and code points rather than UTF-16 units.
    expect(
      (await call(e, 'sendMessage', { chat_id: ALA, text: `<b>${'я'.repeat(4096)}</b>`, parse_mode: 'HTML' }))
        .status,
    ).toBe(200);
    expect((await call(e, 'sendMessage', { chat_id: ALA, text: '😀'.repeat(4096) })).status).toBe(200);
    expect(await err({ chat_id: ALA, text: 'a < b', parse_mode: 'HTML' })).toEqual([
      400,
      'Bad Request: can\'t parse entities: Unsupported start tag "" at byte offset 2',
    ]);
    expect(await err({ chat_id: ALA, text: '<b>open', parse_mode: 'HTML' })).toEqual([
      400,
      'Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"',
    ]);
    expect(await err({ chat_id: ALA, text: 'Done.', parse_mode: 'MarkdownV2' })).toEqual([
      400,
      "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
    ]);
    expect(
      await err({ chat_id: ALA, text: 'x', reply_markup: { inline_keyboard: [[{ text: 'plain' }]] } }),
    ).toEqual([
      400,
      "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
    ]);
    expect(
      await err({
        chat_id: ALA,
        text: 'x',
        reply_markup: { inline_keyboard: [[{ text: 'b', callback_data: 'x'.repeat(65) }]] },
      }),
    ).toEqual([400, 'Bad Request: BUTTON_DATA_INVALID']);
    expect(await err({ chat_id: ALA, text: 'x', reply_parameters: { message_id: 777 } })).toEqual([
      400,
      'Bad Request: message to be replied not found',
    ]);
  });

  it('parses HTML and MarkdownV2 into plain text and entities, recording the raw text', async () => {
    const e = await start();
    const r = await call<Message.TextMessage>(e, 'sendMessage', {
      chat_id: ALA,
      text: '<b>Bold</b> &amp; <a href="https://example.org">link</a> &lt;3',
      parse_mode: 'HTML',
    });
    expect(r.json.result.text).toBe('Bold & link <3');
    expect(r.json.result.entities).toEqual([
      { type: 'bold', offset: 0, length: 4 },
      { type: 'text_link', offset: 7, length: 4, url: 'https://example.org' },
    ]);
    const md = await call<Message.TextMessage>(e, 'sendMessage', {
      chat_id: ALA,
      text: '*Hi* _there_\\. [site](https://example.org/a_b)',
      parse_mode: 'MarkdownV2',
    });
    expect(md.json.result.text).toBe('Hi there. site');
    expect(e.lastMessage(ALA)).toMatchObject({
      text: 'Hi there. site',
      rawText: '*Hi* _there_\\. [site](https://example.org/a_b)',
      parseMode: 'MarkdownV2',
    });
  });

  it('serves getUpdates with offsets, limits, allowed_updates and prompt long polling', async () => {
    const e = await start();
    const first = e.sendText(ALA, '/start');
    e.sendText(ALA, 'two');
    e.sendText(BORYS, 'three');
    let r = await call<Update[]>(e, 'getUpdates', { limit: 2 });
    expect(r.json.result.map((u) => u.message?.text)).toEqual(['/start', 'two']);
    expect(r.json.result[0]?.message?.entities).toEqual([{ type: 'bot_command', offset: 0, length: 6 }]);
    expect(r.json.result[0]?.message?.message_id).toBe(first.message_id);
    // Without confirming, the same updates come back; the offset confirms everything before it.
    r = await call<Update[]>(e, 'getUpdates', { offset: r.json.result[1]!.update_id + 1 });
    expect(r.json.result.map((u) => u.message?.text)).toEqual(['three']);
    const next = r.json.result[0]!.update_id + 1;

    const t0 = Date.now();
    const poll = call<Update[]>(e, 'getUpdates', { offset: next, timeout: 30 });
    setTimeout(() => e.sendText(BORYS, 'late'), 50);
    r = await poll;
    expect(r.json.result.map((u) => u.message?.text)).toEqual(['late']);
    expect(Date.now() - t0).toBeLessThan(2000);

    // allowed_updates applies to updates created afterwards.
    await call(e, 'getUpdates', {
      offset: r.json.result[0]!.update_id + 1,
      allowed_updates: ['callback_query'],
    });
    e.sendText(ALA, 'filtered out');
    expect(e.pendingUpdates()).toHaveLength(0);
    await call(e, 'getUpdates', { allowed_updates: [] });
    e.sendText(ALA, 'back');
    expect(e.pendingUpdates()).toHaveLength(1);
  });

  it('terminates an older long poll with 409 when another starts, and refuses getUpdates with a webhook', async () => {
    const e = await start();
    const older = call(e, 'getUpdates', { timeout: 30 });
    await e.waitFor(() => e.isPolling());
    const newer = call(e, 'getUpdates', { timeout: 0 });
    expect((await older).json).toMatchObject({
      ok: false,
      error_code: 409,
      description:
        'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
    });
    expect((await newer).status).toBe(200);
    expect((await call(e, 'setWebhook', { url: 'http://insecure.example' })).status).toBe(400);
    expect((await call(e, 'setWebhook', { url: 'https://bot.example/hook' })).json.result).toBe(true);
    expect((await call(e, 'getUpdates')).status).toBe(409);
    await call(e, 'deleteWebhook', { drop_pending_updates: true });
    expect((await call(e, 'getUpdates')).status).toBe(200);
  });

  it('closes promptly while a long poll is pending', async () => {
    const e = await start();
    const poll = call<Update[]>(e, 'getUpdates', { timeout: 50 });
    await new Promise((r) => setTimeout(r, 30));
    const t0 = Date.now();
    await e.close();
    expect((await poll).json).toEqual({ ok: true, result: [] });
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('accepts multipart uploads, stores the bytes and serves them through getFile', async () => {
    const e = await start();
    const bytes = new Uint8Array([1, 2, 3, 4, 5, 250]);
    const fd = new FormData();
    fd.set('chat_id', String(ALA));
    fd.set('caption', 'report');
    fd.set('document', new Blob([bytes], { type: 'application/pdf' }), 'report.pdf');
    const res = await fetch(`${e.apiRoot}/bot${TOKEN}/sendDocument`, { method: 'POST', body: fd });
    const sent = ((await res.json()) as Envelope<Message.DocumentMessage>).result;
    expect(sent.document).toMatchObject({
      file_name: 'report.pdf',
      mime_type: 'application/pdf',
      file_size: 6,
    });
    expect(sent.caption).toBe('report');
    const file = (await call<{ file_path: string }>(e, 'getFile', { file_id: sent.document.file_id })).json
      .result;
    expect(file.file_path).toMatch(/^documents\/file_\d+\.pdf$/);
    const dl = await fetch(`${e.apiRoot}/file/bot${TOKEN}/${file.file_path}`);
    expect(new Uint8Array(await dl.arrayBuffer())).toEqual(bytes);
    expect((await fetch(`${e.apiRoot}/file/bot${TOKEN}/documents/none.pdf`)).status).toBe(404);

    // Garbage multipart must not crash the server.
    const junk = await fetch(`${e.apiRoot}/bot${TOKEN}/sendDocument`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      body: '--xyz\r\ncontent-disposition:form-data;name="chat_id"\r\n\r\n1001\r\n--xyz',
    });
    expect(junk.status).toBe(400);
  });

  it('enforces the 20 MB getFile limit unless running as a local server', async () => {
    const e = await start();
    const video = e.sendVideo(ALA, { size: 25 * 1024 * 1024, duration: 60 }) as Message.VideoMessage;
    expect(await call(e, 'getFile', { file_id: video.video.file_id })).toEqual({
      status: 400,
      json: { ok: false, error_code: 400, description: 'Bad Request: file is too big' },
    });
    expect((await call(e, 'getFile', { file_id: 'nonsense' })).json.description).toBe(
      'Bad Request: invalid file_id',
    );
    await e.close();

    const local = await start({ localServer: true });
    const big = local.sendVideo(ALA, { size: 21 * 1024 * 1024 }) as Message.VideoMessage;
    const file = (
      await call<{ file_path: string; file_size: number }>(local, 'getFile', { file_id: big.video.file_id })
    ).json.result;
    expect(file.file_path.startsWith('/')).toBe(true);
    expect(existsSync(file.file_path)).toBe(true);
    expect(readFileSync(file.file_path).length).toBe(21 * 1024 * 1024);
    await local.close();
    expect(existsSync(file.file_path)).toBe(false);
  });

  it('returns 429 with retry_after per chat and globally, and holds the flood wait', async () => {
    let now = 1_000_000;
    const e = await start({ now: () => now, perChatBurst: 2, globalRate: 3 });
    const send = (chat: number) => call(e, 'sendMessage', { chat_id: chat, text: 'x' });
    expect((await send(ALA)).status).toBe(200);
    expect((await send(ALA)).status).toBe(200);
    const limited = await send(ALA);
    expect(limited).toEqual({
      status: 429,
      json: {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 1',
        parameters: { retry_after: 1 },
      },
    });
    // Global bucket: 3 per second; 2 used, Borys gets the third, then everyone waits.
    expect((await send(BORYS)).status).toBe(200);
    expect((await send(BORYS)).status).toBe(429);
    now += 500;
    expect((await send(BORYS)).status).toBe(429);
    expect(e.stats().floodWaitViolations).toBe(1);
    now += 600;
    expect((await send(BORYS)).status).toBe(200);
    expect(e.stats().rateLimited).toBe(3);
    expect(e.deliveredCount()).toBe(4);

    e.setRateLimits({ globalRate: 1000, perChatRate: 1000, perChatBurst: 1000 });
    const many = await Promise.all(Array.from({ length: 50 }, () => send(ALA)));
    expect(many.every((r) => r.status === 200)).toBe(true);
  });

  it('uses the paid broadcast bucket for allow_paid_broadcast and can turn limits off', async () => {
    const now = 5_000_000;
    const e = await start({ now: () => now, globalRate: 1, retryAfter: 'auto', paidBroadcastRate: 5 });
    expect((await call(e, 'sendMessage', { chat_id: ALA, text: 'a' })).status).toBe(200);
    expect((await call(e, 'sendMessage', { chat_id: BORYS, text: 'b' })).json.parameters).toEqual({
      retry_after: 1,
    });
    e.setRateLimits({});
    const paid = await call(e, 'sendMessage', { chat_id: BORYS, text: 'b', allow_paid_broadcast: true });
    expect(paid.status).toBe(200);
    expect(e.lastMessage(BORYS)?.paidBroadcast).toBe(true);
    e.setRateLimits({ rateLimits: false });
    for (let i = 0; i < 20; i++)
      expect((await call(e, 'sendMessage', { chat_id: ALA, text: `${i}` })).status).toBe(200);
  });

  it('refuses sends to blocked, deactivated and never-started users with 403', async () => {
    const e = await start();
    e.addUser({ id: 1003, firstName: 'Cichy', started: false });
    e.blockBot(ALA);
    expect(await call(e, 'sendMessage', { chat_id: ALA, text: 'hi' })).toEqual({
      status: 403,
      json: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' },
    });
    const update = e.pendingUpdates()[0]!;
    expect(update.my_chat_member).toMatchObject({
      chat: { id: ALA, type: 'private' },
      old_chat_member: { status: 'member' },
      new_chat_member: { status: 'kicked', until_date: 0 },
    });
    e.deactivateUser(BORYS);
    expect((await call(e, 'sendMessage', { chat_id: BORYS, text: 'hi' })).json.description).toBe(
      'Forbidden: user is deactivated',
    );
    expect((await call(e, 'sendMessage', { chat_id: 1003, text: 'hi' })).json.description).toBe(
      "Forbidden: bot can't initiate conversation with a user",
    );
    e.sendText(1003, '/start');
    expect((await call(e, 'sendMessage', { chat_id: 1003, text: 'hi' })).status).toBe(200);
    e.unblockBot(ALA);
    expect((await call(e, 'sendMessage', { chat_id: ALA, text: 'hi' })).status).toBe(200);
    // A blocked user who writes again has restarted the bot: Telegram reports the unblock first.
    e.blockBot(BORYS, { notify: false });
    e.sendText(BORYS, '/start');
    const last = e.pendingUpdates().slice(-2);
    expect(last[0]?.my_chat_member?.new_chat_member.status).toBe('member');
    expect(last[1]?.message?.text).toBe('/start');
  });

  it('injects failures, dropped connections (delivered or not) and latency', async () => {
    const e = await start();
    e.failNext(1, { status: 502 });
    expect(await call(e, 'sendMessage', { chat_id: ALA, text: 'a' })).toEqual({
      status: 502,
      json: { ok: false, error_code: 502, description: 'Bad Gateway' },
    });
    expect(e.deliveredCount()).toBe(0);

    e.dropConnections(1);
    await expect(call(e, 'sendMessage', { chat_id: ALA, text: 'lost before' })).rejects.toThrow();
    expect(e.deliveredCount()).toBe(0);

    e.dropConnections(1, { deliver: true });
    await expect(call(e, 'sendMessage', { chat_id: ALA, text: 'lost after' })).rejects.toThrow();
    expect(e.messagesTo(ALA).map((m) => m.text)).toEqual(['lost after']);
    expect(e.stats()).toMatchObject({ droppedConnections: 2, injectedFailures: 1 });

    // Faults skip getUpdates unless it is named.
    e.failNext(1, { status: 500, methods: ['sendMessage'] });
    expect((await call(e, 'getUpdates')).status).toBe(200);
    expect((await call(e, 'sendMessage', { chat_id: ALA, text: 'b' })).status).toBe(500);

    e.setLatency(0);
    await e.close();
    const crowded = await start({ maxInFlight: 2, latencyMs: 300 });
    const slow = [call(crowded, 'getMe'), call(crowded, 'getMe')];
    await new Promise((r) => setTimeout(r, 50));
    crowded.setLatency(0);
    expect((await call(crowded, 'getMe')).json).toMatchObject({
      error_code: 429,
      parameters: { retry_after: 60 },
    });
    expect((await Promise.all(slow)).map((r) => r.status)).toEqual([200, 200]);
  });

  it('adds latency', async () => {
    const e = await start();
    e.setLatency(150);
    const t0 = Date.now();
    expect((await call(e, 'getMe')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('edits, deletes and copies messages with Telegram errors and logs', async () => {
    const e = await start();
    const kb = { inline_keyboard: [[{ text: 'Yes', callback_data: 'yes' }]] };
    const sent = (
      await call<Message.TextMessage>(e, 'sendMessage', { chat_id: ALA, text: 'Q?', reply_markup: kb })
    ).json.result;
    expect(
      (
        await call(e, 'editMessageText', {
          chat_id: ALA,
          message_id: sent.message_id,
          text: 'Q?',
          reply_markup: kb,
        })
      ).json.description,
    ).toMatch(/^Bad Request: message is not modified/);
    const edited = await call<Message.TextMessage>(e, 'editMessageText', {
      chat_id: ALA,
      message_id: sent.message_id,
      text: 'Answered',
    });
    expect(edited.json.result).toMatchObject({ text: 'Answered', edit_date: expect.any(Number) });
    expect(edited.json.result.reply_markup).toBeUndefined();
    expect(e.lastMessage(ALA)).toMatchObject({ text: 'Answered', editCount: 1, replyMarkup: undefined });
    expect(e.editLog()[0]).toMatchObject({
      before: { text: 'Q?', replyMarkup: kb },
      after: { text: 'Answered' },
    });
    expect(
      (await call(e, 'editMessageText', { chat_id: ALA, message_id: 99, text: 'z' })).json.description,
    ).toBe('Bad Request: message to edit not found');

    const incoming = e.sendText(ALA, 'my secret answer');
    const copy = await call<{ message_id: number }>(e, 'copyMessage', {
      chat_id: BORYS,
      from_chat_id: ALA,
      message_id: sent.message_id,
    });
    expect(e.lastMessage(BORYS)).toMatchObject({
      text: 'Answered',
      method: 'copyMessage',
      messageId: copy.json.result.message_id,
    });

    expect(
      (await call(e, 'deleteMessage', { chat_id: ALA, message_id: incoming.message_id })).json.result,
    ).toBe(true);
    expect((await call(e, 'deleteMessage', { chat_id: ALA, message_id: sent.message_id })).json.result).toBe(
      true,
    );
    expect(
      (await call(e, 'deleteMessage', { chat_id: ALA, message_id: sent.message_id })).json.description,
    ).toBe('Bad Request: message to delete not found');
    expect(e.messagesTo(ALA)).toEqual([]);
    expect(e.visibleChat(ALA)).toEqual([]);
    expect(e.allDelivered()[0]).toMatchObject({ deleted: true });
    expect(e.deletionLog().map((d) => [d.messageId, d.outgoing])).toEqual([
      [incoming.message_id, false],
      [sent.message_id, true],
    ]);
  });

  it('stores commands per scope and language', async () => {
    const e = await start();
    const commands = [{ command: 'start', description: 'Start' }];
    expect((await call(e, 'setMyCommands', { commands })).json.result).toBe(true);
    expect(
      (await call(e, 'setMyCommands', { commands: [{ command: 'Bad-Cmd', description: 'x' }] })).json
        .description,
    ).toBe('Bad Request: BOT_COMMAND_INVALID');
    await call(e, 'setMyCommands', {
      commands: [{ command: 'start', description: 'Пачаць' }],
      language_code: 'be',
    });
    expect((await call(e, 'getMyCommands')).json.result).toEqual(commands);
    expect((await call(e, 'getMyCommands', { language_code: 'be' })).json.result).toEqual([
      { command: 'start', description: 'Пачаць' },
    ]);
    expect(e.commandsFor(undefined, 'be')).toHaveLength(1);
  });

  it('pressButton refuses buttons that the message does not have', async () => {
    const e = await start();
    const sent = (
      await call<Message.TextMessage>(e, 'sendMessage', {
        chat_id: ALA,
        text: 'Pick',
        reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] },
      })
    ).json.result;
    expect(() => e.pressButton(ALA, sent.message_id, 'b')).toThrow(/no button with callback_data "b"/);
    expect(() => e.pressButton(ALA, 4242, 'a')).toThrow(/not found/);
    const query = e.pressButton(ALA, sent.message_id, 'a');
    expect(query).toMatchObject({ data: 'a', from: { id: ALA }, message: { message_id: sent.message_id } });
    expect(
      (await call(e, 'answerCallbackQuery', { callback_query_id: query.id, text: 'ok' })).json.result,
    ).toBe(true);
    expect((await call(e, 'answerCallbackQuery', { callback_query_id: query.id })).json.description).toBe(
      'Bad Request: query is too old and response timeout expired or query ID is invalid',
    );
    expect(e.callbackAnswer(query.id)?.answer).toMatchObject({ text: 'ok', showAlert: false });
  });

  it('builds several PhotoSize entries for injected photos', async () => {
    const e = await start();
    const msg = e.sendPhoto(ALA, {
      bytes: new Uint8Array([9, 9, 9]),
      caption: 'street',
      width: 1600,
      height: 1200,
    });
    const photo = (msg as Message.PhotoMessage).photo;
    expect(photo.map((p) => p.width)).toEqual([90, 320, 800, 1280, 1600]);
    expect(new Set(photo.map((p) => p.file_id)).size).toBe(photo.length);
    expect(e.fileBytes(photo.at(-1)!.file_id)).toEqual(Buffer.from([9, 9, 9]));
  });
});

describe('with a real grammY bot', () => {
  function makeBot(e: TelegramEmulator): Bot {
    const bot = new Bot(TOKEN, { client: { apiRoot: e.apiRoot } });
    bot.catch((err) => {
      throw err.error;
    });
    return bot;
  }

  async function run(bot: Bot, body: () => Promise<void>): Promise<void> {
    let started!: () => void;
    const ready = new Promise<void>((r) => {
      started = r;
    });
    const running = bot.start({ onStart: () => started() });
    await ready;
    try {
      await body();
    } finally {
      await bot.stop();
      await running;
    }
  }

  it('getMe', async () => {
    const e = await start({ bot: { username: 'emu_bot', firstName: 'Emu' } });
    const me = await makeBot(e).api.getMe();
    expect(me).toMatchObject({ id: 7000000001, is_bot: true, username: 'emu_bot', first_name: 'Emu' });
  });

  it('handles /start through long polling and stops promptly', async () => {
    const e = await start();
    const bot = makeBot(e);
    bot.command('start', (ctx) =>
      ctx.reply(`Вітаем, ${ctx.from?.first_name}! Payload: ${ctx.match || 'none'}`),
    );
    const t0 = Date.now();
    await run(bot, async () => {
      const msg = e.sendText(ALA, '/start abc');
      const reply = await e.waitForMessage(ALA, { afterMessageId: msg.message_id });
      expect(reply.text).toBe('Вітаем, Ala! Payload: abc');
      e.sendText(BORYS, 'just text');
      e.sendText(BORYS, '/start');
      expect((await e.waitForMessage(BORYS)).text).toBe('Вітаем, Borys! Payload: none');
    });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(e.messagesTo(BORYS)).toHaveLength(1);
    expect(e.pendingUpdates()).toEqual([]);
  });

  it('answers an inline keyboard press with answerCallbackQuery and editMessageText', async () => {
    const e = await start();
    const bot = makeBot(e);
    bot.command('ask', (ctx) =>
      ctx.reply('Are you safe?', {
        reply_markup: new InlineKeyboard().text('Yes', 'safe:yes').text('No', 'safe:no'),
      }),
    );
    bot.callbackQuery(/^safe:(yes|no)$/, async (ctx) => {
      await ctx.answerCallbackQuery({ text: 'Thank you' });
      await ctx.editMessageText(ctx.match[1] === 'yes' ? 'Noted: safe' : 'Noted: needs help');
    });
    await run(bot, async () => {
      const cmd = e.sendText(ALA, '/ask');
      const question = await e.waitForMessage(ALA, { afterMessageId: cmd.message_id });
      const query = e.pressButton(ALA, question.messageId, 'safe:no');
      const answered = await e.waitForCallbackAnswer(query.id);
      expect(answered.answer?.text).toBe('Thank you');
      await e.waitFor(() => question.text === 'Noted: needs help');
      expect(question.replyMarkup).toBeUndefined();
      expect(() => e.pressButton(ALA, question.messageId, 'safe:yes')).toThrow();
    });
    expect(e.editLog()).toHaveLength(1);
  });

  it('surfaces 429 with retry_after as a GrammyError (no auto-retry)', async () => {
    const e = await start({ perChatBurst: 1, retryAfter: 3 });
    const bot = makeBot(e);
    await bot.api.sendMessage(ALA, 'one');
    const err = await bot.api.sendMessage(ALA, 'two').catch((x: unknown) => x);
    expect(err).toBeInstanceOf(GrammyError);
    expect((err as GrammyError).error_code).toBe(429);
    expect((err as GrammyError).description).toBe('Too Many Requests: retry after 3');
    expect((err as GrammyError).parameters.retry_after).toBe(3);
  });

  it('surfaces 403 for a blocked user and delivers my_chat_member', async () => {
    const e = await start();
    const bot = makeBot(e);
    const kicked: number[] = [];
    bot.on('my_chat_member', (ctx) => {
      if (ctx.myChatMember.new_chat_member.status === 'kicked') kicked.push(ctx.chat.id);
    });
    await run(bot, async () => {
      e.blockBot(BORYS);
      await e.waitFor(() => kicked.length === 1);
    });
    expect(kicked).toEqual([BORYS]);
    const err = await bot.api.sendMessage(BORYS, 'hello').catch((x: unknown) => x);
    expect(err).toBeInstanceOf(GrammyError);
    expect((err as GrammyError).error_code).toBe(403);
    expect((err as GrammyError).description).toBe('Forbidden: bot was blocked by the user');
  });

  it('downloads an injected document via getFile and uploads a photo with InputFile', async () => {
    const e = await start();
    const bot = makeBot(e);
    const downloaded: Buffer[] = [];
    bot.on('message:document', async (ctx) => {
      const file = await ctx.getFile();
      const res = await fetch(`${e.apiRoot}/file/bot${TOKEN}/${file.file_path}`);
      downloaded.push(Buffer.from(await res.arrayBuffer()));
      await ctx.reply(`Received ${ctx.message.document.file_name}`);
    });
    const bytes = Buffer.from('%PDF-1.4 synthetic evidence\n');
    await run(bot, async () => {
      const msg = e.sendDocument(ALA, { bytes, fileName: 'act.pdf', mimeType: 'application/pdf' });
      expect((await e.waitForMessage(ALA, { afterMessageId: msg.message_id })).text).toBe('Received act.pdf');
    });
    expect(downloaded).toEqual([bytes]);

    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    const sent = await bot.api.sendPhoto(ALA, new InputFile(jpeg, 'x.jpg'), {
      caption: '<i>note</i>',
      parse_mode: 'HTML',
    });
    expect(sent.caption).toBe('note');
    const largest = sent.photo.at(-1)!;
    expect(e.lastMessage(ALA)?.fileIds).toContain(largest.file_id);
    const file = await bot.api.getFile(largest.file_id);
    const res = await fetch(`${e.apiRoot}/file/bot${TOKEN}/${file.file_path}`);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(jpeg);
    // Reusing the file_id sends the same photo again without an upload.
    const again = await bot.api.sendPhoto(BORYS, largest.file_id);
    expect(again.photo.at(-1)!.file_id).toBe(largest.file_id);
  });

  it('sets and reads commands', async () => {
    const e = await start();
    const bot = makeBot(e);
    await bot.api.setMyCommands([{ command: 'start', description: 'Start' }], {
      scope: { type: 'all_private_chats' },
    });
    expect(await bot.api.getMyCommands({ scope: { type: 'all_private_chats' } })).toEqual([
      { command: 'start', description: 'Start' },
    ]);
    expect(await bot.api.getMyCommands()).toEqual([]);
  });
});
