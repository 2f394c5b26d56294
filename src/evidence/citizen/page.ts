/**
 * The citizen submission page: plain server-rendered HTML that works without JavaScript, with no
 * external assets and no inline styles or scripts (the CSP forbids them; the CSS is served from
 * /submit.css). When JavaScript runs, /submit.js turns the form into resumable uploads with progress;
 * its texts come from the form's data-i18n attribute.
 */

import { createHash } from 'node:crypto';
import { SUBMIT_JS } from './script.js';

type Lang = 'be' | 'ru' | 'en';

const TEXT: Record<Lang, Record<string, string>> = {
  be: {
    title: 'Перадаць доказы',
    intro:
      'Тут можна перадаць фота, відэа і дакументы пра парушэнні правоў чалавека. Уліковы запіс не патрэбны. Мы не захоўваем вашага IP-адраса, звестак пра прыладу і назваў файлаў. Але ваш правайдар можа бачыць, што вы зайшлі на гэты сайт: калі гэта небяспечна, карыстайцеся VPN або Tor Browser.',
    warning:
      'Фота і відэа могуць змяшчаць месца і час здымкі і мадэль тэлефона; мы захоўваем файлы без змен. Калі гэта можа вас выдаць, дашліце здымак экрана замест арыгінала або напішыце пра гэта ў каментары.',
    files: 'Файлы',
    note: 'Каментар (што, дзе, калі)',
    contact:
      'Кантакт для сувязі (неабавязкова). Ён захоўваецца зашыфраваным, але звязвае гэтыя файлы з вамі.',
    receipt: 'Код квітанцыі (калі дасылаеце дадатковыя файлы)',
    send: 'Адправіць',
    done: 'Дзякуй. Атрымана файлаў: {n}.',
    keep: 'Каб дадаць файлы пазней, запішыце гэты код у бяспечным месцы, не ў гэтым тэлефоне. Аднавіць яго мы не можам.',
    again: 'Даслаць яшчэ',
    SVD_EVIDENCE_FORM_EXPIRED: 'Форма састарэла. Калі ласка, выберыце файлы і адпраўце яшчэ раз.',
    SVD_EVIDENCE_BUSY: 'Зараз занадта шмат адправак. Паспрабуйце праз некалькі хвілін.',
    SVD_EVIDENCE_RECEIPT_UNKNOWN: 'Такі код квітанцыі не знойдзены. Праверце яго.',
    SVD_EVIDENCE_NO_FILE: 'Выберыце хаця б адзін файл.',
    SVD_BLOB_TOO_LARGE: 'Файл занадта вялікі.',
    tooLargeLimit: 'Файл занадта вялікі: можна не больш за {mb} МБ.',
    partial: 'Частка файлаў атрымана. Ваш код квітанцыі: {code}',
    other: 'Не атрымалася захаваць файлы. Паспрабуйце яшчэ раз.',
    sending: 'Адпраўляецца…',
    retrying: 'Няма сувязі. Паўтор праз {s} с…',
    received: 'Атрымана',
    failed: 'Не атрымалася: {reason}',
    network: 'Сувязь не аднавілася. Паспрабуйце пазней.',
    notAll: 'Не ўсе файлы атрыманыя. Дашліце астатнія з гэтым кодам.',
    preparing: 'Падрыхтоўка адпраўкі…',
    SVD_EVIDENCE_PROOF_REQUIRED:
      'Старонка не паспела падрыхтаваць адпраўку. Абнавіце старонку і адпраўце яшчэ раз.',
    SVD_EVIDENCE_FORM_BUSY: 'З гэтай формы ўжо ідуць іншыя адпраўкі. Дачакайцеся іх або абнавіце старонку.',
    SVD_EVIDENCE_UPLOADS_FULL: 'Зараз сервер прымае шмат файлаў. Адпраўка працягнецца праз некалькі хвілін.',
  },
  ru: {
    title: 'Передать доказательства',
    intro:
      'Здесь можно передать фото, видео и документы о нарушениях прав человека. Учётная запись не нужна. Мы не храним ваш IP-адрес, данные об устройстве и названия файлов. Но ваш провайдер может видеть, что вы зашли на этот сайт: если это опасно, пользуйтесь VPN или Tor Browser.',
    warning:
      'Фото и видео могут содержать место и время съёмки и модель телефона; мы храним файлы без изменений. Если это может вас выдать, пришлите снимок экрана вместо оригинала или напишите об этом в комментарии.',
    files: 'Файлы',
    note: 'Комментарий (что, где, когда)',
    contact:
      'Контакт для связи (необязательно). Он хранится в зашифрованном виде, но связывает эти файлы с вами.',
    receipt: 'Код квитанции (если досылаете файлы)',
    send: 'Отправить',
    done: 'Спасибо. Получено файлов: {n}.',
    keep: 'Чтобы добавить файлы позже, запишите этот код в безопасном месте, не в этом телефоне. Восстановить его мы не можем.',
    again: 'Отправить ещё',
    SVD_EVIDENCE_FORM_EXPIRED: 'Форма устарела. Пожалуйста, выберите файлы и отправьте ещё раз.',
    SVD_EVIDENCE_BUSY: 'Сейчас слишком много отправок. Попробуйте через несколько минут.',
    SVD_EVIDENCE_RECEIPT_UNKNOWN: 'Такой код квитанции не найден. Проверьте его.',
    SVD_EVIDENCE_NO_FILE: 'Выберите хотя бы один файл.',
    SVD_BLOB_TOO_LARGE: 'Файл слишком большой.',
    tooLargeLimit: 'Файл слишком большой: можно не больше {mb} МБ.',
    partial: 'Часть файлов получена. Ваш код квитанции: {code}',
    other: 'Не удалось сохранить файлы. Попробуйте ещё раз.',
    sending: 'Отправляется…',
    retrying: 'Нет связи. Повтор через {s} с…',
    received: 'Получено',
    failed: 'Не удалось: {reason}',
    network: 'Связь не восстановилась. Попробуйте позже.',
    notAll: 'Не все файлы получены. Отправьте остальные с этим кодом.',
    preparing: 'Подготовка отправки…',
    SVD_EVIDENCE_PROOF_REQUIRED:
      'Страница не успела подготовить отправку. Обновите страницу и отправьте ещё раз.',
    SVD_EVIDENCE_FORM_BUSY: 'С этой формы уже идут другие отправки. Дождитесь их или обновите страницу.',
    SVD_EVIDENCE_UPLOADS_FULL:
      'Сейчас сервер принимает много файлов. Отправка продолжится через несколько минут.',
  },
  en: {
    title: 'Send evidence',
    intro:
      'Send photos, videos and documents about human-rights violations here. No account is needed. We keep no IP address, no device details and no file names. But your internet provider can see that you visited this site: where that is dangerous, use a VPN or Tor Browser.',
    warning:
      'Photos and videos can contain the place and time they were taken and the phone model; we keep the files unchanged. If that could identify you, send a screenshot instead of the original or say so in the comment.',
    files: 'Files',
    note: 'Comment (what, where, when)',
    contact: 'Contact for follow-up (optional). It is stored encrypted, but it links these files to you.',
    receipt: 'Receipt code (when adding files)',
    send: 'Send',
    done: 'Thank you. Files received: {n}.',
    keep: 'To add files later, write this code down somewhere safe, not on this phone. We cannot recover it.',
    again: 'Send more',
    SVD_EVIDENCE_FORM_EXPIRED: 'The form expired. Choose the files and send again.',
    SVD_EVIDENCE_BUSY: 'Too many submissions right now. Try again in a few minutes.',
    SVD_EVIDENCE_RECEIPT_UNKNOWN: 'This receipt code was not found. Check it.',
    SVD_EVIDENCE_NO_FILE: 'Choose at least one file.',
    SVD_BLOB_TOO_LARGE: 'The file is too large.',
    tooLargeLimit: 'The file is too large: at most {mb} MB.',
    partial: 'Some files were received. Your receipt code: {code}',
    other: 'The files could not be stored. Try again.',
    sending: 'Sending…',
    retrying: 'No connection. Retrying in {s} s…',
    received: 'Received',
    failed: 'Failed: {reason}',
    network: 'The connection did not come back. Try again later.',
    notAll: 'Not all files were received. Send the others with this code.',
    preparing: 'Preparing to send…',
    SVD_EVIDENCE_PROOF_REQUIRED:
      'The page did not finish preparing the upload. Reload the page and send again.',
    SVD_EVIDENCE_FORM_BUSY: 'This form already has unfinished uploads. Wait for them or reload the page.',
    SVD_EVIDENCE_UPLOADS_FULL:
      'The server is receiving many files right now. The upload continues in a few minutes.',
  },
};

