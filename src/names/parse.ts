/**
 * Name parsing: splits a personal name into tokens and guesses each token's role (surname, given
 * name, patronymic, initial) with a confidence. Handles "SURNAME Given Patronymic" in any order,
 * "Surname, Given Patronymic", initials ("A. G. Lukashenko", "Лукашенко А.Г."), hyphenated names.
 * Signals: a comma, upper case (lists upper-case surnames), the given-name dictionary, patronymic
 * endings (whose stem is a dictionary name), position.
 */
import { patronymicStem } from './equivalence.js';
import { detectScript, type Script } from './scripts.js';
import { analyzeToken } from './token.js';

export type NameRole = 'surname' | 'given' | 'patronymic' | 'initial' | 'unknown';

export interface ParsedToken {
  /** The token as written (cleaned, homoglyphs repaired). */
  readonly text: string;
  readonly role: NameRole;
  /** 0..1: how sure the role guess is. */
  readonly confidence: number;
  readonly script: Script;
  /** Parts of a hyphenated token ("Петров-Водкин" → ["Петров", "Водкин"]); one element otherwise. */
  readonly parts: readonly string[];
  /** Position in the name (0-based). */
  readonly position: number;
}

export interface ParsedName {
  readonly tokens: readonly ParsedToken[];
  /** Detected layout: 'comma' ("Surname, Given …"), 'surname-first', 'given-first' or 'unknown'. */
  readonly layout: 'comma' | 'surname-first' | 'given-first' | 'unknown';
}

const EDGE_PUNCTUATION = new Set([
  '"',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '«',
  '»',
  '„',
  '“',
  '”',
  ',',
  ';',
  ':',
  '*',
  '/',
]);

function trimPunctuation(token: string): string {
  let start = 0;
  let end = token.length;
  while (start < end && (EDGE_PUNCTUATION.has(token[start]!) || token[start] === '-' || token[start] === '.'))
    start++;
  while (end > start && (EDGE_PUNCTUATION.has(token[end - 1]!) || token[end - 1] === '-')) end--;
  return token.slice(start, end);
}

function hasLetter(s: string): boolean {
  return s.toLowerCase() !== s.toUpperCase();
}

/** Splits a chunk such as "А.Г." or "A.G.Lukashenko" into initials and the rest. */
function splitInitials(chunk: string): string[] {
  const out: string[] = [];
  let rest = chunk;
  for (;;) {
    const chars = Array.from(rest);
    if (chars.length >= 2 && chars[1] === '.' && hasLetter(chars[0]!)) {
      out.push(`${chars[0]}.`);
      rest = chars.slice(2).join('');
      continue;
    }
    break;
  }
  if (rest.length > 0) {
    const trimmed = rest.endsWith('.') && Array.from(rest).length > 2 ? rest.slice(0, -1) : rest;
    out.push(trimmed);
  }
  return out;
}

function tokenize(text: string): Array<{ text: string; beforeComma: boolean }> {
  const commaAt = text.indexOf(',');
  const result: Array<{ text: string; beforeComma: boolean }> = [];
  const pieces = text.split(' ');
  let offset = 0;
  for (const piece of pieces) {
    const pieceStart = offset;
    offset += piece.length + 1;
    const beforeComma = commaAt >= 0 && pieceStart < commaAt;
    for (const raw of piece.split(',')) {
      for (const part of splitInitials(trimPunctuation(raw))) {
        const t = trimPunctuation(
          part.endsWith('.') && Array.from(part).length === 2 ? part.slice(0, 1) : part,
        );
        if (!hasLetter(t)) continue;
        const initial = Array.from(t).length === 1;
        result.push({ text: initial ? `${t}.` : t, beforeComma });
      }
    }
  }
  return result;
}

interface Features {
  text: string;
  beforeComma: boolean;
  isInitial: boolean;
  isUpper: boolean;
  given: number;
  patronymic: number;
}

function features(token: { text: string; beforeComma: boolean }): Features {
  const a = analyzeToken(token.text);
  const letters = Array.from(token.text).filter(hasLetter);
  const isUpper = letters.length >= 2 && token.text === token.text.toUpperCase();
  let given = 0;
  let patronymic = 0;
  for (const hit of a.hits) {
    if (hit.kind === 'given') given = Math.max(given, 0.9);
    else patronymic = Math.max(patronymic, 0.95);
  }
  if (a.patronymicEntries.size > 0) patronymic = Math.max(patronymic, 0.85);
  if (patronymic === 0 && a.skeletons[0] && patronymicStem(a.skeletons[0])) {
    const s = a.skeletons[0];
    // -ich alone is too weak (Babrykovich, Yanovich are surnames): only -ovich/-evna-like endings count.
    if (!s.endsWith('ih') || /[aeo]vih$/.test(s)) patronymic = 0.45;
  }
  return {
    text: token.text,
    beforeComma: token.beforeComma,
    isInitial: a.isInitial,
    isUpper,
    given,
    patronymic,
  };
}

