/**
 * Per-token analysis shared by `tokenKeys`, `compareTokens` and `nameForms`: cleaned text, script,
 * dictionary readings, romanizations (for Cyrillic tokens), skeletons and phonetic keys. Memoised:
 * name tokens repeat heavily (given names, patronymics), so the work is done once per distinct token.
 */
import {
  belarusianToRussian,
  type DictionaryHit,
  dictionaryIndex,
  entryCyrillicForms,
  givenNameEntry,
  lookupCyrillic,
  patronymicStem,
  russianToBelarusian,
} from './equivalence.js';
import { repairHomoglyphs } from './homoglyphs.js';
import { phoneticKey } from './phonetic.js';
import { romanize } from './romanize.js';
import { ALL_SCHEMES, type SchemeId } from './schemes/index.js';
import { type CyrillicLanguage, detectCyrillicLanguage, detectScript } from './scripts.js';
import { damerauLevenshtein } from './similarity.js';
import { skeletonVariants } from './skeleton.js';
import { cleanText, foldCase, stripDiacritics } from './unicode.js';

/** A Latin rendering of a Cyrillic token and how it was produced. */
export interface LatinRendering {
  readonly text: string;
  readonly scheme: SchemeId;
  readonly lang: 'be' | 'ru';
  /** The Cyrillic form romanized (the token itself, or its Belarusian/Russian equivalent). */
  readonly source: string;
  /** True when `source` is the other language's form (BE ↔ RU equivalence), not the token itself. */
  readonly viaEquivalence: boolean;
  /** True when ў was left out before romanizing (lists that drop it: Пятроўна → Piatrona, Навумаў → Navuma). */
  readonly uDropped?: boolean;
}

/** A Cyrillic form of a token: the token itself or its equivalent in the other language. */
export interface CyrillicRendering {
  readonly text: string;
  readonly lang: 'be' | 'ru';
  readonly viaEquivalence: boolean;
  /** 'dictionary' when the equivalent comes from the given-name dictionary, 'rules' from suffix/letter rules. */
  readonly origin: 'self' | 'dictionary' | 'rules';
}

export interface TokenAnalysis {
  readonly input: string;
  /** Cleaned, homoglyph-repaired, original case. */
  readonly clean: string;
  /** Lower case, ё → е, apostrophes removed. */
  readonly fold: string;
  /** `fold` without diacritics. */
  readonly asciiFold: string;
  /** `clean` in lower case (apostrophes kept). */
  readonly lower: string;
  readonly script: 'cyrillic' | 'latin' | 'mixed' | 'other';
  readonly cyrillicLanguage?: CyrillicLanguage;
  /** A single letter, optionally with a dot ("A.", "Г"). */
  readonly isInitial: boolean;
  /** Dictionary readings (given name or patronymic of an entry). */
  readonly hits: readonly DictionaryHit[];
  /** Entries whose patronymic this token looks like (by stem), when not a direct dictionary hit. */
  readonly patronymicEntries: ReadonlySet<number>;
  /** `patronymicEntries` were found by a one-edit fuzzy stem match (a likely typo), not exactly. */
  readonly patronymicFuzzy: boolean;
  readonly cyrillicForms: readonly CyrillicRendering[];
  /** Lower-case Latin renderings of a Cyrillic token, keyed by text (own-language schemes first). */
  readonly latin: ReadonlyMap<string, LatinRendering>;
  /** Distinct skeletons; the token's own first. */
  readonly skeletons: readonly string[];
  /** Distinct phonetic keys; the token's own first. */
  readonly phonetics: readonly string[];
  /** Gender suggested by the dictionary or the ending, when any. */
  readonly gender?: 'm' | 'f';
  /** Possible first letters in Latin (for initials). */
  readonly initials: ReadonlySet<string>;
}

const CACHE_LIMIT = 200_000;
const cache = new Map<string, TokenAnalysis>();

/** Drops the memo (tests, or a long-lived process that wants its memory back). */
export function clearTokenCache(): void {
  cache.clear();
}

