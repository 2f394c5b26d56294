/**
 * Belarusian ↔ Russian equivalence layer: the given-name dictionary indexed by every Cyrillic form,
 * every romanization of it and every skeleton; patronymics derived from dictionary names (Рыгоравіч ↔
 * Григорьевич); suffix and letter rules that turn a Belarusian surname into its Russian form and back
 * (-енка ↔ -енко, -аў ↔ -ов, -скі ↔ -ский …). Indexes are built once, lazily, on first use.
 */
import { GIVEN_NAMES, type GivenNameEntry } from './given-names.js';
import { phoneticKey } from './phonetic.js';
import { romanize } from './romanize.js';
import { ALL_SCHEMES, type SchemeId } from './schemes/index.js';
import { skeletonVariants } from './skeleton.js';
import { foldCase, stripDiacritics } from './unicode.js';

/** What a dictionary form is: a given name or a patronymic derived from one. */
export type DictionaryKind = 'given' | 'patronymic';

/** One reading of a string as a dictionary form. */
export interface DictionaryHit {
  readonly entry: number;
  readonly kind: DictionaryKind;
  readonly gender: 'm' | 'f';
  /** Language of the Cyrillic form the string comes from; 'latin' for a conventional Latin spelling. */
  readonly lang: 'be' | 'ru' | 'latin';
  /** The Cyrillic (or conventional Latin) form, lower case. */
  readonly form: string;
  /** Scheme that produced the string from `form`, when it is a romanization. */
  readonly scheme?: SchemeId;
}

// ---------------------------------------------------------------------------------------------
// Patronymics

const RU_HUSHING = new Set(['ж', 'ш', 'ч', 'щ', 'ц']);
const CONSONANTS = new Set('бвгджзйклмнпрстфхцчшщ'.split(''));

function isConsonant(ch: string | undefined): boolean {
  return ch !== undefined && CONSONANTS.has(ch);
}

/** Male Russian patronymics derivable from a Russian given name (lower case). */
export function russianPatronymics(given: string): string[] {
  const g = given.toLowerCase().replace('ё', 'е');
  const last = g[g.length - 1];
  const stem1 = g.slice(0, -1);
  if (g.endsWith('ий')) {
    const stem = g.slice(0, -2);
    const cluster = isConsonant(stem[stem.length - 1]) && isConsonant(stem[stem.length - 2]);
    return cluster ? [`${stem}иевич`, `${stem}ьевич`] : [`${stem}ьевич`, `${stem}иевич`];
  }
  if (last === 'й') return [`${stem1}евич`];
  if (last === 'ь') return [`${stem1}евич`];
  if (last === 'а' || last === 'я') return [`${stem1}ович`, `${stem1}ич`];
  if (last !== undefined && RU_HUSHING.has(last)) return [`${g}евич`];
  return [`${g}ович`];
}

/** Male Belarusian patronymics derivable from a Belarusian given name (lower case). */
export function belarusianPatronymics(given: string): string[] {
  const g = given.toLowerCase();
  const last = g[g.length - 1];
  const stem1 = g.slice(0, -1);
  if (g.endsWith('ый') || g.endsWith('ій')) {
    const stem = g.slice(0, -2);
    return [`${stem1}евіч`, `${stem}'евіч`];
  }
  if (last === 'й') return [`${stem1}евіч`];
  if (last === 'ь') return [`${stem1}евіч`];
  if (last === 'ў') return [`${stem1}вавіч`];
  if (last === 'а' || last === 'я') return [`${stem1}авіч`, `${stem1}іч`];
  return [`${g}авіч`, `${g}овіч`];
}

/** Female patronymic from a male one, in either language (Иванович → Ивановна, Рыгоравіч → Рыгораўна). */
export function femalePatronymic(male: string): string {
  const m = male.toLowerCase();
  if (m.endsWith('авіч')) return `${m.slice(0, -4)}аўна`;
  if (m.endsWith('овіч')) return `${m.slice(0, -4)}оўна`;
  if (m.endsWith('евіч')) return `${m.slice(0, -4)}еўна`;
  if (m.endsWith('іч')) return `${m.slice(0, -2)}ічна`;
  if (m.endsWith('ович')) return `${m.slice(0, -4)}овна`;
  if (m.endsWith('евич')) return `${m.slice(0, -4)}евна`;
  if (m.endsWith('ич')) return `${m.slice(0, -2)}ична`;
  return m;
}