/** Parses a cleaned, homoglyph-repaired name string into role-tagged tokens. */
export function parseName(text: string): ParsedName {
  const raw = tokenize(text);
  const feats = raw.map(features);
  const n = feats.length;
  const roles: NameRole[] = new Array(n).fill('unknown');
  const conf: number[] = new Array(n).fill(0.3);
  const hasComma = feats.some((f) => f.beforeComma);
  const allUpper = feats.filter((f) => !f.isInitial).every((f) => f.isUpper);

  for (let i = 0; i < n; i++) {
    const f = feats[i]!;
    if (f.isInitial) {
      roles[i] = 'initial';
      conf[i] = 0.9;
    } else if (f.beforeComma) {
      roles[i] = 'surname';
      conf[i] = 0.95;
    } else if (f.isUpper && !allUpper) {
      roles[i] = 'surname';
      conf[i] = f.patronymic >= 0.85 || f.given >= 0.9 ? 0.6 : 0.85;
    }
  }
  // Patronymic: the strongest patronymic-looking token not already a surname.
  let patronymicAt = -1;
  for (let i = 0; i < n; i++) {
    const f = feats[i]!;
    if (roles[i] !== 'unknown' || f.patronymic === 0) continue;
    const afterGiven = i > 0 && feats[i - 1]!.given > 0 ? 0.05 : 0;
    if (patronymicAt < 0 || f.patronymic + afterGiven > feats[patronymicAt]!.patronymic) patronymicAt = i;
  }
  // Given name: a dictionary name, preferably right before the patronymic.
  let givenAt = -1;
  for (let i = 0; i < n; i++) {
    if (roles[i] !== 'unknown' || i === patronymicAt || feats[i]!.given === 0) continue;
    if (givenAt < 0 || i === patronymicAt - 1) givenAt = i;
  }
  if (givenAt < 0 && patronymicAt > 0 && roles[patronymicAt - 1] === 'unknown') givenAt = patronymicAt - 1;
  if (patronymicAt >= 0 && (feats[patronymicAt]!.patronymic >= 0.85 || givenAt === patronymicAt - 1)) {
    roles[patronymicAt] = 'patronymic';
    conf[patronymicAt] = Math.max(feats[patronymicAt]!.patronymic, givenAt === patronymicAt - 1 ? 0.8 : 0);
  }
  if (givenAt >= 0) {
    roles[givenAt] = 'given';
    conf[givenAt] = feats[givenAt]!.given > 0 ? feats[givenAt]!.given : 0.6;
  }
  // Surname: the leftover token(s).
  const hasSurname = roles.includes('surname');
  const unknown = roles.map((r, i) => (r === 'unknown' ? i : -1)).filter((i) => i >= 0);
  if (!hasSurname && unknown.length > 0) {
    let pick = unknown[0]!;
    if (unknown.length > 1) {
      // Without other signals: a given name at the start means "Given … Surname", else surname first.
      const givenFirst = givenAt === 0 || (givenAt < 0 && patronymicAt === 1);
      pick = givenFirst ? unknown[unknown.length - 1]! : unknown[0]!;
    }
    roles[pick] = 'surname';
    const otherSignals = givenAt >= 0 || patronymicAt >= 0 || roles.includes('initial');
    conf[pick] = unknown.length === 1 ? (otherSignals ? 0.75 : 0.5) : 0.45;
  }
  // Remaining unknowns: a dictionary given name is a second given name; the rest stay unknown.
  for (const i of unknown) {
    if (roles[i] !== 'unknown') continue;
    if (feats[i]!.given > 0) {
      roles[i] = 'given';
      conf[i] = 0.6;
    }
  }
  if (!roles.includes('given') && n >= 2) {
    const free = roles.indexOf('unknown');
    if (free >= 0) {
      roles[free] = 'given';
      conf[free] = 0.4;
    }
  }

  const surnameAt = roles.indexOf('surname');
  const firstGiven = roles.indexOf('given');
  let layout: ParsedName['layout'] = 'unknown';
  if (hasComma) layout = 'comma';
  else if (surnameAt >= 0 && firstGiven >= 0)
    layout = surnameAt < firstGiven ? 'surname-first' : 'given-first';

  const tokens: ParsedToken[] = feats.map((f, i) => ({
    text: f.text,
    role: roles[i]!,
    confidence: Math.round(conf[i]! * 100) / 100,
    script: detectScript(f.text),
    parts: f.text.includes('-') ? f.text.split('-').filter((p) => p.length > 0) : [f.text],
    position: i,
  }));
  return { tokens, layout };
}
