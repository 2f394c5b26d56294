/**
 * Token analysis for screening, built on the pure name functions of `src/names/`. A token is analysed
 * once (the index interns tokens, so one analysis serves every entity that carries it) into compact
 * facts: skeletons under every applicable romanization scheme, phonetic keys, dictionary readings as a
 * given name or a patronymic. Comparison of two analysed tokens is then a few small-array checks and,
 * as the last resort, one bounded edit distance — fast enough to score hundreds of candidates per query.
 *
 * Why not call `names.compareTokens(a, b)` on raw strings: it would re-analyse both tokens per call;
 * screening compares each query token with thousands of stored tokens per query.
 */
import {
  ALL_SCHEMES,
  cleanText,
  damerauLevenshtein,
  detectCyrillicLanguage,
  dictionaryIndex,
  type FeminineRule,
  foldCase,
  foreignFormBases,
  hasControlChars,
  isCyrillicLetter,
  isLatinLetter,
  lookupCyrillic,
  patronymicStem,
  phoneticKey,
  repairHomoglyphs,
  romanize,
  type SchemeId,
  skeletonVariants,
} from '../names/index.js';
import { type Growable, hashKey } from './growable.js';

/** Longest name accepted, in characters after clean-up (a person's full name is far shorter). */
export const MAX_NAME_CHARS = 300;

export type TokenScript = 'cyrillic' | 'latin' | 'other';

/** What the analysis knows about one token (shared by every occurrence of the token). */
export interface TokenInfo {
  /** Case-folded text. */
  readonly text: string;
  readonly script: TokenScript;
  /** Cyrillic orthography: Belarusian, Russian or undecidable. */
  readonly lang: 'be' | 'ru' | 'ambiguous' | 'latin';
  /** Distinct skeletons (Latin tokens: of the token; Cyrillic: of every scheme's romanization). */
  readonly skeletons: readonly string[];
  /** Distinct phonetic keys of the skeletons. */
  readonly phonetics: readonly string[];
  /** 32-bit hashes of `skeletons` and `phonetics` (integer comparisons on the hot path). */
  readonly skeletonIds: readonly number[];
  readonly phoneticIds: readonly number[];
  /** Letter-presence bit masks of `skeletons` and `phonetics` (cheap edit-distance rejection). */
  readonly skeletonMasks: readonly number[];
  readonly phoneticMasks: readonly number[];
  /** Given-name dictionary entries this token is a form of. */
  readonly given: readonly number[];
  /** Dictionary entries this token is a patronymic of (the father's given name). */
  readonly patronymic: readonly number[];
  /** Gender the dictionary implies: 0 unknown, 1 male, 2 female. */
  readonly gender: 0 | 1 | 2;
  /** True when the token looks like a patronymic (suffix), dictionary or not. */
  readonly patronymicShaped: boolean;
  /** A single letter (an initial). */
  readonly initial: boolean;
  /**
   * Latin tokens with a foreign feminine ending (Czech -ová, Lithuanian -ienė/-aitė/-ytė/-ė, Latvian
   * -a/-e) or a Baltic masculine one (-as, -ius, -us, -is, -s): the keys of the base forms the stored
   * name can have, per rule (query side only).
   */
  readonly feminine: readonly FeminineKeys[];
}

/** Keys of the base forms one foreign feminine rule gives (see `foreignFeminineBases`). */
export interface FeminineKeys {
  readonly rule: FeminineRule;
  readonly base: string;
  readonly detail: string;
  readonly skeletonIds: readonly number[];
  readonly phoneticIds: readonly number[];
  readonly phonetics: readonly string[];
}

function feminineKeys(folded: string): FeminineKeys[] {
  return foreignFormBases(folded).map(({ base, rule, detail }) => {
    const skeletons = skeletonVariants(base);
    const phonetics: string[] = [];
    for (const skel of skeletons) pushUnique(phonetics, phoneticKey(skel));
    return {
      rule,
      base,
      detail,
      skeletonIds: skeletons.map(hashKey),
      phoneticIds: phonetics.map(hashKey),
      phonetics,
    };
  });
}

/** Result of comparing two tokens: similarity in 0..1 and the rule that produced it. */
export interface TokenComparison {
  score: number;
  rule: string;
}

/** Rule scores, highest first: a rule never scores above a stronger one. */
export const RULE_SCORES = {
  exact: 1,
  scheme: 0.97,
  skeleton: 0.96,
  equivalence: 0.95,
  phonetic: 0.92,
  /** A foreign feminine form whose base spells the stored surname (Kazlovová → Kazlova). */
  feminine: 0.92,
  feminineByPhonetic: 0.88,
  fuzzyEquivalence: 0.86,
  initial: 0.75,
} as const;