/**
 * Strips a patronymic ending from a skeleton: returns the stem (the father's name) and the gender, or
 * null when the skeleton does not end like a patronymic. Works on skeletons so every scheme's
 * spelling (-vich, -vitj, -wicz, -witsch, -vič; -vna, -wna, -una) is covered by one table.
 */
export function patronymicStem(skel: string): { stem: string; gender: 'm' | 'f' } | null {
  for (const [suffix, gender] of PATRONYMIC_SUFFIXES) {
    if (skel.length > suffix.length + 1 && skel.endsWith(suffix)) {
      let stem = skel.slice(0, -suffix.length);
      while (stem.length > 2 && stem.endsWith('i')) stem = stem.slice(0, -1);
      if (stem.length < 2) return null;
      return { stem, gender };
    }
  }
  return null;
}

const PATRONYMIC_SUFFIXES: ReadonlyArray<readonly [string, 'm' | 'f']> = [
  ['iavih', 'm'],
  ['iovih', 'm'],
  ['ovih', 'm'],
  ['evih', 'm'],
  ['avih', 'm'],
  ['inihna', 'f'],
  ['ihna', 'f'],
  ['iavna', 'f'],
  ['ovna', 'f'],
  ['evna', 'f'],
  ['avna', 'f'],
  ['ih', 'm'],
];

// ---------------------------------------------------------------------------------------------
// Surname (and generic word) rules

const BE_TO_RU_SUFFIXES: ReadonlyArray<readonly [string, string]> = [
  ['енка', 'енко'],
  ['ёнак', 'ёнок'],
  ['онак', 'онок'],
  ['аўна', 'овна'],
  ['оўна', 'овна'],
  ['еўна', 'евна'],
  ['авіч', 'ович'],
  ['овіч', 'ович'],
  ['евіч', 'евич'],
  ['скі', 'ский'],
  ['цкі', 'цкий'],
  ['аў', 'ов'],
  ['оў', 'ов'],
  ['еў', 'ев'],
  ['ёў', 'ёв'],
  ['ава', 'ова'],
  ['ы', 'ый'],
];

const RU_TO_BE_SUFFIXES: ReadonlyArray<readonly [string, string]> = [
  ['енко', 'енка'],
  ['ёнок', 'ёнак'],
  ['онок', 'онак'],
  ['овна', 'аўна'],
  ['евна', 'еўна'],
  ['ович', 'овіч'],
  ['евич', 'евіч'],
  ['ский', 'скі'],
  ['цкий', 'цкі'],
  ['ов', 'аў'],
  ['ев', 'еў'],
  ['ёв', 'ёў'],
  ['ова', 'ава'],
  ['ый', 'ы'],
  ['ий', 'і'],
];

const SOFT_VOWELS_BE = new Set(['е', 'ё', 'і', 'ю', 'я', 'ь']);
const SOFT_VOWELS_RU = new Set(['е', 'ё', 'и', 'ю', 'я', 'ь']);
const BE_HARD = new Set(['ж', 'ш', 'ч', 'ц', 'р']);

function applySuffix(word: string, table: ReadonlyArray<readonly [string, string]>): string {
  for (const [from, to] of table) {
    if (word.length > from.length + 1 && word.endsWith(from)) return word.slice(0, -from.length) + to;
  }
  return word;
}

/**
 * Russian form(s) of a Belarusian word (lower case), by suffix rules (-енка → -енко, -аў → -ов,
 * -скі → -ский, -авіч → -ович) and letter rules (і → и, ў → в, э → е, ц/дз before a soft vowel → т/д,
 * apostrophe → ь). Unstressed а cannot be turned back into о without knowing the stress; the phonetic
 * key absorbs that difference.
 */
