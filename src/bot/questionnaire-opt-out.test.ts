/**
 * An opt-out for every question: the default participation question has "prefer not to say" (no
 * segment, and exclusive of the other answers), a questionnaire without an opt-out cannot be published,
 * and an installation still on the old unedited default is moved to the new one by migration 0021.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loggedInClient, useTestApp } from '../../test/support/app.js';
import { describeEachDatabase } from '../../test/support/databases.js';
import { migrationsDir } from '../platform/db/migrate.js';
import { defaultQuestionnaire, type Questionnaire, questionnaireSchema, segmentsOf } from './model.js';
import { type BotHarness, press, say, startBotHarness } from './test-helpers.js';

/** The default questionnaire as installations before migration 0021 have it as version 1. */
function oldDefault(): Questionnaire {
  const old = structuredClone(defaultQuestionnaire);
  old.questions[0]!.options[7]!.label.ru = 'Предпочитаю не говорить';
  old.questions[1]!.text = {
    be: 'Як вы гатовыя ўдзельнічаць? Можна выбраць некалькі.',
    ru: 'Как вы готовы участвовать? Можно выбрать несколько.',
    en: 'How are you ready to take part? You can choose several.',
  };
  old.questions[1]!.options = old.questions[1]!.options.filter((o) => o.segment !== null);
  return old;
}

describeEachDatabase('questionnaire opt-outs', (ctx) => {
  const t = useTestApp(ctx);
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness(t.runtime);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('every default question has an opt-out without a segment', () => {
    for (const question of defaultQuestionnaire.questions)
      expect(
        question.options.some((o) => o.segment === null),
        question.id,
      ).toBe(true);
  });

  it('"prefer not to say" puts a citizen in no participation segment and excludes the other answers', async () => {
    const id = 711_000_001;
    h.emu.addUser({ id, firstName: 'Citizen', languageCode: 'ru' });
    const start = await say(h.emu, id, '/start');
    let message = await press(h.emu, id, start.messageId, 'l:ru');
    message = await press(h.emu, id, message.messageId, 'a:o:region:undisclosed');
    message = await press(h.emu, id, message.messageId, 't:o:participation:street');
    message = await press(h.emu, id, message.messageId, 't:o:participation:undisclosed');
    const buttons = (
      message.replyMarkup as { inline_keyboard: Array<Array<{ text: string }>> }
    ).inline_keyboard.flat();
    expect(buttons.filter((b) => b.text.startsWith('✓')).map((b) => b.text)).toEqual(['✓ Не хочу указывать']);
    await press(h.emu, id, message.messageId, 'n:o:participation');
    const subscriber = await h.area.service.subscriber(h.area.service.refOf(id));
    expect(subscriber).toMatchObject({ step: 'done', answers: { participation: ['undisclosed'] } });
    const definition = await h.area.service.definition(subscriber!.version);
    expect([...segmentsOf(definition, subscriber!.answers)]).toEqual([]);
  });

  it('refuses to publish a question without an opt-out, naming the question', async () => {
    const admin = await loggedInClient(t, 'admin');
    const without = structuredClone(defaultQuestionnaire);
    without.questions[1]!.options = without.questions[1]!.options.filter((o) => o.segment !== null);
    const refused = await admin.request('PUT', '/api/bot/questionnaire', without);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.json)).toContain('questions.1.options');
    await expect(
      h.area.service.publishQuestionnaire({ type: 'system', label: 'test' }, without),
    ).rejects.toMatchObject({ code: 'SVD_BOT_QUESTIONNAIRE_INVALID' });
  });

  it('migration 0021 moves an unedited old default to the new one and leaves an edited one alone', async () => {
    const db = ctx.database.db;
    const migration = readFileSync(path.join(migrationsDir, '0021_bot_participation_opt_out.sql'), 'utf8');
    const snapshot = await sql<{ version: number; definition: unknown; created_by: string | null }>`
      select version, definition, created_by from bot_questionnaires order by version`.execute(db);
    try {
      await sql`delete from bot_subscribers`.execute(db);
      await sql`delete from bot_questionnaires`.execute(db);
      await sql`insert into bot_questionnaires (version, definition, created_by)
        values (1, ${JSON.stringify(oldDefault())}::jsonb, null)`.execute(db);
      await sql.raw(migration).execute(db);
      const rows = await sql<{ version: number; definition: unknown }>`
        select version, definition from bot_questionnaires order by version`.execute(db);
      expect(rows.rows.map((r) => Number(r.version))).toEqual([1, 2]);
      expect(questionnaireSchema.parse(rows.rows[1]!.definition)).toEqual(defaultQuestionnaire);

      // An installation whose administrators published their own version keeps it.
      await sql`delete from bot_questionnaires where version = 2`.execute(db);
      await sql`insert into bot_questionnaires (version, definition, created_by)
        values (2, ${JSON.stringify(oldDefault())}::jsonb, 'user:admin')`.execute(db);
      await sql.raw(migration).execute(db);
      const after = await sql<{ n: number }>`select count(*)::int as n from bot_questionnaires`.execute(db);
      expect(Number(after.rows[0]!.n)).toBe(2);
    } finally {
      await sql`delete from bot_questionnaires`.execute(db);
      for (const row of snapshot.rows)
        await sql`insert into bot_questionnaires (version, definition, created_by)
          values (${row.version}, ${JSON.stringify(row.definition)}::jsonb, ${row.created_by})`.execute(db);
    }
  });
});
