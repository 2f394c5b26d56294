/**
 * Unicode clean-up shared by every name function: one linear pass, no regular expressions per
 * character, so it stays fast and safe on long or hostile input (10,000+ characters of garbage).
 */

/** Canonical apostrophe used inside names after cleaning (Belarusian `Дар'я`, Latin `O'Neil`). */
const APOSTROPHE = "'";

/** Characters that people, keyboards and lists use for the Belarusian apostrophe. */
const APOSTROPHE_VARIANTS = new Set([
  0x27, 0x2019, 0x2018, 0x02bc, 0x02b9, 0x02bb, 0x2032, 0x0060, 0x00b4, 0xff07, 0x201b, 0x02c8,
]);

const ACUTE_AS_APOSTROPHE = /[\u00b4\u02b9\u02ca\u0384]/g;

/** Hyphen and dash variants folded to ASCII '-'. */
const DASH_VARIANTS = new Set([0x2d, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xfe63, 0xff0d]);

function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code < 0xa0);
}

/** Invisible formatting characters (zero-width, BOM, bidi marks, soft hyphen) that copy-paste leaves in names. */
function isInvisibleFormat(code: number): boolean {
  return (
    code === 0xad ||
    code === 0x034f ||
    code === 0x061c ||
    code === 0x180e ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2060 && code <= 0x206f) ||
    code === 0xfeff
  );
}

/**
 * Letters of other Cyrillic alphabets (Ukrainian, Serbian, Macedonian) that turn up in Belarusian and Russian
 * names, as the Belarusian/Russian letters they stand for; the Latin kra, which copy-paste puts for `к`; and the
 * accented е/и that a stress mark composes into.
 */
const FOREIGN_LETTERS: Record<string, string> = {
  ї: 'і',
  Ї: 'І',
  є: 'е',
  Є: 'Е',
  ґ: 'г',
  Ґ: 'Г',
  љ: 'ль',
  Љ: 'Ль',
  њ: 'нь',
  Њ: 'Нь',
  ћ: 'ч',
  Ћ: 'Ч',
  ђ: 'дж',
  Ђ: 'Дж',
  џ: 'дж',
  Џ: 'Дж',
  ј: 'й',
  Ј: 'Й',
  ĸ: 'k',
  // Grave-accented е and и are precomposed letters, so NFKC turns a stress mark on them into these.
  ѐ: 'е',
  Ѐ: 'Е',
  ѝ: 'и',
  Ѝ: 'И',
};

/** Combining marks (stress accents and the like, U+0300–U+036F, and the Cyrillic ones U+0483–U+0489). */
function isCombiningMark(code: number): boolean {
  return (code >= 0x300 && code <= 0x36f) || (code >= 0x483 && code <= 0x489);
}

function isCyrillicCode(code: number): boolean {
  return code >= 0x400 && code <= 0x52f;
}

function isSpace(code: number): boolean {
  return (
    code === 0x20 ||
    code === 0x09 ||
    code === 0x0a ||
    code === 0x0d ||
    code === 0x0b ||
    code === 0x0c ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0x85
  );
}

/** True when `raw` holds a control character other than ordinary whitespace (tab, newline, CR). */
export function hasControlChars(raw: string): boolean {
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (isControl(code) && code !== 0x09 && code !== 0x0a && code !== 0x0d) return true;
  }
  return false;
}

/**
 * Cleans free text for name processing: NFKC (fullwidth letters, ligatures, compatibility forms),
 * apostrophe variants to `'`, dash variants to `-`, control and invisible characters dropped, any
 * whitespace run collapsed to one space, trimmed. Case is kept: upper case is a surname signal.
 * Lone surrogates are dropped so later `normalize` calls cannot throw.
 */
export function cleanText(raw: string): string {
  if (typeof raw !== 'string' || raw.length === 0) return '';
  let text: string;
  try {
    // NFKC would turn the acute accent used as an apostrophe (´) into a space and a combining mark.
    text = raw.replace(ACUTE_AS_APOSTROPHE, APOSTROPHE).normalize('NFKC');
  } catch {
    text = raw;
  }
  let out = '';
  let pendingSpace = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        if (pendingSpace && out.length > 0) out += ' ';
        pendingSpace = false;
        out += text[i]! + text[i + 1]!;
        i++;
      }
      continue;
    }
    if (code >= 0xdc00 && code <= 0xdfff) continue;
    if (isSpace(code)) {
      pendingSpace = true;
      continue;
    }
    if (isControl(code) || isInvisibleFormat(code)) continue;
    // After NFKC a combining mark still standing after a Cyrillic letter is a stress mark (й, ё, ў are composed).
    if (isCombiningMark(code) && out.length > 0 && isCyrillicCode(out.charCodeAt(out.length - 1))) continue;
    if (pendingSpace && out.length > 0) out += ' ';
    pendingSpace = false;
    if (APOSTROPHE_VARIANTS.has(code)) out += APOSTROPHE;
    else if (DASH_VARIANTS.has(code)) out += '-';
    else out += FOREIGN_LETTERS[text[i]!] ?? text[i];
  }
  return out;
}

/**
 * Case fold for comparison: lower case (locale-independent), `ё` to `е` (Russian writes `е` for `ё`
 * in most documents) and apostrophes removed.
 */
export function foldCase(text: string): string {
  const lower = text.toLowerCase();
  let out = '';
  for (let i = 0; i < lower.length; i++) {
    const ch = lower[i]!;
    if (ch === 'ё') out += 'е';
    else if (ch === APOSTROPHE) continue;
    else out += ch;
  }
  return out;
}

const DIACRITIC_CACHE = new Map<string, string>();

/** Removes combining marks after canonical decomposition and maps the few letters NFD keeps (ł, đ, ø, ß). */
export function stripDiacritics(text: string): string {
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return text;
  const cached = DIACRITIC_CACHE.get(text);
  if (cached !== undefined) return cached;
  let out = '';
  const decomposed = text.normalize('NFD');
  let baseIsCyrillic = false;
  for (let i = 0; i < decomposed.length; i++) {
    const code = decomposed.charCodeAt(i);
    if (code >= 0x300 && code <= 0x36f) {
      // й, ё, ў, ї decompose too: their marks are letters of the alphabet, not diacritics to drop.
      if (baseIsCyrillic) out += decomposed[i];
      continue;
    }
    baseIsCyrillic = code >= 0x400 && code <= 0x4ff;
    const ch = decomposed[i]!;
    switch (ch) {
      case 'ł':
        out += 'l';
        break;
      case 'Ł':
        out += 'L';
        break;
      case 'đ':
        out += 'd';
        break;
      case 'Đ':
        out += 'D';
        break;
      case 'ø':
        out += 'o';
        break;
      case 'Ø':
        out += 'O';
        break;
      case 'ß':
        out += 'ss';
        break;
      case 'ı':
        out += 'i';
        break;
      default:
        out += ch;
    }
  }
  // Cyrillic й and ё decompose to и/е + mark: recompose so Cyrillic text survives untouched.
  const result = out.normalize('NFC');
  if (DIACRITIC_CACHE.size > 20_000) DIACRITIC_CACHE.clear();
  DIACRITIC_CACHE.set(text, result);
  return result;
}