export function belarusianToRussian(word: string): string[] {
  const w = applySuffix(word.toLowerCase().replaceAll('э', 'е'), BE_TO_RU_SUFFIXES);
  let out = '';
  for (let i = 0; i < w.length; i++) {
    const ch = w[i]!;
    const next = w[i + 1];
    const soft = next !== undefined && SOFT_VOWELS_BE.has(next);
    if (ch === 'д' && next === 'з' && w[i + 2] !== undefined && SOFT_VOWELS_BE.has(w[i + 2]!)) {
      out += 'д';
      i += 1;
    } else if (ch === 'ц' && soft) out += 'т';
    else if (ch === 'і') out += 'и';
    else if (ch === 'ў') out += 'в';
    else if (ch === 'э') out += 'е';
    else if (ch === "'") out += 'ь';
    else if (ch === 'ы' && i > 0 && (w[i - 1] === 'ж' || w[i - 1] === 'ш' || w[i - 1] === 'ч')) out += 'и';
    else out += ch;
  }
  const result = [out];
  if (out.endsWith('ов') && /[жшчщц]ов$/.test(out)) result.push(`${out.slice(0, -2)}ев`);
  // Яканне: unstressed е is written я in Belarusian (Сяргей/Сергей, Дзямідаў/Демидов). Stress is
  // unknown, so the variant with е is added next to the literal one.
  const yakanne = unYakanne(out);
  if (yakanne !== out) result.push(yakanne);
  return result;
}

/** я after a consonant, not in the last syllable, back to е. */
function unYakanne(word: string): string {
  let out = '';
  for (let i = 0; i < word.length; i++) {
    const ch = word[i]!;
    const nonFinal = i < word.length - 2;
    out += ch === 'я' && i > 0 && isConsonant(word[i - 1]) && nonFinal ? 'е' : ch;
  }
  return out;
}

/**
 * Belarusian form(s) of a Russian word (lower case): -енко → -енка, -ов → -аў, -ский → -скі,
 * и → і (ы after hard consonants), щ → шч, ъ/ь before a vowel → apostrophe, т/д before a soft vowel →
 * ц/дз, е after hard consonants → э.
 */
export function russianToBelarusian(word: string): string[] {
  const w = applySuffix(word.toLowerCase(), RU_TO_BE_SUFFIXES);
  let out = '';
  for (let i = 0; i < w.length; i++) {
    const ch = w[i]!;
    const next = w[i + 1];
    const prev = i > 0 ? w[i - 1]! : '';
    const soft = next !== undefined && SOFT_VOWELS_RU.has(next);
    if (ch === 'т' && soft) out += 'ц';
    else if (ch === 'д' && soft) out += 'дз';
    else if (ch === 'и') out += BE_HARD.has(prev) ? 'ы' : 'і';
    else if (ch === 'щ') out += 'шч';
    else if (ch === 'ъ') out += "'";
    else if (ch === 'ь' && next !== undefined && 'еёюяи'.includes(next)) out += "'";
    else if (ch === 'е' && BE_HARD.has(prev)) out += 'э';
    else out += ch;
  }
  return [out];
}

// ---------------------------------------------------------------------------------------------
// Dictionary index

export interface DictionaryIndex {
  /** Folded Cyrillic form → hits. */
  readonly cyrillic: Map<string, DictionaryHit[]>;
  /** Lower-case Latin spelling (with and without diacritics) → hits. */
  readonly latin: Map<string, DictionaryHit[]>;
  /** Skeleton of any romanization or Latin spelling → hits. */
  readonly skeleton: Map<string, DictionaryHit[]>;
  /** Phonetic key of a patronymic stem (the father's name) → entry ids. */
  readonly patronymicStems: Map<string, Set<number>>;
  /** Phonetic key of a given name → hits (fallback when the skeleton is unknown). */
  readonly phonetic: Map<string, DictionaryHit[]>;
}

function push<K>(map: Map<K, DictionaryHit[]>, key: K, hit: DictionaryHit): void {
  const list = map.get(key);
  if (!list) {
    map.set(key, [hit]);
    return;
  }
  for (const h of list) {
    if (h.entry === hit.entry && h.kind === hit.kind && h.gender === hit.gender && h.lang === hit.lang)
      return;
  }
  list.push(hit);
}

function pushExact(map: Map<string, DictionaryHit[]>, key: string, hit: DictionaryHit): void {
  const list = map.get(key);
  if (!list) map.set(key, [hit]);
  else if (!list.some((h) => h.entry === hit.entry && h.kind === hit.kind && h.form === hit.form))
    list.push(hit);
}