export const SUBMIT_CSS = `body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
h1{font-size:1.6rem}label{display:block;margin-top:1rem;font-weight:600}
input[type=text],textarea{width:100%;box-sizing:border-box;padding:.5rem;font:inherit}
textarea{min-height:6rem}button{margin-top:1.5rem;padding:.6rem 1.4rem;font:inherit;cursor:pointer}
.warn{background:#fff6d6;padding:.75rem;border-left:4px solid #c9a400}.err{background:#fde2e2;padding:.75rem;border-left:4px solid #c00}
.code{font-family:ui-monospace,monospace;font-size:1.4rem;letter-spacing:.05em;background:#eef;padding:.75rem;display:inline-block}
nav a{margin-right:1rem}
.uploads{list-style:none;padding:0}.uploads li{margin:.75rem 0}.uploads .name{display:block;overflow-wrap:anywhere}
.uploads progress{width:100%;height:1rem}.uploads .state{font-size:.9rem;color:#444}.uploads .failed{color:#a00}`;

/** The texts the page's script shows (progress, retries, the receipt), in the page's language. */
const SCRIPT_TEXTS = [
  'done',
  'keep',
  'again',
  'partial',
  'other',
  'sending',
  'retrying',
  'received',
  'failed',
  'network',
  'notAll',
  'SVD_EVIDENCE_FORM_EXPIRED',
  'SVD_EVIDENCE_BUSY',
  'SVD_EVIDENCE_RECEIPT_UNKNOWN',
  'SVD_EVIDENCE_NO_FILE',
  'SVD_BLOB_TOO_LARGE',
  'SVD_EVIDENCE_PROOF_REQUIRED',
  'SVD_EVIDENCE_FORM_BUSY',
  'SVD_EVIDENCE_UPLOADS_FULL',
  'preparing',
];

