/**
 * Token comparison with an explanation: the strongest rule under which two name tokens are the same
 * name, in this order: exact > same-script normalisation > transliteration scheme > BE↔RU equivalence
 * > skeleton > (gender variant, reported, not a match) > phonetic > weighted edit distance.
 */
import { givenNameEntry } from './equivalence.js';
import { foreignFormBases, foreignFormKind } from './feminine.js';
import { phoneticKey } from './phonetic.js';
import { damerauLevenshtein, jaroWinkler } from './similarity.js';
import { skeletonVariants } from './skeleton.js';
import { analyzeToken, masculineSkeleton, type TokenAnalysis } from './token.js';
import { stripDiacritics } from './unicode.js';

/** Rule that made two tokens equal (or the best thing that could be said about them). */
export type CompareRule =
  | 'exact'
  | 'normalized'
  | `scheme:${string}`
  | 'equivalence:be-ru'
  | 'skeleton'
  | 'gender-variant'
  | `feminine-form:${string}`
  | `masculine-form:${string}`
  | 'phonetic'
  | 'initial'
  | 'edit-distance'
  | 'none';

export interface TokenComparison {
  /** 0..1; at or above EQUIVALENCE_THRESHOLD the tokens are taken as the same name. */
  readonly score: number;
  readonly rule: CompareRule;
  /** Human-readable explanation (for match explanations shown to analysts). */
  readonly detail: string;
}

/** Score of each rule (edit distance is scaled below these). */
export const RULE_SCORES = {
  exact: 1,
  normalized: 0.98,
  normalizedDiacritics: 0.96,
  scheme: 0.95,
  equivalence: 0.9,
  patronymicStem: 0.88,
  patronymicTypo: 0.78,
  skeleton: 0.87,
  feminineForm: 0.85,
  phonetic: 0.8,
  initial: 0.7,
  editDistanceOne: 0.76,
  editDistanceMax: 0.7,
  genderVariant: 0.55,
} as const;

/** Scores at or above this mean "the same name" (gender variants and most edit distances fall below). */
export const EQUIVALENCE_THRESHOLD = 0.75;

function result(score: number, rule: CompareRule, detail: string): TokenComparison {
  return { score, rule, detail };
}

function entryLabel(id: number): string {
  const entry = givenNameEntry(id);
  if (!entry) return `#${id}`;
  return `${entry.be[0] ?? ''} / ${entry.ru[0] ?? ''}`;
}

function intersects(a: readonly string[], b: readonly string[]): string | undefined {
  for (const x of a) if (b.includes(x)) return x;
  return undefined;
}

function compareInitials(a: TokenAnalysis, b: TokenAnalysis): TokenComparison {
  for (const letter of a.initials) {
    if (b.initials.has(letter)) {
      return result(RULE_SCORES.initial, 'initial', `initial "${a.clean}" fits "${b.clean}" (${letter})`);
    }
  }
  return result(0, 'none', `initial "${a.clean}" does not fit "${b.clean}"`);
}

/** Cyrillic token vs Latin token: is the Latin one a romanization of the Cyrillic (or its equivalent)? */
function compareScheme(cyr: TokenAnalysis, lat: TokenAnalysis): TokenComparison | undefined {
  const lower = lat.lower;
  let rendering = cyr.latin.get(lower);
  let penalty = 0;
  if (!rendering) {
    rendering = cyr.latin.get(stripDiacritics(lower));
    penalty = 0.01;
  }
  if (!rendering) return undefined;
  if (rendering.viaEquivalence) {
    return result(
      RULE_SCORES.equivalence - penalty,
      'equivalence:be-ru',
      `"${lat.clean}" is ${rendering.scheme} of the ${rendering.lang === 'be' ? 'Belarusian' : 'Russian'} form "${rendering.source}" of "${cyr.clean}"`,
    );
  }
  if (rendering.uDropped) {
    return result(
      RULE_SCORES.scheme - 0.03 - penalty,
      `scheme:${rendering.scheme}`,
      `"${lat.clean}" is the ${rendering.scheme} romanization of "${cyr.clean}" with ў left out`,
    );
  }
  return result(
    RULE_SCORES.scheme - penalty,
    `scheme:${rendering.scheme}`,
    `"${lat.clean}" is the ${rendering.scheme} romanization of "${cyr.clean}"`,
  );
}