function scriptOf(text: string): TokenScript {
  let cyr = 0;
  let lat = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isCyrillicLetter(code)) cyr++;
    else if (isLatinLetter(code)) lat++;
  }
  if (cyr === 0 && lat === 0) return 'other';
  return cyr >= lat ? 'cyrillic' : 'latin';
}

function pushUnique<T>(list: T[], value: T): void {
  if (!list.includes(value)) list.push(value);
}

/** Given-name phonetic keys and their one-deletion neighbourhoods, for the fuzzy dictionary lookup. */
let FUZZY: { exact: Map<string, number[]>; deleted: Map<string, number[]> } | undefined;

function deletionsOf(key: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < key.length; i++) {
    const d = key.slice(0, i) + key.slice(i + 1);
    if (!out.includes(d)) out.push(d);
  }
  return out;
}

function fuzzyTable(): { exact: Map<string, number[]>; deleted: Map<string, number[]> } {
  if (FUZZY) return FUZZY;
  const exact = new Map<string, number[]>();
  const deleted = new Map<string, number[]>();
  const add = (map: Map<string, number[]>, key: string, ids: readonly number[]) => {
    let list = map.get(key);
    if (!list) {
      list = [];
      map.set(key, list);
    }
    for (const id of ids) pushUnique(list, id);
  };
  for (const [key, hits] of dictionaryIndex().phonetic) {
    const ids = [...new Set(hits.filter((h) => h.kind === 'given').map((h) => h.entry))];
    if (ids.length === 0 || key.length < 4) continue;
    add(exact, key, ids);
    for (const d of deletionsOf(key)) add(deleted, d, ids);
  }
  FUZZY = { exact, deleted };
  return FUZZY;
}

/**
 * Given-name entries within one edit of a token's phonetic keys (query side only: it absorbs typos in
 * given names, "Aleksandrr", "Sergej" → Сергей, without indexing edit neighbourhoods of given names).
 * Symmetric deletion over a precomputed table: a few map look-ups per key.
 */
export function fuzzyGivenNames(info: TokenInfo): number[] {
  if (info.given.length > 0 || info.patronymicShaped || info.initial) return [];
  const { exact, deleted } = fuzzyTable();
  const out: number[] = [];
  for (const key of info.phonetics.slice(0, 3)) {
    if (key.length < 4) continue;
    for (const id of deleted.get(key) ?? []) pushUnique(out, id);
    for (const d of deletionsOf(key)) {
      for (const id of exact.get(d) ?? []) pushUnique(out, id);
      for (const id of deleted.get(d) ?? []) pushUnique(out, id);
    }
  }
  return out;
}

