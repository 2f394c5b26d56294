/**
 * Women's surnames as other languages of the EU lists write them. Several languages adapt a foreign
 * woman's surname to their own grammar, so the published form is not a romanization of the Belarusian
 * or Russian one:
 *   Czech and Slovak add -ová to the stem, the original feminine ending dropped (Казлова → Kazlovová,
 *     Шарапова → Šarapovová), the surname kept whole when it has none (Ковальчук → Kovaľčuková), or
 *     merged into one -ová (Шарапова → Šarapová, which any romanization already matches);
 *   Lithuanian writes the wife's form with -ienė, the daughter's with -aitė / -ytė / -iūtė, and the newer
 *     neutral form with -ė (Kovalčukienė, Kazlovaitė, Kazlovė);
 *   Latvian gives a masculine-looking stem a feminine -a or -e (Ковальчук → Kovaļčuka).
 * `foreignFeminineBases` undoes these: for a Latin token it yields the base forms the stored Belarusian
 * or Russian surname can have (the stem, the stem with -a, and -o for -enk- stems), each tagged with the
 * rule that applied, so screening can index the bases and explain the match.
 */
import { stripDiacritics } from './unicode.js';

/** Which adaptation produced a base form (a woman's surname, or a Baltic masculine ending). */
export type FeminineRule =
  | 'cs-ova'
  | 'lt-iene'
  | 'lt-aite'
  | 'lt-yte'
  | 'lt-iute'
  | 'lt-e'
  | 'lv-a'
  | 'lv-e'
  | MasculineRule;

/** Lithuanian and Latvian masculine endings added to a man's names (Ivanovas, Aleksandrs, Lukaševičius). */
export type MasculineRule = 'lt-as' | 'lt-ius' | 'lt-us' | 'baltic-is' | 'lv-s';

export interface FeminineBase {
  /** Lower-case Latin base form (diacritics kept). */
  readonly base: string;
  readonly rule: FeminineRule;
  /** Human-readable explanation for match explanations. */
  readonly detail: string;
}

/** What each rule is, for explanations. */
export const FEMININE_RULES: Readonly<Record<FeminineRule, string>> = {
  'cs-ova': 'Czech/Slovak feminine -ová',
  'lt-iene': "Lithuanian wife's form -ienė",
  'lt-aite': "Lithuanian daughter's form -aitė",
  'lt-yte': "Lithuanian daughter's form -ytė",
  'lt-iute': "Lithuanian daughter's form -iūtė",
  'lt-e': 'Lithuanian feminine -ė',
  'lv-a': 'Latvian feminine -a',
  'lv-e': 'Latvian feminine -e',
  'lt-as': 'Lithuanian masculine -as',
  'lt-ius': 'Lithuanian masculine -ius',
  'lt-us': 'Lithuanian masculine -us',
  'baltic-is': 'Lithuanian/Latvian masculine -is',
  'lv-s': 'Latvian masculine -s',
};

const MASCULINE: ReadonlySet<FeminineRule> = new Set<MasculineRule>([
  'lt-as',
  'lt-ius',
  'lt-us',
  'baltic-is',
  'lv-s',
]);

/** The comparison rule a base form's adaptation is reported under: `feminine-form` or `masculine-form`. */
export function foreignFormKind(rule: FeminineRule): 'feminine-form' | 'masculine-form' {
  return MASCULINE.has(rule) ? 'masculine-form' : 'feminine-form';
}

/** Endings (ASCII) of the stems Belarusian and Russian surnames have before a Lithuanian -ė. */
const STEM_ENDINGS = [
  'ov',
  'ev',
  'in',
  'yn',
  'uk',
  'ik',
  'ak',
  'enk',
  'onk',
  'ich',
  'ic',
  'ets',
  'ec',
  'sk',
  'ck',
];

/**
 * Stem endings after which -ová is taken as added to a whole surname: the Slavic surname stems, not a
 * merged -ová (Petrová, Ivanová are Petrova, Ivanova, and Petr, Ivan are given names).
 */
const ACCENTED_OVA_STEMS = [
  'ov',
  'ev',
  'av',
  'in',
  'yn',
  'uk',
  'ik',
  'ak',
  'enk',
  'onak',
  'ich',
  'ic',
  'ec',
  'ts',
  'k',
  'ch',
  'c',
];

/** Stem endings after which an ASCII -ova (no accent) is still taken as Czech: -ovova, -ukova, -enkova, -ichova. */
const ASCII_OVA_STEMS = ['ov', 'ev', 'av', 'uk', 'enk', 'ich', 'vic', 'onak'];

/** Stem endings after which a Latvian -a/-e is a feminine ending on an indeclinable surname. */
const LATVIAN_STEMS = ['uk', 'ik', 'ak', 'ok', 'yk', 'ich', 'ic', 'ets', 'ec', 'onak'];

const VOWEL = /[aeiouyáéíóúýāēīūąęėįųěů]$/;
const LATVIAN_LETTERS = /[āēīūļņķģŗ]/;

function endsWithAny(stem: string, endings: readonly string[]): boolean {
  const ascii = stripDiacritics(stem);
  return endings.some((e) => ascii.endsWith(e));
}

/** Base forms of one stem: as is (Kovalčuk, Kazlov), with the feminine -a (Kazlova), -o for -enk- (Lukašenko). */
function basesOf(stem: string): string[] {
  const out = [stem];
  if (!VOWEL.test(stem)) out.push(`${stem}a`);
  if (stripDiacritics(stem).endsWith('enk')) out.push(`${stem}o`);
  // A stem that kept its own -a/-o (Lukašenkaová is rare, Sharapovaová never): nothing more.
  return out;
}