/** Token analysis, memoised. */
export function analyzeToken(token: string): TokenAnalysis {
  const cached = cache.get(token);
  if (cached) return cached;
  const result = analyze(token);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(token, result);
  return result;
}

const FEMININE_ENDINGS = ['skaia', 'ckaia', 'aia', 'ova', 'eva', 'ava', 'ina', 'ska', 'cka', 'vna', 'ihna'];
const MASCULINE_ENDINGS = ['ski', 'cki', 'ov', 'ev', 'av', 'in', 'vih', 'ii', 'oi'];

/** Gender suggested by a skeleton's ending (Ivanova f, Ivanov m, -enka none). */
function genderOfSkeleton(skel: string): 'm' | 'f' | undefined {
  for (const e of FEMININE_ENDINGS) if (skel.length > e.length + 1 && skel.endsWith(e)) return 'f';
  for (const e of MASCULINE_ENDINGS) if (skel.length > e.length + 1 && skel.endsWith(e)) return 'm';
  return undefined;
}

/** Masculine counterpart of a feminine skeleton (Ivanova → Ivanov, -skaia → -ski, -vna → -vih). */
const MASCULINE_RULES: ReadonlyArray<readonly [string, string]> = [
  ['skaia', 'ski'],
  ['ckaia', 'cki'],
  ['ska', 'ski'],
  ['cka', 'cki'],
  ['ihna', 'ih'],
  ['vna', 'vih'],
  ['aia', 'i'],
  ['a', ''],
];

export function masculineSkeleton(skel: string): string {
  for (const [from, to] of MASCULINE_RULES) {
    if (skel.length > from.length + 2 && skel.endsWith(from)) return skel.slice(0, -from.length) + to;
  }
  return skel;
}

/**
 * Dictionary entries whose patronymic has the stem of `skeletons` (the father's given name): exact
 * phonetic match first, then one edit away (list typos such as "Grogorievich") for stems of 4+ letters.
 */
function patronymicEntriesOf(skeletons: readonly string[]): { ids: Set<number>; fuzzy: boolean } {
  const stems = dictionaryIndex().patronymicStems;
  const ids = new Set<number>();
  const keys: string[] = [];
  for (const s of skeletons.slice(0, 4)) {
    const stem = patronymicStem(s);
    if (!stem) continue;
    const key = phoneticKey(stem.stem);
    keys.push(key);
    const found = stems.get(key);
    if (found) for (const id of found) ids.add(id);
  }
  if (ids.size > 0 || keys.length === 0) return { ids, fuzzy: false };
  for (const key of keys) {
    if (key.length < 4) continue;
    for (const [stem, entries] of stems) {
      if (Math.abs(stem.length - key.length) > 1 || stem[0] !== key[0]) continue;
      if (damerauLevenshtein(stem, key, 1) <= 1) for (const id of entries) ids.add(id);
    }
  }
  return { ids, fuzzy: ids.size > 0 };
}

/** First Latin letters of the dictionary forms (both languages) of the entries a token belongs to. */
function entryInitials(entries: Iterable<number>, into: Set<string>): void {
  for (const id of entries) {
    const entry = givenNameEntry(id);
    if (!entry) continue;
    for (const form of [entry.be[0], entry.ru[0]]) {
      if (!form) continue;
      const letter = form[0]!;
      for (const scheme of INITIAL_SCHEMES) {
        const latin = romanize(letter, scheme).toLowerCase();
        if (latin.length > 0) into.add(latin[0]!);
      }
    }
  }
}

const INITIAL_SCHEMES = ['icao-be', 'passport-be', 'icao-ru', 'german-ru'] as const;

function isInitialToken(clean: string): boolean {
  const letters = clean.endsWith('.') ? clean.slice(0, -1) : clean;
  return Array.from(letters).length === 1 && letters.toLowerCase() !== letters.toUpperCase();
}

function addUnique(list: string[], value: string): void {
  if (value.length > 0 && !list.includes(value)) list.push(value);
}