/** Analyses one folded token (see `TokenInfo`). */
export function analyseToken(folded: string): TokenInfo {
  const script = scriptOf(folded);
  const skeletons: string[] = [];
  const given: number[] = [];
  const patronymic: number[] = [];
  let gender: 0 | 1 | 2 = 0;
  const setGender = (g: 'm' | 'f') => {
    const value = g === 'm' ? 1 : 2;
    gender = gender === 0 || gender === value ? value : 0;
  };
  let lang: TokenInfo['lang'] = 'latin';
  const dict = dictionaryIndex();
  if (script === 'cyrillic') {
    lang = detectCyrillicLanguage(folded);
    for (const scheme of ALL_SCHEMES) {
      if (lang !== 'ambiguous' && scheme.lang !== lang) continue;
      for (const skel of skeletonVariants(romanize(folded, scheme))) pushUnique(skeletons, skel);
    }
    // Lists that leave ў out (Пятроўна → Piatrona, Навумаў → Navuma): the first Belarusian scheme once more without it.
    const withoutU = folded.includes('ў') && lang !== 'ru' ? folded.replaceAll('ў', '') : '';
    const firstBelarusian = ALL_SCHEMES.find((scheme) => scheme.lang === 'be');
    if (withoutU.length >= 3 && firstBelarusian)
      for (const skel of skeletonVariants(romanize(withoutU, firstBelarusian))) pushUnique(skeletons, skel);
    for (const hit of lookupCyrillic(folded)) {
      if (hit.kind === 'given') pushUnique(given, hit.entry);
      else pushUnique(patronymic, hit.entry);
      setGender(hit.gender);
    }
  } else if (script === 'latin') {
    for (const skel of skeletonVariants(folded)) pushUnique(skeletons, skel);
    const hits = dict.latin.get(folded) ?? [];
    const all = hits.length > 0 ? hits : skeletons.flatMap((s) => dict.skeleton.get(s) ?? []);
    for (const hit of all) {
      if (hit.kind === 'given') pushUnique(given, hit.entry);
      else pushUnique(patronymic, hit.entry);
      setGender(hit.gender);
    }
  }
  const phonetics: string[] = [];
  for (const skel of skeletons) pushUnique(phonetics, phoneticKey(skel));
  let patronymicShaped = patronymic.length > 0;
  for (const skel of skeletons) {
    const stem = patronymicStem(skel);
    if (!stem) continue;
    patronymicShaped = true;
    setGender(stem.gender);
    for (const id of dict.patronymicStems.get(phoneticKey(stem.stem)) ?? []) pushUnique(patronymic, id);
  }
  if (given.length === 0 && patronymic.length === 0) {
    for (const key of phonetics) {
      for (const hit of dict.phonetic.get(key) ?? []) {
        if (hit.kind === 'given') {
          pushUnique(given, hit.entry);
          setGender(hit.gender);
        }
      }
    }
  }
  const letters = skeletons[0]?.length ?? 0;
  return {
    skeletonIds: skeletons.map(hashKey),
    phoneticIds: phonetics.map(hashKey),
    skeletonMasks: skeletons.map(letterMask),
    phoneticMasks: phonetics.map(letterMask),
    text: folded,
    script,
    lang,
    skeletons,
    phonetics,
    given,
    patronymic,
    gender,
    patronymicShaped: patronymicShaped && given.length === 0,
    initial: Array.from(folded).length === 1 || (letters <= 1 && folded.length <= 2),
    feminine: script === 'latin' && given.length === 0 && !patronymicShaped ? feminineKeys(folded) : [],
  };
}

function firstLetters(t: TokenInfo): number[] {
  return t.skeletons.map((s) => s.charCodeAt(0));
}

function intersects(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    for (let j = 0; j < b.length; j++) if (b[j] === x) return true;
  }
  return false;
}

/**
 * Edit-distance similarity of two tokens over their skeletons and phonetic keys (best pair), shaped so
 * one slip in a long token stays high (0.85 at 1/7) while two slips in a short one fall fast (0.58
 * at 2/7): random similar surnames must not pass as typos.
 */
export function editSimilarity(a: TokenInfo, b: TokenInfo): number {
  let best = pairsSimilarity(a.phonetics, a.phoneticMasks, b.phonetics, b.phoneticMasks, 0);
  if (best < 0.78) best = pairsSimilarity(a.skeletons, a.skeletonMasks, b.skeletons, b.skeletonMasks, best);
  return Math.min(0.9, Math.max(0, best));
}

function pairsSimilarity(
  xs: readonly string[],
  xm: readonly number[],
  ys: readonly string[],
  ym: readonly number[],
  start: number,
): number {
  let best = start;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    for (let j = 0; j < ys.length; j++) {
      const y = ys[j]!;
      const longest = Math.max(x.length, y.length);
      if (longest < 3 || Math.abs(x.length - y.length) > 2) continue;
      // Each edit changes at most two letters of the presence set: more differing letters, more edits.
      if (popcount(xm[i]! ^ ym[j]!) > 4) continue;
      const d = boundedDistance(x, y, 2);
      if (d > 2) continue;
      const ratio = d / longest;
      // One slip is a typo whatever the length; two or more make another word unless it is long.
      const shaped = 1 - ratio * (0.6 + 4 * ratio);
      const sim = d <= 1 ? Math.max(0.78, shaped) : Math.min(0.7, shaped);
      if (sim > best) best = sim;
    }
  }
  return best;
}

function letterMask(key: string): number {
  let mask = 0;
  for (let i = 0; i < key.length; i++) mask |= 1 << (key.charCodeAt(i) & 31);
  return mask;
}

