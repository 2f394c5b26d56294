/**
 * `nameForms`: every form of a name the index and the analyst may want to see: the Belarusian and
 * Russian Cyrillic forms where derivable, romanizations under each scheme, the skeleton and the
 * phonetic key, each tagged with how it was produced.
 */
import { entryCyrillicForms, givenNameEntry } from './equivalence.js';
import { isNameError, type NameError } from './errors.js';
import { type NormalizedName, normalizeName } from './normalize-name.js';
import type { NameRole } from './parse.js';
import { romanize } from './romanize.js';
import { ALL_SCHEMES, type SchemeId } from './schemes/index.js';
import { analyzeToken } from './token.js';

/** How a form was produced. */
export type FormRule = 'exact' | `scheme:${SchemeId}` | 'equivalence:be-ru' | 'skeleton' | 'phonetic';

export interface NameForm {
  readonly text: string;
  /** 'key' for the skeleton and phonetic keys (not meant for display as a name). */
  readonly script: 'cyrillic' | 'latin' | 'key';
  /** Language of the Cyrillic form this one is (or is romanized from). */
  readonly lang?: 'be' | 'ru';
  readonly rule: FormRule;
  /** The form went through the Belarusian ↔ Russian equivalence layer (e.g. RU form romanized). */
  readonly viaEquivalence: boolean;
}

export interface TokenForms {
  readonly token: string;
  readonly role: NameRole;
  readonly forms: readonly NameForm[];
}

export interface NameForms {
  readonly input: string;
  /** Whole-name forms (tokens in input order), deduplicated by text. */
  readonly full: readonly NameForm[];
  /** Forms of each token. */
  readonly tokens: readonly TokenForms[];
}

interface CyrillicSource {
  readonly text: string;
  readonly lang: 'be' | 'ru';
  readonly viaEquivalence: boolean;
  /** For Latin input: the scheme that produced the input from this form (reverse look-up). */
  readonly scheme?: SchemeId;
}

/** Applies the case pattern of `model` (ALL CAPS / Capitalised / lower) to `text`. */
function applyCase(model: string, text: string): string {
  const letters = Array.from(model).filter((c) => c.toLowerCase() !== c.toUpperCase());
  if (letters.length > 1 && model === model.toUpperCase()) return text.toUpperCase();
  const first = letters[0];
  if (first !== undefined && first === first.toUpperCase()) {
    return text
      .split('-')
      .map((p) => (p.length > 0 ? p[0]!.toUpperCase() + p.slice(1) : p))
      .join('-');
  }
  return text;
}