function compareDictionary(a: TokenAnalysis, b: TokenAnalysis): TokenComparison | undefined {
  let genderVariant: TokenComparison | undefined;
  for (const ha of a.hits) {
    for (const hb of b.hits) {
      if (ha.entry !== hb.entry || ha.kind !== hb.kind) continue;
      const what = ha.kind === 'given' ? 'given name' : 'patronymic from';
      if (ha.gender !== hb.gender) {
        genderVariant ??= result(
          RULE_SCORES.genderVariant,
          'gender-variant',
          `male and female forms of the ${what} ${entryLabel(ha.entry)}`,
        );
        continue;
      }
      if (ha.lang === hb.lang && ha.lang !== 'latin') {
        const scheme = hb.scheme ?? ha.scheme;
        return result(
          RULE_SCORES.scheme - 0.01,
          `scheme:${scheme ?? 'dictionary'}`,
          `both spell the ${ha.lang === 'be' ? 'Belarusian' : 'Russian'} ${what} "${ha.form}"`,
        );
      }
      return result(
        RULE_SCORES.equivalence,
        'equivalence:be-ru',
        `both are forms of the ${what} ${entryLabel(ha.entry)} ("${ha.form}" / "${hb.form}")`,
      );
    }
  }
  if (a.patronymicEntries.size === 0 && b.patronymicEntries.size === 0) {
    if (!a.hits.some((h) => h.kind === 'patronymic') || !b.hits.some((h) => h.kind === 'patronymic')) {
      return genderVariant;
    }
  }
  const entriesA = a.hits.filter((h) => h.kind === 'patronymic').map((h) => h.entry);
  const entriesB = b.hits.filter((h) => h.kind === 'patronymic').map((h) => h.entry);
  for (const id of a.patronymicEntries) entriesA.push(id);
  for (const id of b.patronymicEntries) entriesB.push(id);
  for (const id of entriesA) {
    if (!entriesB.includes(id)) continue;
    if (a.gender && b.gender && a.gender !== b.gender) {
      genderVariant ??= result(
        RULE_SCORES.genderVariant,
        'gender-variant',
        `male and female patronymics from ${entryLabel(id)}`,
      );
      continue;
    }
    if (a.patronymicFuzzy || b.patronymicFuzzy) {
      return result(
        RULE_SCORES.patronymicTypo,
        'equivalence:be-ru',
        `both are patronymics from ${entryLabel(id)} (one spelled with a likely typo)`,
      );
    }
    return result(
      RULE_SCORES.patronymicStem,
      'equivalence:be-ru',
      `both are patronymics from ${entryLabel(id)}`,
    );
  }
  return genderVariant;
}

function compareGender(a: TokenAnalysis, b: TokenAnalysis): TokenComparison | undefined {
  if (!a.gender || !b.gender || a.gender === b.gender) return undefined;
  const [fem, masc] = a.gender === 'f' ? [a, b] : [b, a];
  for (const s of fem.skeletons) {
    const m = masculineSkeleton(s);
    if (m === s) continue;
    const mp = phoneticKey(m);
    if (masc.skeletons.includes(m) || masc.phonetics.includes(mp)) {
      return result(
        RULE_SCORES.genderVariant,
        'gender-variant',
        `"${fem.clean}" is the feminine form of "${masc.clean}" (not the same name)`,
      );
    }
  }
  return undefined;
}

/** A Latin token with a foreign feminine ending (Kazlovová, Kovalčukienė) whose base spells the other token. */
function compareFeminine(lat: TokenAnalysis, other: TokenAnalysis): TokenComparison | undefined {
  if (lat.script !== 'latin' || lat.hits.length > 0) return undefined;
  for (const { base, rule, detail } of foreignFormBases(lat.clean)) {
    const skeletons = skeletonVariants(base);
    if (skeletons.some((s) => other.skeletons.includes(s) || other.phonetics.includes(phoneticKey(s))))
      return result(RULE_SCORES.feminineForm, `${foreignFormKind(rule)}:${rule}`, detail);
  }
  return undefined;
}

function compareEdit(a: TokenAnalysis, b: TokenAnalysis): TokenComparison {
  let best = 0;
  let bestPair: [string, string] = ['', ''];
  let bestDistance = Number.POSITIVE_INFINITY;
  const pa = a.phonetics.length > 2 ? a.phonetics.slice(0, 2) : a.phonetics;
  const pb = b.phonetics.length > 2 ? b.phonetics.slice(0, 2) : b.phonetics;
  for (const x of pa) {
    for (const y of pb) {
      const jw = jaroWinkler(x, y);
      // Only distance ≤ 1 matters (the typo rule); skip the matrix when it cannot be.
      const d = Math.abs(x.length - y.length) > 1 || jw < 0.8 ? 2 : damerauLevenshtein(x, y, 1);
      if (jw > best || (jw === best && d < bestDistance)) {
        best = jw;
        bestPair = [x, y];
      }
      if (d < bestDistance) bestDistance = d;
    }
  }
  const longEnough = Math.min(bestPair[0].length, bestPair[1].length) >= 6;
  // The ending carries the kind of name (-ov/-ova/-ash, -ich/-na): a one-letter difference there is not a typo.
  const sameEnding = bestPair[0].slice(-2) === bestPair[1].slice(-2);
  if (bestDistance <= 1 && longEnough && sameEnding) {
    return result(
      RULE_SCORES.editDistanceOne,
      'edit-distance',
      `one edit apart ("${bestPair[0]}" / "${bestPair[1]}"), likely a typo`,
    );
  }
  const score = Math.round(RULE_SCORES.editDistanceMax * best * best * 1000) / 1000;
  return result(
    score,
    score > 0 ? 'edit-distance' : 'none',
    `Jaro-Winkler ${best.toFixed(3)} on phonetic keys`,
  );
}