function popcount(v: number): number {
  let x = v - ((v >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Optimal-string-alignment distance with an early exit above `max` (returns max + 1). */
export const boundedDistance = damerauLevenshtein;

/**
 * Compares two analysed tokens. `fuzzyGivenA` are the query token's one-edit dictionary readings
 * (from `fuzzyGivenNames`), used only when nothing stronger applies.
 */
export function compareTokenInfo(
  a: TokenInfo,
  b: TokenInfo,
  fuzzyGivenA: readonly number[] = [],
): TokenComparison {
  if (a.text === b.text) return { score: RULE_SCORES.exact, rule: 'exact' };
  if (a.initial || b.initial) {
    if (a.initial && b.initial) return { score: 0, rule: 'none' };
    return intersects(firstLetters(a), firstLetters(b))
      ? { score: RULE_SCORES.initial, rule: 'initial' }
      : { score: 0, rule: 'none' };
  }
  if (intersects(a.skeletonIds, b.skeletonIds)) {
    const cross = a.script !== b.script && a.script !== 'other' && b.script !== 'other';
    return cross
      ? { score: RULE_SCORES.scheme, rule: 'scheme' }
      : { score: RULE_SCORES.skeleton, rule: 'skeleton' };
  }
  if (intersects(a.given, b.given) || intersects(a.patronymic, b.patronymic)) {
    return { score: RULE_SCORES.equivalence, rule: 'equivalence:be-ru' };
  }
  if (intersects(a.phoneticIds, b.phoneticIds)) return { score: RULE_SCORES.phonetic, rule: 'phonetic' };
  for (const f of a.feminine) {
    if (intersects(f.skeletonIds, b.skeletonIds))
      return { score: RULE_SCORES.feminine, rule: 'feminine-form' };
  }
  for (const f of a.feminine) {
    if (intersects(f.phoneticIds, b.phoneticIds))
      return { score: RULE_SCORES.feminineByPhonetic, rule: 'feminine-form' };
  }
  const edit = editSimilarity(a, b);
  if (fuzzyGivenA.length > 0 && intersects(fuzzyGivenA, b.given) && edit < RULE_SCORES.fuzzyEquivalence) {
    return { score: RULE_SCORES.fuzzyEquivalence, rule: 'equivalence:be-ru+edit-distance' };
  }
  return edit > 0 ? { score: edit, rule: 'edit-distance' } : { score: 0, rule: 'none' };
}

/**
 * A token as the index keeps it: the facts the scorer compares, packed into one number array and one
 * string (a million persons carry a few million distinct spellings; `TokenInfo` objects would not fit).
 *   bits: counts of skeletons (4 bits), phonetics (4), given (4), patronymic (4) entries; initial,
 *         patronymic-shaped; script (2 bits)
 *   at:   offset in the index's Int32 pool of: skeleton hashes, phonetic hashes, skeleton masks,
 *         phonetic masks, given ids, patronymic ids
 *   keys: skeletons then phonetics, joined by '|' (read only for edit distances)
 */
export interface StoredToken {
  readonly text: string;
  readonly bits: number;
  readonly at: number;
  readonly keys: string;
}

const SCRIPT_CODE: Record<TokenScript, number> = { other: 0, cyrillic: 1, latin: 2 };

/** Packs an analysis for the index. */
export function storeToken(info: TokenInfo, pool: Growable<Int32Array>): StoredToken {
  const ns = Math.min(15, info.skeletons.length);
  const np = Math.min(15, info.phonetics.length);
  const ng = Math.min(15, info.given.length);
  const nt = Math.min(15, info.patronymic.length);
  const at = pool.length;
  for (const value of [
    ...info.skeletonIds.slice(0, ns),
    ...info.phoneticIds.slice(0, np),
    ...info.skeletonMasks.slice(0, ns),
    ...info.phoneticMasks.slice(0, np),
    ...info.given.slice(0, ng),
    ...info.patronymic.slice(0, nt),
  ])
    pool.push(value | 0);
  const bits =
    ns |
    (np << 4) |
    (ng << 8) |
    (nt << 12) |
    (info.initial ? 1 << 16 : 0) |
    (info.patronymicShaped ? 1 << 17 : 0) |
    (SCRIPT_CODE[info.script] << 18);
  return {
    text: info.text,
    bits,
    at,
    keys: [...info.skeletons.slice(0, ns), ...info.phonetics.slice(0, np)].join('|'),
  };
}

/** True when a stored token is an initial. */
export function storedInitial(token: StoredToken): boolean {
  return (token.bits & (1 << 16)) !== 0;
}

function anyEqual(a: readonly number[], nums: Int32Array, from: number, to: number): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]! | 0;
    for (let j = from; j < to; j++) if (nums[j] === x) return true;
  }
  return false;
}

/**
 * `compareTokenInfo` against a stored token: same rules, read from the packed form. The edit-distance
 * fallback splits the key string only for pairs the letter masks let through.
 */
