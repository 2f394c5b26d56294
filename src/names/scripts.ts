/**
 * Script detection (Cyrillic / Latin / mixed / other) and Belarusian vs Russian detection for
 * Cyrillic text. Code-point ranges, no regular expressions on the hot path.
 */

/** Writing system of a text or token. */
export type Script = 'cyrillic' | 'latin' | 'mixed' | 'other';

/** Which Cyrillic orthography a text is written in, when the letters tell. */
export type CyrillicLanguage = 'be' | 'ru' | 'ambiguous';

const OTHER_LETTER = /\p{L}/u;

/** True for letters of the Cyrillic blocks (basic, supplement). */
export function isCyrillicLetter(code: number): boolean {
  return (code >= 0x400 && code <= 0x481) || (code >= 0x48a && code <= 0x52f);
}

/** True for Latin letters, ASCII and the Latin-1/Extended blocks used by romanization schemes. */
export function isLatinLetter(code: number): boolean {
  return (
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0xc0 && code <= 0x24f && code !== 0xd7 && code !== 0xf7) ||
    (code >= 0x1e00 && code <= 0x1eff)
  );
}

/** Counts Cyrillic, Latin and other-script letters. */
export function countScripts(text: string): { cyrillic: number; latin: number; other: number } {
  let cyrillic = 0;
  let latin = 0;
  let other = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (isCyrillicLetter(code)) cyrillic++;
    else if (isLatinLetter(code)) latin++;
    else if (code >= 0x80 && OTHER_LETTER.test(ch)) other++;
  }
  return { cyrillic, latin, other };
}

/**
 * Script of a text. Run homoglyph repair first (`repairHomoglyphs`) or a Cyrillic name with a Latin
 * `i` in it reads as 'mixed'. Text without letters is 'other'.
 */
export function detectScript(text: string): Script {
  const { cyrillic, latin, other } = countScripts(text);
  const kinds = (cyrillic > 0 ? 1 : 0) + (latin > 0 ? 1 : 0) + (other > 0 ? 1 : 0);
  if (kinds > 1) return 'mixed';
  if (cyrillic > 0) return 'cyrillic';
  if (latin > 0) return 'latin';
  return 'other';
}

const BELARUSIAN_ONLY = new Set(['і', 'І', 'ў', 'Ў']);
const RUSSIAN_ONLY = new Set(['и', 'И', 'щ', 'Щ', 'ъ', 'Ъ']);

/**
 * Belarusian or Russian orthography of Cyrillic text: і, ў and an apostrophe between Cyrillic letters
 * mean Belarusian; и, щ, ъ mean Russian. Neither (e.g. "Антон", "Марк") or both: 'ambiguous'.
 */
export function detectCyrillicLanguage(text: string): CyrillicLanguage {
  let be = 0;
  let ru = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (BELARUSIAN_ONLY.has(ch)) be++;
    else if (RUSSIAN_ONLY.has(ch)) ru++;
    else if (ch === "'" || ch === '’' || ch === 'ʼ') {
      const before = text.charCodeAt(i - 1);
      const after = text.charCodeAt(i + 1);
      if (isCyrillicLetter(before) && isCyrillicLetter(after)) be++;
    }
  }
  if (be > 0 && ru === 0) return 'be';
  if (ru > 0 && be === 0) return 'ru';
  return 'ambiguous';
}
