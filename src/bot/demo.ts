/**
 * Demo content for the bot pages: synthetic subscribers (counts only — their "chats" are numbers in a range no
 * Telegram account uses, sealed like real ones), instruction templates in three languages and one finished
 * broadcast. Nothing is sent: the broadcast is recorded as done.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Principal } from '../platform/auth/model.js';
import type { BotService } from './service.js';
import type { BotStore } from './store.js';

/** Synthetic user and chat ids start here, far above any id Telegram has issued. */
const SYNTHETIC_ID_BASE = 9_000_000_000_000;

/** A small deterministic generator, so every demo has the same shape. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const templates = [
  {
    name: 'Demo: how to send evidence safely',
    segment: 'documentation',
    versions: {
      be: 'Дасылайце фота і відэа як файлы толькі калі вам трэба захаваць месца і час здымкі. Пасля адпраўкі выдаліце іх з тэлефона.',
      ru: 'Присылайте фото и видео файлами, только если нужно сохранить место и время съёмки. После отправки удалите их с телефона.',
      en: 'Send photos and videos as files only when the place and time of shooting must be kept. Delete them from your phone after sending.',
    },
  },
  {
    name: 'Demo: digital hygiene reminder',
    segment: null,
    versions: {
      be: 'Уключыце аўтавыдаленне паведамленняў у гэтым чаце і праверце, хто мае доступ да вашага тэлефона.',
      ru: 'Включите автоудаление сообщений в этом чате и проверьте, у кого есть доступ к вашему телефону.',
      en: 'Turn on auto-delete for this chat and check who has access to your phone.',
    },
  },
  {
    name: 'Demo: quiet support',
    segment: 'quiet',
    versions: {
      be: 'Дзякуй, што вы з намі. Ціхая падтрымка — таксама ўдзел.',
      ru: 'Спасибо, что вы с нами. Тихая поддержка — тоже участие.',
      en: 'Thank you for being with us. Quiet support is taking part too.',
    },
  },
];

/** Seeds the bot's demo content; `count` synthetic subscribers spread over languages, regions and segments. */
export async function seedBotDemo(
  service: BotService,
  store: BotStore,
  actor: Principal,
  count = 500,
): Promise<void> {
  const random = generator(2020);
  const definition = await service.definition(await service.latestVersion());
  const languages = ['be', 'be', 'be', 'ru', 'ru', 'en'] as const;
  const refs: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = SYNTHETIC_ID_BASE + i;
    const view = await service.begin(id, id, languages[Math.floor(random() * languages.length)]!);
    for (const question of definition.questions) {
      const options = question.options;
      const chosen = question.multi
        ? options.filter(() => random() < 0.35).map((o) => o.id)
        : [options[Math.floor(random() * options.length)]!.id];
      await service.saveAnswer(view.ref, question.id, chosen.length ? chosen : [options[0]!.id], 'done');
    }
    refs.push(view.ref);
  }
  let first: string | undefined;
  for (const template of templates) {
    const created = await service.createTemplate(actor, {
      name: template.name,
      segment: template.segment,
      versions: {
        be: { text: template.versions.be, parseMode: null },
        ru: { text: template.versions.ru, parseMode: null },
        en: { text: template.versions.en, parseMode: null },
      },
      media: null,
    });
    first ??= created.id;
  }
  // One finished broadcast to everyone, recorded as Telegram would have answered it: a few had blocked the bot.
  const id = randomUUID();
  const blocked = new Set(refs.filter(() => random() < 0.01));
  const started = new Date(Date.now() - 3 * 3_600_000);
  const template = await service.template(first!);
  await store.transaction(async (trx) => {
    await store.insertBroadcast(trx, {
      id,
      template_id: template.id,
      content: { versions: template.versions, media: template.media },
      audience: { segments: [], mode: 'any', region: null },
      state: 'done',
      rate: 25,
      paid: false,
      resend_unknown: false,
      total: refs.length,
      final_counts: null,
      created_by: 'demo data',
      started_at: started,
      finished_at: new Date(started.getTime() + Math.ceil(refs.length / 25) * 1000),
      pruned_at: null,
    });
    await store.insertDeliveries(trx, id, refs);
    await sql`update bot_deliveries set state = case when ref = any(${sql.val([...blocked])}::text[])
      then 'failed' else 'sent' end, attempts = 1, error = case when ref = any(${sql.val([...blocked])}::text[])
      then 'blocked' else null end where broadcast_id = ${id}::uuid`.execute(trx);
  });
}