export function compareStored(
  a: TokenInfo,
  b: StoredToken,
  pool: Int32Array,
  fuzzyGivenA: readonly number[] = [],
): TokenComparison {
  if (a.text === b.text) return { score: RULE_SCORES.exact, rule: 'exact' };
  const bits = b.bits;
  const ns = bits & 15;
  const np = (bits >> 4) & 15;
  const ng = (bits >> 8) & 15;
  const nt = (bits >> 12) & 15;
  const nums = pool;
  const o = b.at;
  const bInitial = (bits & (1 << 16)) !== 0;
  if (a.initial || bInitial) {
    if (a.initial && bInitial) return { score: 0, rule: 'none' };
    const bFirst = b.keys
      .split('|')
      .slice(0, ns)
      .map((k) => k.charCodeAt(0));
    return intersects(firstLetters(a), bFirst)
      ? { score: RULE_SCORES.initial, rule: 'initial' }
      : { score: 0, rule: 'none' };
  }
  if (anyEqual(a.skeletonIds, nums, o, o + ns)) {
    const bScript = (bits >> 18) & 3;
    const aScript = SCRIPT_CODE[a.script];
    const cross = aScript !== bScript && aScript !== 0 && bScript !== 0;
    return cross
      ? { score: RULE_SCORES.scheme, rule: 'scheme' }
      : { score: RULE_SCORES.skeleton, rule: 'skeleton' };
  }
  const givenFrom = 2 * (ns + np);
  if (
    anyEqual(a.given, nums, o + givenFrom, o + givenFrom + ng) ||
    anyEqual(a.patronymic, nums, o + givenFrom + ng, o + givenFrom + ng + nt)
  ) {
    return { score: RULE_SCORES.equivalence, rule: 'equivalence:be-ru' };
  }
  if (anyEqual(a.phoneticIds, nums, o + ns, o + ns + np))
    return { score: RULE_SCORES.phonetic, rule: 'phonetic' };
  for (const f of a.feminine) {
    if (anyEqual(f.skeletonIds, nums, o, o + ns))
      return { score: RULE_SCORES.feminine, rule: 'feminine-form' };
  }
  for (const f of a.feminine) {
    if (anyEqual(f.phoneticIds, nums, o + ns, o + ns + np))
      return { score: RULE_SCORES.feminineByPhonetic, rule: 'feminine-form' };
  }
  // Edit distance, when the letter masks allow a close pair at all.
  let possible = false;
  for (let i = 0; i < a.phoneticMasks.length && !possible; i++) {
    for (let j = 0; j < np; j++)
      if (popcount(a.phoneticMasks[i]! ^ nums[o + 2 * ns + np + j]!) <= 4) possible = true;
  }
  for (let i = 0; i < a.skeletonMasks.length && !possible; i++) {
    for (let j = 0; j < ns; j++)
      if (popcount(a.skeletonMasks[i]! ^ nums[o + ns + np + j]!) <= 4) possible = true;
  }
  let edit = 0;
  if (possible) {
    const keys = b.keys.split('|');
    const bSkeletons = keys.slice(0, ns);
    const bPhonetics = keys.slice(ns, ns + np);
    const bSkeletonMasks = Array.from(nums.subarray(o + ns + np, o + 2 * ns + np));
    const bPhoneticMasks = Array.from(nums.subarray(o + 2 * ns + np, o + 2 * ns + 2 * np));
    edit = pairsSimilarity(a.phonetics, a.phoneticMasks, bPhonetics, bPhoneticMasks, 0);
    if (edit < 0.78) edit = pairsSimilarity(a.skeletons, a.skeletonMasks, bSkeletons, bSkeletonMasks, edit);
    edit = Math.min(0.9, Math.max(0, edit));
  }
  if (
    fuzzyGivenA.length > 0 &&
    anyEqual(fuzzyGivenA, nums, o + givenFrom, o + givenFrom + ng) &&
    edit < RULE_SCORES.fuzzyEquivalence
  ) {
    return { score: RULE_SCORES.fuzzyEquivalence, rule: 'equivalence:be-ru+edit-distance' };
  }
  return edit > 0 ? { score: edit, rule: 'edit-distance' } : { score: 0, rule: 'none' };
}

/**
 * The foreign feminine rule under which query token `a` spells stored token `b` (for explanations:
 * `feminine-form:cs-ova`), with its human-readable detail; null when none applies.
 */
