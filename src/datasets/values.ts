/**
 * Source values to FtM property values: dates through a `format` (Python's strptime directives, as
 * FtM mappings write them), countries by code or by name in the region's languages, genders by the
 * words registers use. What cannot be read is a problem for the row, never silently dropped.
 */
import { type PropertyType, parsePartialDate } from '../registry/index.js';

const MONTHS: Record<string, number> = {};
const monthNames = [
  ['jan', 'january', 'январь', 'января', 'студзень', 'студзеня', 'янв', 'студ'],
  ['feb', 'february', 'февраль', 'февраля', 'люты', 'лютага', 'фев', 'лют'],
  ['mar', 'march', 'март', 'марта', 'сакавік', 'сакавіка', 'мар', 'сак'],
  ['apr', 'april', 'апрель', 'апреля', 'красавік', 'красавіка', 'апр', 'крас'],
  ['may', 'май', 'мая', 'травень', 'траўня', 'трав'],
  ['jun', 'june', 'июнь', 'июня', 'чэрвень', 'чэрвеня', 'июн', 'чэрв'],
  ['jul', 'july', 'июль', 'июля', 'ліпень', 'ліпеня', 'июл', 'ліп'],
  ['aug', 'august', 'август', 'августа', 'жнівень', 'жніўня', 'авг', 'жн'],
  ['sep', 'september', 'сентябрь', 'сентября', 'верасень', 'верасня', 'сен', 'вер'],
  ['oct', 'october', 'октябрь', 'октября', 'кастрычнік', 'кастрычніка', 'окт', 'каст'],
  ['nov', 'november', 'ноябрь', 'ноября', 'лістапад', 'лістапада', 'ноя', 'ліст'],
  ['dec', 'december', 'декабрь', 'декабря', 'снежань', 'снежня', 'дек', 'снеж'],
];
monthNames.forEach((names, i) => {
  for (const name of names) MONTHS[name] = i + 1;
});

const DIRECTIVES: Record<string, string> = {
  d: '(\\d{1,2})',
  m: '(\\d{1,2})',
  Y: '(\\d{4})',
  y: '(\\d{2})',
  H: '(\\d{1,2})',
  M: '(\\d{1,2})',
  S: '(\\d{1,2})',
  b: '(\\p{L}+)\\.?',
  B: '(\\p{L}+)',
};
const formatCache = new Map<string, { re: RegExp; fields: string[] } | { error: string }>();

function compileFormat(format: string): { re: RegExp; fields: string[] } | { error: string } {
  const cached = formatCache.get(format);
  if (cached) return cached;
  let pattern = '';
  const fields: string[] = [];
  let result: { re: RegExp; fields: string[] } | { error: string } | undefined;
  for (let i = 0; i < format.length; i++) {
    const ch = format[i]!;
    if (ch !== '%') {
      pattern += /\s/.test(ch) ? '\\s+' : ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
      continue;
    }
    const directive = format[++i];
    if (directive === '%') pattern += '%';
    else if (directive !== undefined && DIRECTIVES[directive]) {
      pattern += DIRECTIVES[directive];
      fields.push(directive);
    } else {
      result = {
        error: `the date format "${format}" uses %${directive ?? ''}, which is not supported (use %d %m %Y %y %H %M %S %b %B)`,
      };
      break;
    }
  }
  result ??= { re: new RegExp(`^${pattern}$`, 'iu'), fields };
  formatCache.set(format, result);
  return result;
}

