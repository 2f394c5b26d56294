import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/support/app.js';
import { describeEachDatabase } from '../../test/support/databases.js';
import { type BotHarness, onboard, press, say, startBotHarness } from './test-helpers.js';
import { texts } from './texts.js';

/** Every text value in every table of the database, one string per row. */
async function dumpDatabase(db: import('../platform/db/database.js').AnyDb): Promise<Map<string, string[]>> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(
    db,
  );
  const out = new Map<string, string[]>();
  for (const { table_name } of tables.rows) {
    const rows = await sql<{ t: string }>`select t::text as t from ${sql.table(table_name)} as t`.execute(db);
    out.set(
      table_name,
      rows.rows.map((r) => r.t),
    );
  }
  return out;
}

/** Hex of every bytea column value appears in the row text as \x..., so searching text covers them. */
function findIn(dump: Map<string, string[]>, needle: string): string[] {
  const hits: string[] = [];
  for (const [table, rows] of dump) if (rows.some((row) => row.includes(needle))) hits.push(table);
  return hits;
}

describeEachDatabase('bot onboarding', (ctx) => {
  const t = useTestApp(ctx);
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness(t.runtime);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('takes a citizen through onboarding in each language', async () => {
    const cases = [
      { id: 710_000_001, language: 'be', region: 'minsk-city', participation: ['street', 'documentation'] },
      { id: 710_000_002, language: 'ru', region: 'gomel', participation: ['quiet'] },
      { id: 710_000_003, language: 'en', region: 'undisclosed', participation: ['workplace', 'street'] },
    ] as const;
    for (const c of cases) {
      const final = await onboard(h.emu, c.id, c.language, c.region, [...c.participation]);
      expect(final.text).toBe(texts[c.language].confirmed);
      expect(final.replyMarkup).toBeUndefined();
      const subscriber = await h.area.service.subscriber(h.area.service.refOf(c.id));
      expect(subscriber).toMatchObject({ language: c.language, step: 'done' });
      expect(subscriber!.answers.region).toEqual([c.region]);
      expect([...subscriber!.answers.participation!].sort()).toEqual([...c.participation].sort());
    }
    // The question texts came in the chosen language.
    const edits = h.emu.editLog().filter((e) => e.chatId === 710_000_001);
    expect(edits.some((e) => e.after.text?.includes('Дзе вы жывяце'))).toBe(true);
    const stats = await h.area.service.stats();
    expect(stats.confirmed).toBeGreaterThanOrEqual(3);
    expect(stats.byRegion['minsk-city']).toBeGreaterThanOrEqual(1);
    expect(stats.bySegment.street).toBeGreaterThanOrEqual(2);
  });

  it('refuses to finish a multi-choice question with nothing chosen', async () => {
    const id = 710_000_010;
    h.emu.addUser({ id, firstName: 'Ales' });
    const start = await say(h.emu, id, '/start');
    let message = await press(h.emu, id, start.messageId, 'l:en');
    message = await press(h.emu, id, message.messageId, 'a:o:region:brest');
    const query = h.emu.pressButton(id, message.messageId, 'n:o:participation');
    const answer = await h.emu.waitForCallbackAnswer(query.id);
    expect(answer.answer).toMatchObject({ showAlert: true, text: texts.en.pickAtLeastOne });
    const subscriber = await h.area.service.subscriber(h.area.service.refOf(id));
    expect(subscriber?.step).toBe('q:participation');
  });

  it('changes answers and language from /settings', async () => {
    const id = 710_000_020;
    await onboard(h.emu, id, 'ru', 'vitebsk', ['street']);
    const settings = await say(h.emu, id, '/settings');
    expect(settings.text).toBe(texts.ru.settings);
    let message = await press(h.emu, id, settings.messageId, 's:q:region');
    // The current choice is marked on the keyboard.
    const buttons = (
      message.replyMarkup as { inline_keyboard: Array<Array<{ text: string }>> }
    ).inline_keyboard.flat();
    expect(buttons.find((b) => b.text.startsWith('✓'))?.text).toContain('Витебская');
    message = await press(h.emu, id, message.messageId, 'a:e:region:grodno');
    expect(message.text).toBe(texts.ru.saved);

    const again = await say(h.emu, id, '/settings');
    message = await press(h.emu, id, again.messageId, 's:q:participation');
    message = await press(h.emu, id, message.messageId, 'u:e:participation:street');
    message = await press(h.emu, id, message.messageId, 't:e:participation:quiet');
    message = await press(h.emu, id, message.messageId, 'n:e:participation');
    expect(message.text).toBe(texts.ru.saved);

    const third = await say(h.emu, id, '/settings');
    message = await press(h.emu, id, third.messageId, 's:lang');
    message = await press(h.emu, id, message.messageId, 'l:be');
    expect(message.text).toContain(texts.be.saved);

    const subscriber = await h.area.service.subscriber(h.area.service.refOf(id));
    expect(subscriber).toMatchObject({
      language: 'be',
      step: 'done',
      answers: { region: ['grodno'], participation: ['quiet'] },
    });
    expect((await say(h.emu, id, '/help')).text).toBe(texts.be.help);
  });

  it('/delete erases the subscriber and leaves no row that refers to them', async () => {
    const id = 710_000_030;
    await onboard(h.emu, id, 'be', 'mogilev', ['street', 'workplace']);
    const ref = h.area.service.refOf(id);
    const row = await sql<{
      chat_sealed: Buffer;
    }>`select chat_sealed from bot_subscribers where ref = ${ref}`.execute(ctx.database.db);
    const sealedHex = row.rows[0]!.chat_sealed.toString('hex');
    expect(findIn(await dumpDatabase(ctx.database.db), ref)).toContain('bot_subscribers');

    const reply = await say(h.emu, id, '/delete');
    expect(reply.text).toBe(texts.be.deleted);
    const dump = await dumpDatabase(ctx.database.db);
    expect(findIn(dump, ref)).toEqual([]);
    expect(findIn(dump, sealedHex)).toEqual([]);
    expect(findIn(dump, String(id))).toEqual([]);
    expect(await h.area.service.subscriber(ref)).toBeUndefined();
  });

  it('the delete button in /settings erases at once', async () => {
    const id = 710_000_031;
    await onboard(h.emu, id, 'en', 'brest', ['quiet']);
    const settings = await say(h.emu, id, '/settings');
    const message = await press(h.emu, id, settings.messageId, 'x:delete');
    expect(message.text).toBe(texts.en.deleted);
    expect(await h.area.service.subscriber(h.area.service.refOf(id))).toBeUndefined();
  });

  it('a citizen who blocks the bot (my_chat_member kicked) is erased', async () => {
    const id = 710_000_040;
    await onboard(h.emu, id, 'ru', 'brest', ['documentation']);
    const ref = h.area.service.refOf(id);
    h.emu.blockBot(id);
    await h.emu.waitFor(() => h.emu.pendingUpdates().length === 0, 5000, 'the update to be fetched');
    await expect
      .poll(async () => h.area.service.subscriber(ref), { timeout: 5000, interval: 50 })
      .toBeUndefined();
  });

  it('stores no Telegram user id or chat id in clear anywhere in the database', async () => {
    const ids = [710_000_001, 710_000_002, 710_000_003, 710_000_020];
    const dump = await dumpDatabase(ctx.database.db);
    for (const id of ids) {
      expect(findIn(dump, String(id))).toEqual([]);
      // Nor as hex of the number's bytes or of its decimal string.
      expect(findIn(dump, Buffer.from(String(id)).toString('hex'))).toEqual([]);
    }
    // No names or usernames either.
    expect(findIn(dump, 'Citizen 7100')).toEqual([]);
  });
});

describe('texts', () => {
  it('has every text in every language, Belarusian with і and ў', () => {
    const keys = Object.keys(texts.en).sort();
    expect(Object.keys(texts.be).sort()).toEqual(keys);
    expect(Object.keys(texts.ru).sort()).toEqual(keys);
    expect(texts.be.help).toMatch(/і/);
    expect(texts.be.help).toMatch(/ў/);
  });
});