export function feminineBetween(a: TokenInfo, b: TokenInfo): FeminineKeys | null {
  for (const f of a.feminine) if (intersects(f.skeletonIds, b.skeletonIds)) return f;
  for (const f of a.feminine) if (intersects(f.phoneticIds, b.phoneticIds)) return f;
  return null;
}

/**
 * The scheme that turns the Cyrillic token into the Latin one (for explanations: `scheme:icao-be`).
 * Runs only for the few tokens shown in results.
 */
export function schemeBetween(
  a: TokenInfo,
  b: TokenInfo,
  nameLang: 'be' | 'ru' | 'ambiguous' = 'ambiguous',
): SchemeId | null {
  const [cyr, lat] = a.script === 'cyrillic' ? [a, b] : [b, a];
  if (cyr.script !== 'cyrillic' || lat.script !== 'latin') return null;
  const latSkeletons = new Set(lat.skeletons);
  let fallback: SchemeId | null = null;
  // A word like "Наумов" is spelled alike in both languages: the rest of its name tells which it is.
  const lang = cyr.lang !== 'ambiguous' ? cyr.lang : nameLang;
  const ordered =
    lang === 'ru'
      ? [...ALL_SCHEMES].sort((x, y) => (x.lang === 'ru' ? 0 : 1) - (y.lang === 'ru' ? 0 : 1))
      : ALL_SCHEMES;
  for (const scheme of ordered) {
    if (lang !== 'ambiguous' && cyr.lang !== 'ambiguous' && scheme.lang !== cyr.lang) continue;
    const latin = romanize(cyr.text, scheme);
    if (latin.toLowerCase() === lat.text) return scheme.id;
    if (!fallback && skeletonVariants(latin).some((s) => latSkeletons.has(s))) fallback = scheme.id;
  }
  return fallback;
}

/** Why a name was rejected. */
export type NameProblem =
  | 'SVD_SCREENING_NAME_EMPTY'
  | 'SVD_SCREENING_NAME_TOO_LONG'
  | 'SVD_SCREENING_NAME_CONTROL_CHARS'
  | 'SVD_SCREENING_NAME_NO_LETTERS';

/** A name split into tokens, with signals for the part each token plays. */
export interface SplitName {
  /** Cleaned text. */
  text: string;
  /** Tokens in their original case. */
  tokens: string[];
  /** Case-folded tokens. */
  folded: string[];
  /** Index of the token before a comma ("SURNAME, Given"), or -1. */
  commaAfter: number;
  /** Tokens written in capitals in a name that also has lower case (a surname signal). */
  upper: boolean[];
}

function isLetter(code: number): boolean {
  return (
    isCyrillicLetter(code) || isLatinLetter(code) || (code > 0xbf && /\p{L}/u.test(String.fromCharCode(code)))
  );
}

/**
 * Cleans and splits a name. Rejects empty, over-long and control-character names with a coded
 * problem rather than guessing: a screening answer for a garbled name would be misleading.
 */
export function splitName(raw: string, options: { strict?: boolean } = {}): SplitName | NameProblem {
  if (typeof raw !== 'string' || raw.trim().length === 0) return 'SVD_SCREENING_NAME_EMPTY';
  if (raw.length > MAX_NAME_CHARS * 4) return 'SVD_SCREENING_NAME_TOO_LONG';
  if (options.strict !== false && hasControlChars(raw)) return 'SVD_SCREENING_NAME_CONTROL_CHARS';
  const text = repairHomoglyphs(cleanText(raw));
  if (text.length === 0) return 'SVD_SCREENING_NAME_EMPTY';
  if (text.length > MAX_NAME_CHARS) return 'SVD_SCREENING_NAME_TOO_LONG';
  const tokens: string[] = [];
  let commaAfter = -1;
  let current = '';
  const flush = () => {
    if (current.length > 0) tokens.push(current);
    current = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const code = text.charCodeAt(i);
    if (ch === "'" || isLetter(code)) {
      current += ch;
      continue;
    }
    flush();
    if (ch === ',' && commaAfter < 0 && tokens.length > 0) commaAfter = tokens.length - 1;
  }
  flush();
  const words = tokens.map((t) => t.replaceAll("'", '')).filter((t) => t.length > 0);
  if (words.length === 0) return 'SVD_SCREENING_NAME_NO_LETTERS';
  const folded = words.map((t) => foldCase(t));
  const hasLower = words.some((t) => t !== t.toUpperCase());
  const upper = words.map((t) => hasLower && t.length > 1 && t === t.toUpperCase());
  return { text, tokens: words, folded, commaAfter, upper };
}