function analyze(input: string): TokenAnalysis {
  const clean = repairHomoglyphs(cleanText(String(input)));
  const fold = foldCase(clean);
  const script = detectScript(clean);
  const isInitial = isInitialToken(clean);
  if (script === 'cyrillic') return analyzeCyrillic(input, clean, fold, isInitial);
  return analyzeLatin(input, clean, fold, script, isInitial);
}

function analyzeCyrillic(input: string, clean: string, fold: string, isInitial: boolean): TokenAnalysis {
  const lower = clean.toLowerCase();
  const hits = isInitial ? [] : lookupCyrillic(fold);
  let language = detectCyrillicLanguage(clean);
  if (language === 'ambiguous' && hits.length > 0) {
    // Аляксандр has no і/ў but the dictionary knows it is Belarusian; Антон is in both lists.
    const langs = new Set(hits.map((h) => h.lang));
    if (langs.size === 1 && !langs.has('latin')) language = [...langs][0] as 'be' | 'ru';
  }
  const cyrillicForms: CyrillicRendering[] = [];
  const ownLangs: Array<'be' | 'ru'> = language === 'ambiguous' ? ['be', 'ru'] : [language];
  for (const lang of ownLangs)
    cyrillicForms.push({ text: lower, lang, viaEquivalence: false, origin: 'self' });

  const seen = new Set<string>([`be:${lower}`, `ru:${lower}`]);
  const addForm = (text: string, lang: 'be' | 'ru', origin: 'dictionary' | 'rules') => {
    const key = `${lang}:${text}`;
    if (seen.has(key) || text.length === 0) return;
    seen.add(key);
    cyrillicForms.push({ text, lang, viaEquivalence: true, origin });
  };
  if (hits.length > 0) {
    for (const hit of hits) {
      const entry = givenNameEntry(hit.entry);
      if (!entry) continue;
      for (const form of entryCyrillicForms(entry)) {
        if (form.kind === hit.kind && form.gender === hit.gender) addForm(form.form, form.lang, 'dictionary');
      }
    }
  } else if (!isInitial) {
    if (language !== 'ru') for (const ru of belarusianToRussian(lower)) addForm(ru, 'ru', 'rules');
    if (language !== 'be') for (const be of russianToBelarusian(lower)) addForm(be, 'be', 'rules');
  }

  const latin = new Map<string, LatinRendering>();
  const skeletons: string[] = [];
  const skeletonized = new Set<string>();
  const variantLists: string[][] = [];
  for (const form of cyrillicForms) {
    for (const scheme of ALL_SCHEMES) {
      if (scheme.lang !== form.lang) continue;
      const text = romanize(form.text, scheme);
      if (!latin.has(text)) {
        latin.set(text, {
          text,
          scheme: scheme.id,
          lang: form.lang,
          source: form.text,
          viaEquivalence: form.viaEquivalence,
        });
      }
      const ascii = stripDiacritics(text);
      if (!latin.has(ascii)) {
        latin.set(ascii, {
          text: ascii,
          scheme: scheme.id,
          lang: form.lang,
          source: form.text,
          viaEquivalence: form.viaEquivalence,
        });
      }
      if (!skeletonized.has(text)) {
        skeletonized.add(text);
        variantLists.push(skeletonVariants(text));
      }
    }
  }
  // Every rendering's main skeleton before any rendering's variants: index keys are capped, and a
  // scheme far down the list (French ш → ch) must still share a key with its own romanization.
  const longest = Math.max(0, ...variantLists.map((list) => list.length));
  for (let k = 0; k < longest; k++)
    for (const list of variantLists) {
      const skel = list[k];
      if (skel) addUnique(skeletons, skel);
    }
  addUDroppedRenderings(cyrillicForms, latin, skeletons);
  const phonetics: string[] = [];
  for (const s of skeletons) addUnique(phonetics, phoneticKey(s));

  const { ids: patronymicEntries, fuzzy: patronymicFuzzy } =
    hits.length === 0 && !isInitial
      ? patronymicEntriesOf(skeletons)
      : { ids: new Set<number>(), fuzzy: false };
  const initials = new Set<string>();
  for (const text of latin.keys()) if (text.length > 0) initials.add(text[0]!);
  for (const s of skeletons) initials.add(s[0]!);
  entryInitials(patronymicEntries, initials);
  return {
    input,
    clean,
    fold,
    asciiFold: stripDiacritics(fold),
    lower,
    script: 'cyrillic',
    cyrillicLanguage: language,
    isInitial,
    hits,
    patronymicEntries,
    patronymicFuzzy,
    cyrillicForms,
    latin,
    skeletons,
    phonetics,
    gender: hits[0]?.gender ?? (skeletons[0] ? genderOfSkeleton(skeletons[0]) : undefined),
    initials,
  };
}