/**
 * Compares two name tokens (a surname, a given name, a patronymic, an initial) and explains the
 * strongest rule that makes them the same name. Never throws; a token without letters scores 0.
 * Tokens are analysed once and memoised, so repeated comparisons cost set look-ups.
 */
export function compareTokens(a: string, b: string): TokenComparison {
  if (a === b && a.length > 0) return result(RULE_SCORES.exact, 'exact', 'identical');
  const A = analyzeToken(a);
  const B = analyzeToken(b);
  if (A.skeletons.length === 0 && A.script !== 'cyrillic') return result(0, 'none', `"${a}" has no letters`);
  if (B.skeletons.length === 0 && B.script !== 'cyrillic') return result(0, 'none', `"${b}" has no letters`);
  if (A.fold === B.fold)
    return result(RULE_SCORES.normalized, 'normalized', 'same after case/Unicode normalisation');
  if (A.isInitial || B.isInitial) {
    if (A.isInitial && B.isInitial) {
      for (const l of A.initials) {
        if (B.initials.has(l)) return result(RULE_SCORES.normalized, 'initial', 'same initial');
      }
      return result(0, 'none', 'different initials');
    }
    return A.isInitial ? compareInitials(A, B) : compareInitials(B, A);
  }
  if (A.script === B.script && A.asciiFold === B.asciiFold) {
    return result(RULE_SCORES.normalizedDiacritics, 'normalized', 'same apart from diacritics');
  }
  if (A.script === 'cyrillic' && B.script !== 'cyrillic') {
    const scheme = compareScheme(A, B);
    if (scheme) return scheme;
  } else if (B.script === 'cyrillic' && A.script !== 'cyrillic') {
    const scheme = compareScheme(B, A);
    if (scheme) return scheme;
  } else if (A.script === 'cyrillic' && B.script === 'cyrillic') {
    for (const form of A.cyrillicForms) {
      if (form.viaEquivalence && form.text.replaceAll('ё', 'е') === B.fold) {
        return result(
          RULE_SCORES.equivalence,
          'equivalence:be-ru',
          `"${B.clean}" is the ${form.lang === 'be' ? 'Belarusian' : 'Russian'} form of "${A.clean}" (${form.origin})`,
        );
      }
    }
    for (const form of B.cyrillicForms) {
      if (form.viaEquivalence && form.text.replaceAll('ё', 'е') === A.fold) {
        return result(
          RULE_SCORES.equivalence,
          'equivalence:be-ru',
          `"${A.clean}" is the ${form.lang === 'be' ? 'Belarusian' : 'Russian'} form of "${B.clean}" (${form.origin})`,
        );
      }
    }
  }
  const dictionary = compareDictionary(A, B);
  if (dictionary && dictionary.rule !== 'gender-variant') return dictionary;

  const sharedSkeleton = intersects(A.skeletons, B.skeletons);
  if (sharedSkeleton) {
    return result(
      RULE_SCORES.skeleton,
      'skeleton',
      `same skeleton "${sharedSkeleton}" (spelling-scheme difference)`,
    );
  }
  if (dictionary) return dictionary;
  const feminine = compareFeminine(A, B) ?? compareFeminine(B, A);
  if (feminine) return feminine;
  const gender = compareGender(A, B);
  if (gender) return gender;
  // Two different dictionary names (Aliaksandr / Aliaksei) are different names even when close.
  const bothGiven =
    A.hits.some((h) => h.kind === 'given') &&
    B.hits.some((h) => h.kind === 'given') &&
    !A.hits.some((h) => B.hits.some((k) => k.entry === h.entry));
  const sharedPhonetic = intersects(A.phonetics, B.phonetics);
  if (sharedPhonetic && !bothGiven) {
    return result(
      RULE_SCORES.phonetic,
      'phonetic',
      `same phonetic key "${sharedPhonetic}" (Belarusian/Russian vowel or consonant difference)`,
    );
  }
  const edit = compareEdit(A, B);
  if (bothGiven) {
    return result(
      Math.min(edit.score, 0.5),
      edit.score > 0 ? 'edit-distance' : 'none',
      `different dictionary names; ${edit.detail}`,
    );
  }
  return edit;
}

/** True when a comparison says "same name" (score at or above EQUIVALENCE_THRESHOLD). */
export function isEquivalent(comparison: TokenComparison): boolean {
  return comparison.score >= EQUIVALENCE_THRESHOLD;
}
