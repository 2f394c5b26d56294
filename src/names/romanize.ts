/**
 * Romanization engine: interprets a `SchemeDefinition` table letter by letter, with the positional
 * rules the standards need (iotated vowels by position, soft sign as acute or apostrophe, word-final
 * endings, hard/soft л). Linear in the input; no regular expressions.
 */
import { ALL_SCHEMES, getScheme, type SchemeDefinition, type SchemeId } from './schemes/index.js';

/** Letters after which е/ё/ю/я take their "after vowel" (iotated) form. */
const VOWEL_LIKE = new Set([
  'а',
  'е',
  'ё',
  'и',
  'о',
  'у',
  'ы',
  'э',
  'ю',
  'я',
  'і',
  'ў',
  'ь',
  'ъ',
  'й',
  "'",
  'ї',
  'є',
]);
const SIBILANTS = new Set(['ж', 'ш', 'ч', 'щ', 'ц']);
/** What makes a preceding л soft (Łacinka/Polish l vs ł). */
const SOFTENS_L = new Set(['ь', 'і', 'и', 'е', 'ё', 'ю', 'я']);
const ITERATED = new Set(['е', 'ё', 'ю', 'я']);

function isWordChar(ch: string): boolean {
  const code = ch.charCodeAt(0);
  return (
    ch === "'" ||
    (code >= 0x400 && code <= 0x52f) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0xc0 && code <= 0x24f)
  );
}

function capitalise(piece: string): string {
  return piece.length === 0 ? piece : piece[0]!.toUpperCase() + piece.slice(1);
}

function romanizeWord(chars: readonly string[], scheme: SchemeDefinition): string {
  const lower = chars.map((c) => {
    const l = c.toLowerCase();
    return l.length === 1 ? l : c;
  });
  const n = lower.length;
  let letters = 0;
  let upper = 0;
  for (let i = 0; i < n; i++) {
    if (lower[i] !== "'") letters++;
    if (chars[i] !== lower[i]) upper++;
  }
  const allCaps = letters > 1 && upper === letters;

  const lowerText = lower.join('');
  const sameUnits = lowerText.length === n;
  let end = n;
  let finalLatin = '';
  let finalUpper = false;
  if (scheme.finals && sameUnits) {
    for (const [ending, latin] of scheme.finals) {
      const len = ending.length;
      if (n > len && lowerText.endsWith(ending)) {
        end = n - len;
        finalLatin = latin;
        finalUpper = chars[end] !== lower[end];
        break;
      }
    }
  }

  let out = '';
  for (let i = 0; i < end; i++) {
    const ch = lower[i]!;
    const prev = i > 0 ? lower[i - 1]! : '';
    const next = i + 1 < n ? lower[i + 1]! : '';
    let piece: string | undefined;
    if (scheme.clusters && sameUnits) {
      for (const [cluster, latin] of scheme.clusters) {
        if (i + cluster.length <= end && lowerText.startsWith(cluster, i)) {
          piece = latin;
          if (chars[i] !== ch) piece = capitalise(piece);
          out += piece;
          i += cluster.length - 1;
          break;
        }
      }
      if (piece !== undefined) continue;
    }
    if (ITERATED.has(ch)) {
      const forms = scheme.iotated[ch as 'е' | 'ё' | 'ю' | 'я'];
      if (prev === '') piece = forms.initial;
      else if (prev === 'л' && scheme.softL && forms.afterSoftL !== undefined) piece = forms.afterSoftL;
      else if (SIBILANTS.has(prev) && forms.afterSibilant !== undefined) piece = forms.afterSibilant;
      else if (prev === 'ы' && forms.afterYery !== undefined) piece = forms.afterYery;
      else if (VOWEL_LIKE.has(prev)) piece = forms.afterVowel;
      else piece = forms.afterConsonant;
    } else if (ch === 'ь') {
      piece = scheme.softSign === 'acute' ? '' : scheme.softSign;
    } else if (ch === 'ъ') {
      piece = scheme.hardSign;
    } else if (ch === "'") {
      piece = scheme.apostrophe;
    } else if (ch === 'л' && scheme.softL) {
      piece = SOFTENS_L.has(next) ? scheme.softL.soft : scheme.softL.hard;
    } else if (ch === 'и' && scheme.iAfterSibilant !== undefined && SIBILANTS.has(prev)) {
      piece = scheme.iAfterSibilant;
    } else if (scheme.softSign === 'acute' && next === 'ь' && scheme.acute?.[ch] !== undefined) {
      piece = scheme.acute[ch];
    } else {
      piece = scheme.letters[ch] ?? chars[i]!;
    }
    if (chars[i] !== ch) piece = capitalise(piece);
    out += piece;
  }
  if (finalLatin) out += finalUpper ? capitalise(finalLatin) : finalLatin;
  return allCaps ? out.toUpperCase() : out;
}

/**
 * Romanizes Cyrillic text under one scheme. Non-letters (spaces, hyphens, digits) pass through; Latin
 * letters already in the text pass through unchanged. Case follows the source: ALL-CAPS words stay
 * all caps, a capital Cyrillic letter gives a capitalised Latin rendering (Ш → Sh).
 */
export function romanize(text: string, scheme: SchemeId | SchemeDefinition): string {
  const definition = typeof scheme === 'string' ? getScheme(scheme) : scheme;
  const chars = Array.from(text);
  let out = '';
  let word: string[] = [];
  for (const ch of chars) {
    if (isWordChar(ch)) {
      word.push(ch);
      continue;
    }
    if (word.length > 0) {
      out += romanizeWord(word, definition);
      word = [];
    }
    out += ch;
  }
  if (word.length > 0) out += romanizeWord(word, definition);
  return out;
}

/** Romanizations of `text` under every scheme for its language, as [scheme id, Latin text] pairs. */
export function romanizeAll(text: string, lang: 'be' | 'ru'): Array<[SchemeId, string]> {
  const result: Array<[SchemeId, string]> = [];
  for (const scheme of ALL_SCHEMES) {
    if (scheme.lang === lang) result.push([scheme.id, romanize(text, scheme)]);
  }
  return result;
}