/** Checks that a date format can be used (for mapping validation). */
export function checkDateFormat(format: string): string | undefined {
  const compiled = compileFormat(format);
  return 'error' in compiled ? compiled.error : undefined;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Parses `value` with a strptime-style format into an FtM date (`YYYY-MM-DD`, with time if given). */
export function parseDateWithFormat(value: string, format: string): string | undefined {
  const compiled = compileFormat(format);
  if ('error' in compiled) return undefined;
  const match = compiled.re.exec(value.trim());
  if (!match) return undefined;
  let year: number | undefined;
  let month: number | undefined;
  let day: number | undefined;
  let time: [number, number, number] | undefined;
  compiled.fields.forEach((field, i) => {
    const text = match[i + 1]!;
    switch (field) {
      case 'Y':
        year = Number(text);
        break;
      case 'y': {
        const short = Number(text);
        year = short >= 69 ? 1900 + short : 2000 + short;
        break;
      }
      case 'm':
        month = Number(text);
        break;
      case 'b':
      case 'B':
        month = MONTHS[text.toLowerCase()] ?? -1;
        break;
      case 'd':
        day = Number(text);
        break;
      case 'H':
        time = [Number(text), time?.[1] ?? 0, time?.[2] ?? 0];
        break;
      case 'M':
        time = [time?.[0] ?? 0, Number(text), time?.[2] ?? 0];
        break;
      case 'S':
        time = [time?.[0] ?? 0, time?.[1] ?? 0, Number(text)];
        break;
    }
  });
  if (year === undefined) return undefined;
  let out = String(year);
  if (month !== undefined) {
    out += `-${pad(month)}`;
    if (day !== undefined) {
      out += `-${pad(day)}`;
      if (time) out += `T${pad(time[0])}:${pad(time[1])}:${pad(time[2])}`;
    }
  }
  return parsePartialDate(out) ? out : undefined;
}

const COUNTRY_NAMES: Record<string, string> = {
  belarus: 'by',
  беларусь: 'by',
  'республика беларусь': 'by',
  'рэспубліка беларусь': 'by',
  russia: 'ru',
  'russian federation': 'ru',
  россия: 'ru',
  'российская федерация': 'ru',
  расія: 'ru',
  'расійская федэрацыя': 'ru',
  ukraine: 'ua',
  украина: 'ua',
  украіна: 'ua',
  poland: 'pl',
  польша: 'pl',
  польшча: 'pl',
  lithuania: 'lt',
  литва: 'lt',
  літва: 'lt',
  latvia: 'lv',
  латвия: 'lv',
  латвія: 'lv',
  kazakhstan: 'kz',
  казахстан: 'kz',
  ссср: 'suhh',
  ussr: 'suhh',
};
const GENDERS: Record<string, string> = {
  male: 'male',
  m: 'male',
  man: 'male',
  м: 'male',
  муж: 'male',
  мужской: 'male',
  мужчина: 'male',
  мужчына: 'male',
  мужчынскі: 'male',
  female: 'female',
  f: 'female',
  woman: 'female',
  ж: 'female',
  жен: 'female',
  женский: 'female',
  женщина: 'female',
  жанчына: 'female',
  жаночы: 'female',
  other: 'other',
};

/**
 * One source value as the value of a property type: dates (with `format` if given; ISO forms and
 * `YYYY-MM-DD HH:MM:SS` without), countries (codes or names), genders (words). Other types pass as
 * they are; the registry's validation checks lengths and characters afterwards.
 */
export function cleanValue(
  type: PropertyType,
  raw: string,
  format?: string,
): { value: string } | { problem: string } {
  const value = raw.trim();
  switch (type) {
    case 'date': {
      if (format !== undefined) {
        const parsed = parseDateWithFormat(value, format);
        return parsed
          ? { value: parsed }
          : { problem: `"${value.slice(0, 40)}" does not match the date format "${format}"` };
      }
      const iso = value.replace(/^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?$/, '$1T$2');
      const trimmed = /T00:00(:00)?$/.test(iso) ? iso.slice(0, 10) : iso;
      return parsePartialDate(trimmed)
        ? { value: trimmed }
        : {
            problem: `"${value.slice(0, 40)}" is not a date in the form YYYY-MM-DD (give "format" for other forms)`,
          };
    }
    case 'country': {
      const lower = value.toLowerCase();
      if (/^[a-z]{2}$/.test(lower)) return { value: lower };
      const byName = COUNTRY_NAMES[lower.replace(/\s+/g, ' ')];
      return byName ? { value: byName } : { value: lower };
    }
    case 'gender': {
      const gender = GENDERS[value.toLowerCase().replace(/\.$/, '')];
      return gender
        ? { value: gender }
        : { problem: `"${value.slice(0, 20)}" is not a gender (male, female, other)` };
    }
    default:
      return { value };
  }
}