/** Cyrillic forms of one token: itself and its equivalents (Cyrillic input), or dictionary forms (Latin input). */
function cyrillicSources(token: string): CyrillicSource[] {
  const a = analyzeToken(token);
  if (a.script === 'cyrillic') {
    return a.cyrillicForms.map((f) => ({
      text: f.viaEquivalence ? applyCase(a.clean, f.text) : a.clean,
      lang: f.lang,
      viaEquivalence: f.viaEquivalence,
    }));
  }
  const sources: CyrillicSource[] = [];
  const seen = new Set<string>();
  const readings = a.hits.filter((h) => h.lang !== 'latin');
  const langs = new Set(readings.map((h) => h.lang));
  for (const hit of a.hits) {
    const entry = givenNameEntry(hit.entry);
    if (!entry) continue;
    for (const form of entryCyrillicForms(entry)) {
      if (form.kind !== hit.kind || form.gender !== hit.gender) continue;
      const key = `${form.lang}:${form.form}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const direct = readings.find((r) => r.form === form.form && r.lang === form.lang);
      sources.push({
        text: applyCase(a.clean, form.form),
        lang: form.lang,
        viaEquivalence: !direct && langs.size > 0 && !langs.has(form.lang),
        ...(direct?.scheme ? { scheme: direct.scheme } : {}),
      });
    }
  }
  return sources;
}

function tokenForms(token: string): NameForm[] {
  const a = analyzeToken(token);
  const forms: NameForm[] = [];
  const seen = new Set<string>();
  const add = (form: NameForm) => {
    const key = `${form.script}:${form.text}`;
    if (seen.has(key) || form.text.length === 0) return;
    seen.add(key);
    forms.push(form);
  };
  add({
    text: a.clean,
    script: a.script === 'cyrillic' ? 'cyrillic' : 'latin',
    rule: 'exact',
    viaEquivalence: false,
  });
  const sources = cyrillicSources(token);
  for (const source of sources) {
    const rule: FormRule =
      a.script === 'cyrillic' || source.viaEquivalence || !source.scheme
        ? 'equivalence:be-ru'
        : `scheme:${source.scheme}`;
    if (a.script !== 'cyrillic' || source.viaEquivalence) {
      add({
        text: source.text,
        script: 'cyrillic',
        lang: source.lang,
        rule,
        viaEquivalence: source.viaEquivalence,
      });
    }
  }
  for (const source of sources) {
    for (const scheme of ALL_SCHEMES) {
      if (scheme.lang !== source.lang) continue;
      add({
        text: romanize(source.text, scheme),
        script: 'latin',
        lang: source.lang,
        rule: `scheme:${scheme.id}`,
        viaEquivalence: source.viaEquivalence,
      });
    }
  }
  if (a.skeletons[0]) add({ text: a.skeletons[0], script: 'key', rule: 'skeleton', viaEquivalence: false });
  if (a.phonetics[0]) add({ text: a.phonetics[0], script: 'key', rule: 'phonetic', viaEquivalence: false });
  return forms;
}

/** Belarusian → Russian surname endings on Latin spellings (LUKASHENKA → LUKASHENKO, Navumau → Navumov). */
const LATIN_BE_TO_RU: ReadonlyArray<readonly [string, string]> = [
  ['enka', 'enko'],
  ['skaya', 'skaya'],
  ['ava', 'ova'],
  ['au', 'ov'],
  ['aw', 'ov'],
  ['ou', 'ov'],
  ['ow', 'ov'],
  ['eu', 'ev'],
  ['ew', 'ev'],
];
const LATIN_RU_TO_BE: ReadonlyArray<readonly [string, string]> = [
  ['enko', 'enka'],
  ['skiy', 'ski'],
  ['sky', 'ski'],
  ['ova', 'ava'],
  ['ov', 'au'],
  ['ev', 'eu'],
];

/** The other language's form of a Latin surname by its ending, or undefined when no rule applies. */
function latinEquivalent(text: string, to: 'be' | 'ru'): string | undefined {
  const table = to === 'ru' ? LATIN_BE_TO_RU : LATIN_RU_TO_BE;
  const lower = text.toLowerCase();
  for (const [from, into] of table) {
    if (lower.length > from.length + 2 && lower.endsWith(from)) {
      if (from === into) return undefined;
      return applyCase(text, lower.slice(0, -from.length) + into);
    }
  }
  return undefined;
}

/** Language of the whole name: the language its unambiguous tokens agree on. */
function nameLanguage(
  perToken: ReadonlyArray<{ analysis: ReturnType<typeof analyzeToken> }>,
): 'be' | 'ru' | undefined {
  let be = 0;
  let ru = 0;
  for (const { analysis } of perToken) {
    if (analysis.cyrillicLanguage === 'be') be++;
    else if (analysis.cyrillicLanguage === 'ru') ru++;
  }
  if (be > 0 && ru === 0) return 'be';
  if (ru > 0 && be === 0) return 'ru';
  return undefined;
}

function fullForms(tokens: readonly string[]): NameForm[] {
  const perToken = tokens.map((t) => ({ analysis: analyzeToken(t), sources: cyrillicSources(t) }));
  const language = nameLanguage(perToken);
  const pick = (sources: readonly CyrillicSource[], lang: 'be' | 'ru') => {
    const candidates = sources.filter((s) => s.lang === lang);
    const preferVia = language !== undefined && language !== lang;
    return candidates.find((s) => s.viaEquivalence === preferVia) ?? candidates[0];
  };
  const forms: NameForm[] = [];
  const seen = new Set<string>();
  const add = (form: NameForm) => {
    if (seen.has(form.text) || form.text.length === 0) return;
    seen.add(form.text);
    forms.push(form);
  };
  add({
    text: perToken.map((p) => p.analysis.clean).join(' '),
    script: perToken.every((p) => p.analysis.script === 'cyrillic') ? 'cyrillic' : 'latin',
    rule: 'exact',
    viaEquivalence: false,
  });
  for (const lang of ['be', 'ru'] as const) {
    const choice = perToken.map((p) => pick(p.sources, lang));
    const derivable = choice.every((c, i) => c !== undefined || perToken[i]!.analysis.isInitial);
    const via = choice.some((c) => c?.viaEquivalence);
    if (derivable && choice.some((c) => c !== undefined)) {
      add({
        text: choice.map((c, i) => c?.text ?? perToken[i]!.analysis.clean).join(' '),
        script: 'cyrillic',
        lang,
        rule: via ? 'equivalence:be-ru' : 'exact',
        viaEquivalence: via,
      });
    }
    for (const scheme of ALL_SCHEMES) {
      if (scheme.lang !== lang) continue;
      const parts: string[] = [];
      let used = false;
      for (let i = 0; i < perToken.length; i++) {
        const c = choice[i];
        if (c) {
          parts.push(romanize(c.text, scheme));
          used = true;
        } else if (perToken[i]!.analysis.script === 'cyrillic') {
          const own = perToken[i]!.sources[0];
          parts.push(romanize(own?.text ?? perToken[i]!.analysis.clean, scheme));
          used = true;
        } else {
          const clean = perToken[i]!.analysis.clean;
          const other = language !== lang ? latinEquivalent(clean, lang) : undefined;
          parts.push(other ?? clean);
        }
      }
      if (!used) continue;
      add({ text: parts.join(' '), script: 'latin', lang, rule: `scheme:${scheme.id}`, viaEquivalence: via });
    }
  }
  const skel = perToken.map((p) => p.analysis.skeletons[0] ?? '').filter((s) => s.length > 0);
  if (skel.length > 0) add({ text: skel.join(' '), script: 'key', rule: 'skeleton', viaEquivalence: false });
  const phon = perToken.map((p) => p.analysis.phonetics[0] ?? '').filter((s) => s.length > 0);
  if (phon.length > 0) add({ text: phon.join(' '), script: 'key', rule: 'phonetic', viaEquivalence: false });
  return forms;
}

/**
 * All generated forms of a name: the whole name under each scheme and language form, and each
 * token's forms. Accepts a raw string (normalised first; errors are returned, not thrown) or the
 * result of `normalizeName`.
 */
export function nameForms(name: string | NormalizedName): NameForms | NameError {
  const normalized = typeof name === 'string' ? normalizeName(name) : name;
  if (isNameError(normalized)) return normalized;
  const tokens = normalized.tokens.map((t) => t.text);
  return {
    input: normalized.original,
    full: fullForms(tokens),
    tokens: normalized.tokens.map((t) => ({ token: t.text, role: t.role, forms: tokenForms(t.text) })),
  };
}