function detailOf(rule: FeminineRule, token: string, stem: string, base: string): string {
  const what = FEMININE_RULES[rule];
  if (MASCULINE.has(rule)) return `"${token}" is "${base}" with the ${what} ending`;
  const dropped =
    base.length > stem.length ? ` (the original ending "-${base.slice(stem.length)}" dropped)` : '';
  return `"${token}" is the ${what} form of "${base}"${dropped}`;
}

/**
 * Base forms of a Latin surname written with a foreign feminine ending (see the file header), or []
 * when the token has none of them. `token` is one name token in any case; at most six bases.
 */
export function foreignFeminineBases(token: string): FeminineBase[] {
  const lower = token.normalize('NFC').toLowerCase();
  if (lower.length < 5 || !/^[\p{Script=Latin}]+$/u.test(lower)) return [];
  const out: FeminineBase[] = [];
  const seen = new Set<string>();
  const add = (rule: FeminineRule, stem: string) => {
    if (stem.length < 3) return;
    for (const base of basesOf(stem)) {
      if (seen.has(base) || base === lower) continue;
      seen.add(base);
      out.push({ base, rule, detail: detailOf(rule, token, stem, base) });
    }
  };
  const ascii = stripDiacritics(lower);
  // Czech / Slovak -ová (with the accent always; without it only after a Slavic surname stem).
  if (
    (lower.endsWith('ová') && endsWithAny(ascii.slice(0, -3), ACCENTED_OVA_STEMS)) ||
    (ascii.endsWith('ova') && endsWithAny(ascii.slice(0, -3), ASCII_OVA_STEMS))
  ) {
    add('cs-ova', lower.slice(0, -3));
  }
  // Lithuanian: longest ending first; without accents -iene/-aite/-yte/-iute are distinctive enough.
  const lithuanian: ReadonlyArray<readonly [string, string, FeminineRule]> = [
    ['ienė', 'iene', 'lt-iene'],
    ['iūtė', 'iute', 'lt-iute'],
    ['aitė', 'aite', 'lt-aite'],
    ['ytė', 'yte', 'lt-yte'],
  ];
  let lithuanianFound = false;
  for (const [accented, plain, rule] of lithuanian) {
    if (lower.endsWith(accented) || ascii.endsWith(plain)) {
      add(rule, lower.slice(0, -accented.length));
      lithuanianFound = true;
      break;
    }
  }
  if (!lithuanianFound && lower.endsWith('ė') && endsWithAny(lower.slice(0, -1), STEM_ENDINGS)) {
    add('lt-e', lower.slice(0, -1));
  }
  // Latvian -a / -e after a stem that Belarusian leaves indeclinable for women (Kovaļčuka, Lukaševiča).
  for (const [ending, rule] of [
    ['a', 'lv-a'],
    ['e', 'lv-e'],
  ] as const) {
    if (!lower.endsWith(ending)) continue;
    const stem = lower.slice(0, -1);
    if (
      endsWithAny(stem, LATVIAN_STEMS) ||
      (LATVIAN_LETTERS.test(lower) &&
        !VOWEL.test(stem) &&
        !/(ov|ev|in|yn|sk|ck)$/.test(stripDiacritics(stem)))
    ) {
      if (!seen.has(stem) && stem !== lower) {
        seen.add(stem);
        out.push({ base: stem, rule, detail: detailOf(rule, token, stem, stem) });
      }
    }
  }
  return out.slice(0, 6);
}

const CONSONANT_END = /[bcdfghjklmnprstvwxzčšžćńłľďťňŕřķļņģŗ]$/;

/**
 * Base forms of a Latin name written with a Lithuanian or Latvian masculine ending: Lithuanian adds -as,
 * -ius, -us or -is (Ivanovas, Lukaševičius, Sergejus, Kovalevskis), Latvian -s or -is (Aleksandrs,
 * Ivanovs, Kovaļevskis). [] when the token has none; the stem must keep three letters and end in a
 * consonant (Petras → Petr, never Lukašenka → "Lukašenk").
 */
export function foreignMasculineBases(token: string): FeminineBase[] {
  const lower = token.normalize('NFC').toLowerCase();
  if (lower.length < 4 || !/^[\p{Script=Latin}]+$/u.test(lower)) return [];
  const out: FeminineBase[] = [];
  const add = (rule: MasculineRule, stem: string, vowelEnd = false) => {
    if (stem.length < 3 || (!vowelEnd && !CONSONANT_END.test(stem))) return;
    out.push({ base: stem, rule, detail: detailOf(rule, token, stem, stem) });
  };
  if (lower.endsWith('ius')) add('lt-ius', lower.slice(0, -3));
  else if (lower.endsWith('us')) add('lt-us', lower.slice(0, -2));
  else if (lower.endsWith('as')) add('lt-as', lower.slice(0, -2));
  else if (/(sk|ck|zk)is$/.test(stripDiacritics(lower))) add('baltic-is', lower.slice(0, -1), true);
  else if (lower.endsWith('is')) add('baltic-is', lower.slice(0, -2));
  else if (lower.endsWith('s') && !lower.endsWith('ss')) add('lv-s', lower.slice(0, -1));
  return out;
}

/** `foreignFeminineBases` and `foreignMasculineBases` of one token, feminine first. */
export function foreignFormBases(token: string): FeminineBase[] {
  return [...foreignFeminineBases(token), ...foreignMasculineBases(token)];
}