/**
 * Some lists leave ў out altogether (Пятроўна → Piatrona, Станіславаўна → Stanislavana, Навумаў →
 * Navuma). The token's own Belarusian forms with ў are romanized once more without it, after every
 * regular rendering (a regular one always wins), and the first scheme's skeletons join the index keys.
 */
function addUDroppedRenderings(
  forms: readonly CyrillicRendering[],
  latin: Map<string, LatinRendering>,
  skeletons: string[],
): void {
  for (const form of forms) {
    if (form.lang !== 'be' || form.viaEquivalence || !form.text.includes('ў')) continue;
    const source = form.text.replaceAll('ў', '');
    if (source.length < 3) continue;
    let first = true;
    for (const scheme of ALL_SCHEMES) {
      if (scheme.lang !== 'be') continue;
      const text = romanize(source, scheme);
      for (const variant of [text, stripDiacritics(text)]) {
        if (!latin.has(variant)) {
          latin.set(variant, {
            text: variant,
            scheme: scheme.id,
            lang: 'be',
            source: form.text,
            viaEquivalence: false,
            uDropped: true,
          });
        }
      }
      if (first) for (const s of skeletonVariants(text)) addUnique(skeletons, s);
      first = false;
    }
  }
}

function latinHits(lower: string, skeletons: readonly string[]): DictionaryHit[] {
  const index = dictionaryIndex();
  const direct = index.latin.get(lower) ?? index.latin.get(stripDiacritics(lower));
  if (direct) return direct;
  for (const s of skeletons) {
    const bySkeleton = index.skeleton.get(s);
    if (bySkeleton) return bySkeleton;
  }
  return [];
}

function analyzeLatin(
  input: string,
  clean: string,
  fold: string,
  script: 'latin' | 'mixed' | 'other',
  isInitial: boolean,
): TokenAnalysis {
  const lower = clean.toLowerCase();
  const skeletons = skeletonVariants(lower);
  const phonetics: string[] = [];
  for (const s of skeletons) addUnique(phonetics, phoneticKey(s));
  const hits = isInitial || script !== 'latin' ? [] : latinHits(lower, skeletons);
  const { ids: patronymicEntries, fuzzy: patronymicFuzzy } =
    hits.length === 0 && !isInitial && script === 'latin'
      ? patronymicEntriesOf(skeletons)
      : { ids: new Set<number>(), fuzzy: false };
  const initials = new Set<string>();
  if (lower.length > 0) initials.add(stripDiacritics(lower[0]!));
  for (const s of skeletons) initials.add(s[0]!);
  // Aliaksandr also fits "А." and Ryhoravich fits "Г." (Григорьевич): initials of the other forms.
  entryInitials(
    hits.map((h) => h.entry),
    initials,
  );
  entryInitials(patronymicEntries, initials);
  return {
    input,
    clean,
    fold,
    asciiFold: stripDiacritics(fold),
    lower,
    script,
    isInitial,
    hits,
    patronymicEntries,
    patronymicFuzzy,
    cyrillicForms: [],
    latin: new Map(),
    skeletons,
    phonetics,
    gender: hits[0]?.gender ?? (skeletons[0] ? genderOfSkeleton(skeletons[0]) : undefined),
    initials,
  };
}