interface CyrillicForm {
  readonly form: string;
  readonly lang: 'be' | 'ru';
  readonly kind: DictionaryKind;
  readonly gender: 'm' | 'f';
}

/** Every Cyrillic form of an entry: given names and derived patronymics (male and female), BE and RU. */
export function entryCyrillicForms(entry: GivenNameEntry): CyrillicForm[] {
  const forms: CyrillicForm[] = [];
  for (const g of entry.ru)
    forms.push({ form: g.toLowerCase(), lang: 'ru', kind: 'given', gender: entry.gender });
  for (const g of entry.be)
    forms.push({ form: g.toLowerCase(), lang: 'be', kind: 'given', gender: entry.gender });
  if (entry.gender === 'm') {
    const ru = entry.patronymicRu ? [entry.patronymicRu.toLowerCase()] : entry.ru.flatMap(russianPatronymics);
    const be = entry.patronymicBe
      ? [entry.patronymicBe.toLowerCase()]
      : entry.be.flatMap(belarusianPatronymics);
    for (const p of new Set(ru)) {
      forms.push({ form: p, lang: 'ru', kind: 'patronymic', gender: 'm' });
      forms.push({ form: femalePatronymic(p), lang: 'ru', kind: 'patronymic', gender: 'f' });
    }
    for (const p of new Set(be)) {
      forms.push({ form: p, lang: 'be', kind: 'patronymic', gender: 'm' });
      forms.push({ form: femalePatronymic(p), lang: 'be', kind: 'patronymic', gender: 'f' });
    }
  }
  return forms;
}

let INDEX: DictionaryIndex | undefined;

function buildIndex(): DictionaryIndex {
  const cyrillic = new Map<string, DictionaryHit[]>();
  const latin = new Map<string, DictionaryHit[]>();
  const skeletonMap = new Map<string, DictionaryHit[]>();
  const phonetic = new Map<string, DictionaryHit[]>();
  const patronymicStems = new Map<string, Set<number>>();
  for (const entry of GIVEN_NAMES) {
    for (const f of entryCyrillicForms(entry)) {
      const base = { entry: entry.id, kind: f.kind, gender: f.gender, lang: f.lang, form: f.form };
      pushExact(cyrillic, foldCase(f.form), base);
      for (const scheme of ALL_SCHEMES) {
        if (scheme.lang !== f.lang) continue;
        const latinForm = romanize(f.form, scheme).toLowerCase();
        const hit: DictionaryHit = { ...base, scheme: scheme.id };
        pushExact(latin, latinForm, hit);
        const ascii = stripDiacritics(latinForm);
        if (ascii !== latinForm) pushExact(latin, ascii, hit);
        for (const skel of skeletonVariants(latinForm)) {
          push(skeletonMap, skel, hit);
          if (f.kind === 'given') push(phonetic, phoneticKey(skel), hit);
          if (f.kind === 'patronymic') {
            const stem = patronymicStem(skel);
            if (stem) {
              const key = phoneticKey(stem.stem);
              const set = patronymicStems.get(key);
              if (set) set.add(entry.id);
              else patronymicStems.set(key, new Set([entry.id]));
            }
          }
        }
      }
    }
    for (const l of entry.latin) {
      const lower = l.toLowerCase();
      const hit: DictionaryHit = {
        entry: entry.id,
        kind: 'given',
        gender: entry.gender,
        lang: 'latin',
        form: lower,
      };
      pushExact(latin, lower, hit);
      pushExact(latin, stripDiacritics(lower), hit);
      for (const skel of skeletonVariants(lower)) {
        push(skeletonMap, skel, hit);
        push(phonetic, phoneticKey(skel), hit);
      }
    }
  }
  return { cyrillic, latin, skeleton: skeletonMap, patronymicStems, phonetic };
}

/** The dictionary index (built on first call, then shared). */
export function dictionaryIndex(): DictionaryIndex {
  if (!INDEX) INDEX = buildIndex();
  return INDEX;
}

/** The entry with this id. */
export function givenNameEntry(id: number): GivenNameEntry | undefined {
  return GIVEN_NAMES[id];
}

/** Dictionary readings of a Cyrillic word (any case; ё and е are the same). */
export function lookupCyrillic(word: string): readonly DictionaryHit[] {
  return dictionaryIndex().cyrillic.get(foldCase(word)) ?? [];
}
