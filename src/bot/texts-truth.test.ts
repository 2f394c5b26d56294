/**
 * What the bot tells citizens about their data is tied to what the code does: each test makes the
 * code do the thing and then checks the claim in every language, so a change of behaviour fails here
 * until the texts are changed too.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { useTestApp } from '../../test/support/app.js';
import { describeEachDatabase } from '../../test/support/databases.js';
import { botLanguages } from './model.js';
import { type BotHarness, onboard, say, startBotHarness } from './test-helpers.js';
import { texts } from './texts.js';

/** The claims, as each language words them. */
const claims = {
  textsGoToVault: {
    be: 'Тэксты і файлы, якія вы дасылаеце сюды, трапляюць у сховішча',
    ru: 'Тексты и файлы, которые вы присылаете сюда, попадают в хранилище',
    en: 'Texts and files you send here go into the evidence vault',
  },
  noFileNames: { be: 'назваў файлаў', ru: 'названи', en: 'file names' },
  photoAsFileKeepsPlace: {
    be: 'Фота, дасланае як файл, захоўвае месца і час здымкі',
    ru: 'Фото, отправленное как файл, сохраняет место и время съёмки',
    en: 'A photo sent as a file keeps the place and time it was taken',
  },
  filesStayAfterDelete: {
    be: 'Дасланыя матэрыялы засталіся ў сховішчы',
    ru: 'Присланные материалы остались в хранилище',
    en: 'Material you sent stays in the vault',
  },
  stored: {
    be: ['мову', 'адказы (зашыфраваныя)', 'ідэнтыфікатар чата (зашыфраваны)', 'месяц падпіскі'],
    ru: [
      'язык',
      'ответы (в зашифрованном виде)',
      'идентификатор чата (в зашифрованном виде)',
      'месяц подписки',
    ],
    en: ['language', 'answers (encrypted)', 'chat identifier (encrypted)', 'month you subscribed'],
  },
} as const;

/** The false claim the old help made: that message texts are not stored. */
const textsNotStored = /не захоўваем[^.]*тэкст|не храним[^.]*текст|do not store[^.]*text/i;

const receiptPattern = /\w{4}-\w{4}-\w{4}/;

