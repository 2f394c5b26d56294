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
  /** The receipt for stored evidence; `messageDeleted` when the bot removed the citizen's message. */
  evidenceStored: (receipt: string, messageDeleted: boolean) => string;
  /** `submitUrl`: the citizen submission page, when the server has a public address. */
  evidenceTooBig: (submitUrl?: string) => string;
  evidenceFailed: string;
  startFirst: string;
}

/** The language keyboard is shown before any language is known, so its prompt is in all three. */
export const chooseLanguagePrompt = 'Выберыце мову · Выберите язык · Choose your language';

export const languageNames: Record<BotLanguage, string> = {
  be: 'Беларуская',
  ru: 'Русский',
  en: 'English',
};

// What these texts say about data is tied to the code by src/bot/texts-truth.test.ts: what the
// subscriber table keeps, that texts and files go to the vault without file names and stay there
// after /delete, and that the bot deletes the citizen's evidence message when it says so.
export const texts: Record<BotLanguage, BotTexts> = {
  be: {
    chooseLanguage: chooseLanguagePrompt,
    languageSet: 'Мова: беларуская.',
    confirmed:
      'Дзякуй, вы падпісаныя. Мы будзем дасылаць вам інструкцыі, якія тычацца вашага выбару, — нячаста і толькі па справе.\n\nДля гэтага мы захоўваем вашу мову, вашы адказы і ідэнтыфікатар чата (адказы і ідэнтыфікатар — у зашыфраваным выглядзе). Змяніць адказы: /settings. Выдаліць падпіску і адказы: /delete. Даведка: /help.\n\nФота, відэа, дакументы, галасавыя і тэкставыя паведамленні, якія вы дашляце сюды, трапяць у сховішча доказаў без сувязі з вамі; назваў файлаў мы не захоўваем. Фота, дасланае як файл, захоўвае месца і час здымкі: калі гэта можа вас выдаць, дашліце яго як звычайнае фота.',
    alreadySubscribed: 'Вы ўжо падпісаныя. Змяніць адказы: /settings. Выдаліць падпіску і адказы: /delete.',
    help: 'Гэты бот дасылае інструкцыі ад арганізацыі і прымае матэрыялы.\n\n/start — падпісацца\n/settings — змяніць мову і адказы\n/delete — выдаліць падпіску і адказы\n/help — гэтая даведка\n\nПакуль вы падпісаныя, мы захоўваем вашу мову, вашы адказы (зашыфраваныя), ідэнтыфікатар чата (зашыфраваны) і месяц падпіскі. Вашага імя, імя карыстальніка і нумара тэлефона мы не захоўваем.\n\nТэксты і файлы, якія вы дасылаеце сюды, трапляюць у сховішча доказаў без сувязі з вамі і без назваў файлаў, таму выдаліць іх па вашым запыце нельга. Фота, дасланае як файл, захоўвае месца і час здымкі.\n\nTelegram бачыць, што вы пішаце гэтаму боту. Каб ачысціць тэлефон, выдаліце гэты чат або ўключыце ў ім аўтавыдаленне паведамленняў.',
    settings: 'Што змяніць?',
    settingsLanguage: 'Мова',
    settingsDelete: 'Выдаліць падпіску і адказы',
    saved: 'Захавана.',
    deleted:
      'Падпіска і вашы адказы выдаленыя. Дасланыя матэрыялы засталіся ў сховішчы без сувязі з вамі. Каб ачысціць тэлефон, выдаліце гэты чат і спыніце бота. Вярнуцца можна праз /start.',
    notSubscribed: 'Вы яшчэ не падпісаныя. Пачніце з /start.',
    pickAtLeastOne: 'Выберыце хаця б адзін варыянт.',
    done: 'Гатова',
    evidenceStored: (receipt, messageDeleted) =>
      `Атрымана і захавана. Код квітанцыі: ${receipt}\nКалі захочаце спаслацца на гэты матэрыял, запішыце код у бяспечным месцы, не ў гэтым тэлефоне.` +
      (messageDeleted
        ? '\n\nВаша паведамленне выдалена з гэтага чата. Каб на тэлефоне не заставалася і астатняя перапіска, уключыце ў гэтым чаце аўтавыдаленне паведамленняў.'
        : ''),
    evidenceTooBig: (submitUrl) =>
      submitUrl
        ? `Файл завялікі, каб атрымаць яго праз бота (больш за 20 МБ). Паспрабуйце скараціць ці падзяліць яго або дашліце праз старонку ${submitUrl}`
        : 'Файл завялікі, каб атрымаць яго праз бота (больш за 20 МБ). Паспрабуйце скараціць ці падзяліць яго.',
    evidenceFailed: 'Не ўдалося захаваць файл. Паспрабуйце яшчэ раз пазней.',
    startFirst: 'Каб атрымліваць інструкцыі, пачніце з /start.',
  },
  ru: {
    chooseLanguage: chooseLanguagePrompt,
    languageSet: 'Язык: русский.',
    confirmed:
      'Спасибо, вы подписаны. Мы будем присылать вам инструкции, которые касаются вашего выбора, — нечасто и только по делу.\n\nДля этого мы храним ваш язык, ваши ответы и идентификатор чата (ответы и идентификатор — в зашифрованном виде). Изменить ответы: /settings. Удалить подписку и ответы: /delete. Справка: /help.\n\nФото, видео, документы, голосовые и текстовые сообщения, которые вы пришлёте сюда, попадут в хранилище доказательств без связи с вами; названия файлов мы не храним. Фото, отправленное как файл, сохраняет место и время съёмки: если это может вас выдать, отправьте его как обычное фото.',
    alreadySubscribed: 'Вы уже подписаны. Изменить ответы: /settings. Удалить подписку и ответы: /delete.',
    help: 'Этот бот присылает инструкции от организации и принимает материалы.\n\n/start — подписаться\n/settings — изменить язык и ответы\n/delete — удалить подписку и ответы\n/help — эта справка\n\nПока вы подписаны, мы храним ваш язык, ваши ответы (в зашифрованном виде), идентификатор чата (в зашифрованном виде) и месяц подписки. Ваше имя, имя пользователя и номер телефона мы не храним.\n\nТексты и файлы, которые вы присылаете сюда, попадают в хранилище доказательств без связи с вами и без названий файлов, поэтому удалить их по вашему запросу нельзя. Фото, отправленное как файл, сохраняет место и время съёмки.\n\nTelegram видит, что вы пишете этому боту. Чтобы очистить телефон, удалите этот чат или включите в нём автоудаление сообщений.',
    settings: 'Что изменить?',
    settingsLanguage: 'Язык',
    settingsDelete: 'Удалить подписку и ответы',
    saved: 'Сохранено.',
    deleted:
      'Подписка и ваши ответы удалены. Присланные материалы остались в хранилище без связи с вами. Чтобы очистить телефон, удалите этот чат и остановите бота. Вернуться можно через /start.',
    notSubscribed: 'Вы ещё не подписаны. Начните с /start.',
    pickAtLeastOne: 'Выберите хотя бы один вариант.',
    done: 'Готово',
    evidenceStored: (receipt, messageDeleted) =>
      `Получено и сохранено. Код квитанции: ${receipt}\nЕсли захотите сослаться на этот материал, запишите код в надёжном месте, не в этом телефоне.` +
      (messageDeleted
        ? '\n\nВаше сообщение удалено из этого чата. Чтобы на телефоне не оставалась и остальная переписка, включите в этом чате автоудаление сообщений.'
        : ''),
    evidenceTooBig: (submitUrl) =>
      submitUrl
        ? `Файл слишком большой, чтобы получить его через бота (больше 20 МБ). Попробуйте сократить или разделить его или пришлите через страницу ${submitUrl}`
        : 'Файл слишком большой, чтобы получить его через бота (больше 20 МБ). Попробуйте сократить или разделить его.',
    evidenceFailed: 'Не удалось сохранить файл. Попробуйте ещё раз позже.',
    startFirst: 'Чтобы получать инструкции, начните с /start.',
  },
  en: {
    chooseLanguage: chooseLanguagePrompt,
    languageSet: 'Language: English.',
    confirmed:
      'Thank you, you are subscribed. We will send you instructions that concern your choices — rarely, and only when it matters.\n\nFor this we store your language, your answers and the chat identifier (the answers and the identifier encrypted). Change your answers: /settings. Delete your subscription and answers: /delete. Help: /help.\n\nPhotos, videos, documents, voice and text messages you send here go into the evidence vault without any link to you; we do not keep file names. A photo sent as a file keeps the place and time it was taken: if that could identify you, send it as an ordinary photo.',
    alreadySubscribed:
      'You are already subscribed. Change your answers: /settings. Delete your subscription and answers: /delete.',
    help: 'This bot sends instructions from the organization and receives material.\n\n/start — subscribe\n/settings — change language and answers\n/delete — delete your subscription and answers\n/help — this help\n\nWhile you are subscribed we store your language, your answers (encrypted), the chat identifier (encrypted) and the month you subscribed. We do not store your name, username or phone number.\n\nTexts and files you send here go into the evidence vault without any link to you and without file names, so they cannot be deleted at your request. A photo sent as a file keeps the place and time it was taken.\n\nTelegram sees that you write to this bot. To clean your phone, delete this chat or turn on auto-delete for it.',
    settings: 'What would you like to change?',
    settingsLanguage: 'Language',
    settingsDelete: 'Delete subscription and answers',
    saved: 'Saved.',
    deleted:
      'Your subscription and answers have been deleted. Material you sent stays in the vault without any link to you. To clean your phone, delete this chat and stop the bot. You can come back with /start.',
    notSubscribed: 'You are not subscribed yet. Begin with /start.',
    pickAtLeastOne: 'Choose at least one option.',
    done: 'Done',
    evidenceStored: (receipt, messageDeleted) =>
      `Received and stored. Receipt code: ${receipt}\nIf you want to refer to this material later, write the code down somewhere safe, not on this phone.` +
      (messageDeleted
        ? '\n\nYour message has been deleted from this chat. So that the rest of the conversation does not stay on your phone either, turn on auto-delete for this chat.'
        : ''),
    evidenceTooBig: (submitUrl) =>
      submitUrl
        ? `The file is too large to receive through the bot (over 20 MB). Try shortening or splitting it, or send it through the page ${submitUrl}`
        : 'The file is too large to receive through the bot (over 20 MB). Try shortening or splitting it.',
    evidenceFailed: 'The file could not be stored. Please try again later.',
    startFirst: 'To receive instructions, begin with /start.',
  },
};

/** Bot commands with descriptions per language (setMyCommands). */
export const commandDescriptions: Record<BotLanguage, Array<{ command: string; description: string }>> = {
  be: [
    { command: 'start', description: 'Падпісацца' },
    { command: 'settings', description: 'Змяніць мову і адказы' },
    { command: 'delete', description: 'Выдаліць падпіску і адказы' },
    { command: 'help', description: 'Даведка' },
  ],
  ru: [
    { command: 'start', description: 'Подписаться' },
    { command: 'settings', description: 'Изменить язык и ответы' },
    { command: 'delete', description: 'Удалить подписку и ответы' },
    { command: 'help', description: 'Справка' },
  ],
  en: [
    { command: 'start', description: 'Subscribe' },
    { command: 'settings', description: 'Change language and answers' },
    { command: 'delete', description: 'Delete subscription and answers' },
    { command: 'help', description: 'Help' },
  ],
};
