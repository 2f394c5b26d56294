/**
 * Homoglyph repair. Lists and hand-typed records mix look-alike letters: UK entries write Latin `I`/`i`
 * inside Belarusian words ("Iгар Iванавiч БУЗОЎСКI"), OCR and copy-paste put Cyrillic `а`, `о`, `е`
 * inside Latin words. Each word is brought to one script before script detection and matching.
 */
import { isCyrillicLetter, isLatinLetter } from './scripts.js';

/** Latin letters that look like a Cyrillic letter, and that letter. */
const LATIN_TO_CYRILLIC: Record<string, string> = {
  A: 'А',
  a: 'а',
  B: 'В',
  C: 'С',
  c: 'с',
  E: 'Е',
  e: 'е',
  H: 'Н',
  I: 'І',
  i: 'і',
  Ï: 'Ї',
  ï: 'ї',
  J: 'Ј',
  j: 'ј',
  K: 'К',
  k: 'к',
  M: 'М',
  O: 'О',
  o: 'о',
  P: 'Р',
  p: 'р',
  S: 'Ѕ',
  s: 'ѕ',
  T: 'Т',
  X: 'Х',
  x: 'х',
  Y: 'У',
  y: 'у',
  Ë: 'Ё',
  ë: 'ё',
};

/** Cyrillic letters that look like a Latin letter, and that letter. */
const CYRILLIC_TO_LATIN: Record<string, string> = {};
for (const [latin, cyrillic] of Object.entries(LATIN_TO_CYRILLIC)) CYRILLIC_TO_LATIN[cyrillic] = latin;
// Ѕ/Ј are not Belarusian or Russian letters: a Latin S/J in a Cyrillic word stays Latin-unique.
delete LATIN_TO_CYRILLIC.S;
delete LATIN_TO_CYRILLIC.s;
delete LATIN_TO_CYRILLIC.J;
delete LATIN_TO_CYRILLIC.j;

type WordScript = 'cyrillic' | 'latin' | 'undecided';

function classifyWord(word: string): { unique: WordScript; cyrillicUnique: number; latinUnique: number } {
  let cyrillicUnique = 0;
  let latinUnique = 0;
  for (const ch of word) {
    const code = ch.codePointAt(0)!;
    if (isCyrillicLetter(code)) {
      if (CYRILLIC_TO_LATIN[ch] === undefined) cyrillicUnique++;
    } else if (isLatinLetter(code)) {
      if (LATIN_TO_CYRILLIC[ch] === undefined) latinUnique++;
    }
  }
  let unique: WordScript = 'undecided';
  if (cyrillicUnique > latinUnique) unique = 'cyrillic';
  else if (latinUnique > cyrillicUnique) unique = 'latin';
  return { unique, cyrillicUnique, latinUnique };
}

function convert(word: string, target: 'cyrillic' | 'latin'): string {
  const table = target === 'cyrillic' ? LATIN_TO_CYRILLIC : CYRILLIC_TO_LATIN;
  let out = '';
  for (const ch of word) out += table[ch] ?? ch;
  return out;
}

function hasBothScripts(word: string): boolean {
  let cyrillic = false;
  let latin = false;
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i);
    if (isCyrillicLetter(code)) cyrillic = true;
    else if (isLatinLetter(code)) latin = true;
  }
  return cyrillic && latin;
}

/**
 * Brings every word of `text` to one script. A word's script is decided by its letters that exist in
 * one script only (Cyrillic `г`, `ў`, `л`; Latin `l`, `r`, `g`); a word of look-alikes only (e.g. "OCA")
 * follows the majority of the other words. Words already in one script are returned untouched.
 */
export function repairHomoglyphs(text: string): string {
  if (text.length === 0) return text;
  const words = text.split(/([\s-]+)/);
  let needsWork = false;
  for (const word of words) {
    if (hasBothScripts(word)) {
      needsWork = true;
      break;
    }
  }
  if (!needsWork) return text;
  const decisions = words.map((word) => classifyWord(word));
  let cyrillicWords = 0;
  let latinWords = 0;
  for (const d of decisions) {
    if (d.unique === 'cyrillic') cyrillicWords++;
    else if (d.unique === 'latin') latinWords++;
  }
  const majority: WordScript =
    cyrillicWords > latinWords ? 'cyrillic' : latinWords > cyrillicWords ? 'latin' : 'undecided';
  let out = '';
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (!hasBothScripts(word)) {
      out += word;
      continue;
    }
    const decision = decisions[i]!.unique === 'undecided' ? majority : decisions[i]!.unique;
    out += decision === 'undecided' ? word : convert(word, decision);
  }
  return out;
}

/**
 * Converts a whole word to the given script where letters allow (used when the word's script is known
 * from context, e.g. a single-script list column).
 */
export function toScript(word: string, target: 'cyrillic' | 'latin'): string {
  return convert(word, target);
}