describeEachDatabase('what the bot says about data is what it does', (ctx) => {
  const t = useTestApp(ctx, { publicUrl: 'http://sviedka.test' });
  let h: BotHarness;
  let keep: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness(t.runtime);
    // A second bot configured to leave the citizen's messages in the chat.
    keep = await startBotHarness(t.runtime, { env: { SVIEDKA_BOT_DELETE_EVIDENCE_MESSAGES: 'false' } });
  });
  afterAll(async () => {
    await h?.stop();
    await keep?.stop();
  });

  it('stores a text message in the vault, and the help says texts are stored', async () => {
    const id = 712_000_001;
    h.emu.addUser({ id, firstName: 'Citizen', languageCode: 'be' });
    const text = `Synthetic report ${Date.now()}: a checkpoint on the road.`;
    const reply = await say(h.emu, id, text);
    expect(reply.text).toMatch(receiptPattern);
    const sha = createHash('sha256').update(text).digest('hex');
    const row = await sql<{ channel: string }>`
      select channel from evidence_items where sha256 = ${sha}`.execute(ctx.database.db);
    expect(row.rows[0]?.channel).toBe('bot');
    for (const language of botLanguages) {
      expect(texts[language].help).toContain(claims.textsGoToVault[language]);
      expect(texts[language].help).not.toMatch(textsNotStored);
    }
  });

  it('drops file names and keeps files unchanged, and says both', async () => {
    const id = 712_000_002;
    h.emu.addUser({ id, firstName: 'Citizen', languageCode: 'ru' });
    const bytes = Buffer.from(`%PDF-1.4 synthetic ${Date.now()}\n`);
    const fileName = 'Ivanou-Minsk-protest.pdf';
    const message = h.emu.sendDocument(id, { bytes, fileName, mimeType: 'application/pdf' });
    await h.emu.waitForMessage(id, {
      afterMessageId: message.message_id,
      where: (m) => receiptPattern.test(m.text ?? ''),
    });
    const sha = createHash('sha256').update(bytes).digest('hex');
    const item = await sql<{ file_name: string | null; size: string }>`
      select file_name, size::text from evidence_items where sha256 = ${sha}`.execute(ctx.database.db);
    expect(item.rows[0]).toMatchObject({ file_name: null, size: String(bytes.length) });
    const dump = await sql<{ t: string }>`select string_agg(t::text, ' ') as t from evidence_items t`.execute(
      ctx.database.db,
    );
    expect(dump.rows[0]!.t).not.toContain('Ivanou');
    for (const language of botLanguages) {
      for (const text of [texts[language].help, texts[language].confirmed]) {
        expect(text).toContain(claims.noFileNames[language]);
        expect(text).toContain(claims.photoAsFileKeepsPlace[language]);
      }
    }
  });

  it('a file too large for the bot is refused with the submission page offered instead', async () => {
    const id = 712_000_006;
    h.emu.addUser({ id, firstName: 'Citizen', languageCode: 'ru' });
    const sent = h.emu.sendVideo(id, { size: 25 * 1024 * 1024 });
    const reply = await h.emu.waitForMessage(id, { afterMessageId: sent.message_id });
    expect(reply.text).toBe(texts.ru.evidenceTooBig('http://sviedka.test/submit'));
    for (const language of botLanguages)
      expect(texts[language].evidenceTooBig('http://sviedka.test/submit')).toContain(
        'http://sviedka.test/submit',
      );
  });

  it('/delete removes the subscription and answers but not the files, and says so', async () => {
    const id = 712_000_003;
    await onboard(h.emu, id, 'en', 'brest', ['quiet']);
    const bytes = Buffer.from(`synthetic photo ${Date.now()}`);
    const photo = h.emu.sendPhoto(id, { bytes });
    await h.emu.waitForMessage(id, {
      afterMessageId: photo.message_id,
      where: (m) => receiptPattern.test(m.text ?? ''),
    });
    const deleted = await say(h.emu, id, '/delete');
    expect(deleted.text).toBe(texts.en.deleted);
    expect(await h.area.service.subscriber(h.area.service.refOf(id))).toBeUndefined();
    const sha = createHash('sha256').update(bytes).digest('hex');
    const item = await sql<{ n: number }>`
      select count(*)::int as n from evidence_items where sha256 = ${sha}`.execute(ctx.database.db);
    expect(Number(item.rows[0]!.n)).toBe(1);
    for (const language of botLanguages) {
      expect(texts[language].deleted).toContain(claims.filesStayAfterDelete[language]);
      expect(texts[language].deleted).not.toMatch(/Усе вашы|Все ваши|All your data/);
    }
  });

  it('says the citizen message was deleted exactly when the bot deleted it', async () => {
    for (const [harness, deletes] of [
      [h, true],
      [keep, false],
    ] as const) {
      const id = deletes ? 712_000_004 : 712_000_005;
      harness.emu.addUser({ id, firstName: 'Citizen', languageCode: 'be' });
      const sent = harness.emu.sendVoice(id, { bytes: Buffer.from(`OggS synthetic ${id}`) });
      const reply = await harness.emu.waitForMessage(id, {
        afterMessageId: sent.message_id,
        where: (m) => receiptPattern.test(m.text ?? ''),
      });
      const receipt = receiptPattern.exec(reply.text ?? '')![0];
      const removed = harness.emu.deletionLog().filter((d) => d.chatId === id && !d.outgoing);
      expect(removed.length).toBe(deletes ? 1 : 0);
      expect(reply.text).toBe(texts.be.evidenceStored(receipt, deletes));
    }
    for (const language of botLanguages) {
      const advice = texts[language].evidenceStored('CODE', false);
      // The receipt advice must not tell the citizen to keep the code in the chat they should delete.
      expect(advice).toMatch(/не ў гэтым тэлефоне|не в этом телефоне|not on this phone/);
    }
  });

  it('the help lists exactly what the subscriber table keeps', async () => {
    const columns = await sql<{ column_name: string }>`
      select column_name from information_schema.columns
      where table_schema = 'public' and table_name = 'bot_subscribers' order by column_name`.execute(
      ctx.database.db,
    );
    // ref and step are the keyed lookup id and the questionnaire step, not data about the person; a
    // new column here means a new fact stored about subscribers, which the texts must then name.
    expect(columns.rows.map((r) => r.column_name)).toEqual([
      'answers',
      'chat_sealed',
      'joined_month',
      'language',
      'questionnaire_version',
      'ref',
      'step',
    ]);
    // The answers are stored encrypted: the option ids do not appear in the row.
    const id = 712_000_006;
    await onboard(h.emu, id, 'be', 'vitebsk', ['street']);
    const row = await sql<{ answers: Buffer; chat_sealed: Buffer }>`
      select answers, chat_sealed from bot_subscribers where ref = ${h.area.service.refOf(id)}`.execute(
      ctx.database.db,
    );
    expect(Buffer.from(row.rows[0]!.answers).toString('latin1')).not.toContain('vitebsk');
    expect(Buffer.from(row.rows[0]!.chat_sealed).toString('latin1')).not.toContain(String(id));
    for (const language of botLanguages)
      for (const fact of claims.stored[language]) expect(texts[language].help).toContain(fact);
  });
});
