/**
 * Everything the bot says, in Belarusian, Russian and English. The bot never echoes a subscriber's
 * answers back in message text (a seized phone would show them); the current choice is visible only
 * as a mark on the keyboard while the subscriber is editing it.
 */
import type { BotLanguage } from './model.js';

export interface BotTexts {
  chooseLanguage: string;
  languageSet: string;
  confirmed: string;
  alreadySubscribed: string;
  help: string;
  settings: string;
  settingsLanguage: string;
  settingsDelete: string;
  saved: string;
  deleted: string;
  notSubscribed: string;
  pickAtLeastOne: string;
  done: string;
  evidenceStored: (receipt: string) => string;
  evidenceTooBig: string;
  evidenceFailed: string;
  startFirst: string;
}

/** The language keyboard is shown before any language is known, so its prompt is in all three. */
export const chooseLanguagePrompt = 'Абярыце мову · Выберите язык · Choose your language';

export const languageNames: Record<BotLanguage, string> = {
  be: 'Беларуская',
  ru: 'Русский',
  en: 'English',
};

export const texts: Record<BotLanguage, BotTexts> = {
  be: {
    chooseLanguage: chooseLanguagePrompt,
    languageSet: 'Мова: беларуская.',
    confirmed:
      'Дзякуй, вы падпісаныя. Мы будзем дасылаць вам інструкцыі, якія тычацца вашага выбару, — не часта і толькі па справе.\n\nЗмяніць адказы: /settings. Выдаліць усе вашыя даныя: /delete. Даведка: /help.\n\nФота, відэа, дакументы, галасавыя і тэкставыя паведамленні, якія вы дашляце сюды, трапяць у сховішча доказаў без сувязі з вамі.',
    alreadySubscribed: 'Вы ўжо падпісаныя. Змяніць адказы: /settings. Выдаліць даныя: /delete.',
    help: 'Гэты бот дасылае інструкцыі ад арганізацыі і прымае доказы.\n\n/start — падпісацца\n/settings — змяніць мову і адказы\n/delete — адразу выдаліць усе вашыя даныя\n/help — гэтая даведка\n\nМы не захоўваем вашага імя, нумара тэлефона ці тэксту паведамленняў. Файлы, якія вы дасылаеце, захоўваюцца без сувязі з вамі, таму іх нельга выдаліць па вашым запыце. Каб ачысціць тэлефон, выдаліце гэты чат.',
    settings: 'Што змяніць?',
    settingsLanguage: 'Мова',
    settingsDelete: 'Выдаліць мае даныя',
    saved: 'Захавана.',
    deleted:
      'Усе вашыя даныя выдаленыя. Каб ачысціць і тэлефон, выдаліце гэты чат і спыніце бота. Вярнуцца можна праз /start.',
    notSubscribed: 'Вы яшчэ не падпісаныя. Пачніце з /start.',
    pickAtLeastOne: 'Выберыце хаця б адзін варыянт.',
    done: 'Гатова',
    evidenceStored: (receipt) =>
      `Атрымана і захавана. Код квітанцыі: ${receipt}\nЗахавайце яго, калі захочаце спаслацца на гэты матэрыял.`,
    evidenceTooBig:
      'Файл завялікі, каб яго атрымаць праз бота (больш за 20 МБ). Паспрабуйце скараціць ці падзяліць яго.',
    evidenceFailed: 'Не ўдалося захаваць файл. Паспрабуйце яшчэ раз пазней.',
    startFirst: 'Каб атрымліваць інструкцыі, пачніце з /start.',
  },
  ru: {
    chooseLanguage: chooseLanguagePrompt,
    languageSet: 'Язык: русский.',
    confirmed:
      'Спасибо, вы подписаны. Мы будем присылать вам инструкции, которые касаются вашего выбора, — нечасто и только по делу.\n\nИзменить ответы: /settings. Удалить все ваши данные: /delete. Справка: /help.\n\nФото, видео, документы, голосовые и текстовые сообщения, которые вы пришлёте сюда, попадут в хранилище доказательств без связи с вами.',
    alreadySubscribed: 'Вы уже подписаны. Изменить ответы: /settings. Удалить данные: /delete.',
    help: 'Этот бот присылает инструкции от организации и принимает доказательства.\n\n/start — подписаться\n/settings — изменить язык и ответы\n/delete — сразу удалить все ваши данные\n/help — эта справка\n\nМы не храним ваше имя, номер телефона или текст сообщений. Файлы, которые вы присылаете, хранятся без связи с вами, поэтому их нельзя удалить по вашему запросу. Чтобы очистить телефон, удалите этот чат.',
    settings: 'Что изменить?',
    settingsLanguage: 'Язык',
    settingsDelete: 'Удалить мои данные',
    saved: 'Сохранено.',
    deleted:
      'Все ваши данные удалены. Чтобы очистить и телефон, удалите этот чат и остановите бота. Вернуться можно через /start.',
    notSubscribed: 'Вы ещё не подписаны. Начните с /start.',
    pickAtLeastOne: 'Выберите хотя бы один вариант.',
    done: 'Готово',
    evidenceStored: (receipt) =>
      `Получено и сохранено. Код квитанции: ${receipt}\nСохраните его, если захотите сослаться на этот материал.`,
    evidenceTooBig:
      'Файл слишком большой, чтобы получить его через бота (больше 20 МБ). Попробуйте сократить или разделить его.',
    evidenceFailed: 'Не удалось сохранить файл. Попробуйте ещё раз позже.',
    startFirst: 'Чтобы получать инструкции, начните с /start.',
  },
  en: {
    chooseLanguage: chooseLanguagePrompt,
    languageSet: 'Language: English.',
    confirmed:
      'Thank you, you are subscribed. We will send you instructions that concern your choices — rarely, and only when it matters.\n\nChange your answers: /settings. Delete all your data: /delete. Help: /help.\n\nPhotos, videos, documents, voice and text messages you send here go into the evidence vault without any link to you.',
    alreadySubscribed:
      'You are already subscribed. Change your answers: /settings. Delete your data: /delete.',
    help: 'This bot sends instructions from the organisation and receives evidence.\n\n/start — subscribe\n/settings — change language and answers\n/delete — delete all your data at once\n/help — this help\n\nWe do not store your name, phone number or message texts. Files you send are stored without any link to you, so they cannot be deleted at your request. To clean your phone, delete this chat.',
    settings: 'What would you like to change?',
    settingsLanguage: 'Language',
    settingsDelete: 'Delete my data',
    saved: 'Saved.',
    deleted:
      'All your data has been deleted. To clean your phone too, delete this chat and stop the bot. You can come back with /start.',
    notSubscribed: 'You are not subscribed yet. Begin with /start.',
    pickAtLeastOne: 'Choose at least one option.',
    done: 'Done',
    evidenceStored: (receipt) =>
      `Received and stored. Receipt code: ${receipt}\nKeep it if you want to refer to this material later.`,
    evidenceTooBig:
      'The file is too large to receive through the bot (over 20 MB). Try shortening or splitting it.',
    evidenceFailed: 'The file could not be stored. Please try again later.',
    startFirst: 'To receive instructions, begin with /start.',
  },
};

/** Bot commands with descriptions per language (setMyCommands). */
export const commandDescriptions: Record<BotLanguage, Array<{ command: string; description: string }>> = {
  be: [
    { command: 'start', description: 'Падпісацца' },
    { command: 'settings', description: 'Змяніць мову і адказы' },
    { command: 'delete', description: 'Выдаліць усе мае даныя' },
    { command: 'help', description: 'Даведка' },
  ],
  ru: [
    { command: 'start', description: 'Подписаться' },
    { command: 'settings', description: 'Изменить язык и ответы' },
    { command: 'delete', description: 'Удалить все мои данные' },
    { command: 'help', description: 'Справка' },
  ],
  en: [
    { command: 'start', description: 'Subscribe' },
    { command: 'settings', description: 'Change language and answers' },
    { command: 'delete', description: 'Delete all my data' },
    { command: 'help', description: 'Help' },
  ],
};
