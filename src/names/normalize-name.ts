/** `normalizeName`: the entry point that validates, cleans and parses a raw name string. */
import { MAX_NAME_LENGTH, type NameError, nameError } from './errors.js';
import { repairHomoglyphs } from './homoglyphs.js';
import { type ParsedName, type ParsedToken, parseName } from './parse.js';
import {
  type CyrillicLanguage,
  countScripts,
  detectCyrillicLanguage,
  detectScript,
  type Script,
} from './scripts.js';
import { cleanText, foldCase, hasControlChars } from './unicode.js';

export interface NormalizedName {
  readonly ok: true;
  /** The input as given. */
  readonly original: string;
  /** Cleaned (NFKC, apostrophes, whitespace) and homoglyph-repaired, case kept. */
  readonly text: string;
  /** `text` case-folded (lower case, ё → е, no apostrophes): equal folds mean the same spelling. */
  readonly fold: string;
  readonly script: Script;
  /** Belarusian/Russian orthography, for Cyrillic names. */
  readonly cyrillicLanguage?: CyrillicLanguage;
  readonly layout: ParsedName['layout'];
  readonly tokens: readonly ParsedToken[];
}

/**
 * Validates and normalises a personal name. Errors (never thrown): `SVD_NAMES_EMPTY` (empty or
 * whitespace only), `SVD_NAMES_TOO_LONG` (over MAX_NAME_LENGTH characters after cleaning),
 * `SVD_NAMES_CONTROL_CHARS` (C0/C1 control characters other than tab/newline), `SVD_NAMES_NO_LETTERS`.
 * Invisible formatting characters (zero-width spaces, bidi marks, BOM) are removed silently.
 */
export function normalizeName(raw: string): NormalizedName | NameError {
  if (typeof raw !== 'string') return nameError('SVD_NAMES_EMPTY');
  // Reject absurd input before the NFKC pass, which is linear but allocates.
  if (raw.length > MAX_NAME_LENGTH * 8) return nameError('SVD_NAMES_TOO_LONG');
  if (hasControlChars(raw)) return nameError('SVD_NAMES_CONTROL_CHARS');
  const cleaned = cleanText(raw);
  if (cleaned.length === 0) return nameError('SVD_NAMES_EMPTY');
  if (cleaned.length > MAX_NAME_LENGTH) return nameError('SVD_NAMES_TOO_LONG');
  const text = repairHomoglyphs(cleaned);
  const counts = countScripts(text);
  if (counts.cyrillic + counts.latin + counts.other === 0) return nameError('SVD_NAMES_NO_LETTERS');
  const script = detectScript(text);
  const parsed = parseName(text);
  if (parsed.tokens.length === 0) return nameError('SVD_NAMES_NO_LETTERS');
  return {
    ok: true,
    original: raw,
    text,
    fold: foldCase(text),
    script,
    ...(script === 'cyrillic' ? { cyrillicLanguage: detectCyrillicLanguage(text) } : {}),
    layout: parsed.layout,
    tokens: parsed.tokens,
  };
}