/** The script's address carries a digest of its text, so a browser never runs a cached older script. */
const SCRIPT_URL = `/submit.js?v=${createHash('sha256').update(SUBMIT_JS).digest('hex').slice(0, 12)}`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function layout(lang: Lang, body: string): string {
  const t = TEXT[lang];
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escapeHtml(t.title!)}</title><link rel="stylesheet" href="/submit.css">
<script src="${SCRIPT_URL}" defer></script></head>
<body><nav><a href="/submit?lang=be">Беларуская</a><a href="/submit?lang=ru">Русский</a><a href="/submit?lang=en">English</a></nav>
${body}</body></html>`;
}

/**
 * The form; `form` is its anti-forgery token and the proof-of-work difficulty the script solves on it
 * (and the largest file accepted, which the too-large message names),
 * `error` an error code to explain, `receiptCode` a code already issued in this request.
 */
export function citizenPage(
  lang: Lang,
  form: { token: string; proofBits: number; maxBytes?: number },
  error?: string,
  receiptCode?: string,
): string {
  const t = { ...TEXT[lang] };
  // A refused file says how large a file may be.
  if (form.maxBytes)
    t.SVD_BLOB_TOO_LARGE = t.tooLargeLimit!.replace(
      '{mb}',
      new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(form.maxBytes / 1024 ** 2),
    );
  const problem = error ? (t[error] ?? t.other!) : undefined;
  return layout(
    lang,
    `<h1>${escapeHtml(t.title!)}</h1>
<p>${escapeHtml(t.intro!)}</p>
<p class="warn">${escapeHtml(t.warning!)}</p>
${problem ? `<p class="err" role="alert">${escapeHtml(problem)}</p>` : ''}
${receiptCode ? `<p class="err">${escapeHtml(t.partial!.replace('{code}', receiptCode))}</p>` : ''}
<form method="post" action="/submit" enctype="multipart/form-data" id="submit-form" data-i18n="${escapeHtml(
      JSON.stringify(Object.fromEntries(SCRIPT_TEXTS.map((key) => [key, t[key]]))),
    )}" data-proof-bits="${form.proofBits}">
<input type="hidden" name="t" value="${escapeHtml(form.token)}">
<input type="hidden" name="lang" value="${lang}">
<label for="note">${escapeHtml(t.note!)}</label><textarea id="note" name="note" maxlength="2000"></textarea>
<label for="contact">${escapeHtml(t.contact!)}</label><input type="text" id="contact" name="contact" maxlength="500" autocomplete="off">
<label for="receipt">${escapeHtml(t.receipt!)}</label><input type="text" id="receipt" name="receipt" maxlength="40" autocomplete="off" value="${receiptCode ? escapeHtml(receiptCode) : ''}">
<label for="files">${escapeHtml(t.files!)}</label><input type="file" id="files" name="files" multiple required>
<button type="submit">${escapeHtml(t.send!)}</button>
</form>
<ol class="uploads" id="uploads" aria-live="polite"></ol>`,
  );
}

/** The page after a successful submission, showing the receipt code once. */
export function receiptPage(lang: Lang, receiptCode: string, count: number): string {
  const t = TEXT[lang];
  return layout(
    lang,
    `<h1>${escapeHtml(t.title!)}</h1>
<p>${escapeHtml(t.done!.replace('{n}', String(count)))}</p>
<p class="code" id="receipt-code">${escapeHtml(receiptCode)}</p>
<p>${escapeHtml(t.keep!)}</p>
<p><a href="/submit?lang=${lang}">${escapeHtml(t.again!)}</a></p>`,
  );
}
