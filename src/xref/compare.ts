/**
 * The side-by-side comparison of a pair for review: each side's names grouped by script with their
 * Belarusian, Russian and Latin forms, dates, gender, positions with dates, identifiers, addresses and
 * the dataset it came from; every value says whether the other side agrees with it.
 */
import { nameForms } from '../names/index.js';
import type { EntityDetail } from '../registry/model.js';
import { normalizeId } from '../screening/index.js';
import type { CompareSide, NameForm } from './model.js';

const FACT_PROPERTIES = [
  'birthDate',
  'deathDate',
  'gender',
  'nationality',
  'citizenship',
  'birthPlace',
] as const;
const ID_PROPERTIES = ['idNumber', 'passportNumber', 'taxNumber', 'innCode', 'registrationNumber'] as const;
const SKIP = new Set<string>([
  ...FACT_PROPERTIES,
  ...ID_PROPERTIES,
  'name',
  'alias',
  'previousName',
  'weakAlias',
  'firstName',
  'lastName',
  'fatherName',
  'middleName',
  'addressEntity',
]);

const fold = (value: string) => value.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();

/** The Belarusian, Russian and Latin forms of a name (those that differ from it). */
export function formsOf(value: string): NameForm[] {
  const forms = nameForms(value);
  if ('code' in forms) return [];
  const out: NameForm[] = [];
  const add = (kind: NameForm['kind'], text: string | undefined) => {
    if (text && fold(text) !== fold(value) && !out.some((f) => f.text === text)) out.push({ kind, text });
  };
  const cyrillic = (lang: 'be' | 'ru') =>
    forms.full.find((f) => f.script === 'cyrillic' && f.lang === lang)?.text;
  add('be', cyrillic('be'));
  add('ru', cyrillic('ru'));
  add(
    'latin-be',
    forms.full.find((f) => f.rule === 'scheme:passport-be' || f.rule === 'scheme:icao-be')?.text,
  );
  add('latin-ru', forms.full.find((f) => f.rule === 'scheme:icao-ru')?.text);
  return out;
}

function datesAgree(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

/** What one side offers the other for agreement checks. */
interface Evidence {
  names: Set<string>;
  facts: Map<string, string[]>;
  ids: Set<string>;
  positions: Set<string>;
  addresses: Set<string>;
}

function positionsOf(
  detail: EntityDetail,
): Array<{ title: string; organization: string | null; start: string | null; end: string | null }> {
  return detail.occupancies.map(({ link, others }) => {
    const post = others.find((o) => o.schema === 'Position');
    const body = others.find((o) => o.schema !== 'Position');
    return {
      title: post?.caption ?? link.caption,
      organization: body?.caption ?? null,
      start: link.properties.startDate?.[0] ?? null,
      end: link.properties.endDate?.[0] ?? null,
    };
  });
}

function identifiersOf(detail: EntityDetail): Array<{ type: string; value: string }> {
  const out: Array<{ type: string; value: string }> = [];
  for (const key of ID_PROPERTIES)
    for (const value of detail.entity.properties[key] ?? []) out.push({ type: key, value });
  for (const { link } of detail.identifications)
    for (const value of link.properties.number ?? [])
      out.push({ type: link.properties.type?.[0] ?? 'identification', value });
  return out;
}

function addressesOf(detail: EntityDetail): string[] {
  return [
    ...(detail.entity.properties.address ?? []),
    ...detail.addresses.map((a) => a.properties.full?.[0] ?? a.caption),
  ].filter(Boolean);
}

function evidenceOf(detail: EntityDetail): Evidence {
  const facts = new Map<string, string[]>();
  for (const key of FACT_PROPERTIES) facts.set(key, (detail.entity.properties[key] ?? []).map(fold));
  return {
    names: new Set(detail.names.flatMap((g) => g.names.map((n) => fold(n.value)))),
    facts,
    ids: new Set(identifiersOf(detail).map((i) => normalizeId(i.value))),
    positions: new Set(positionsOf(detail).map((p) => fold(p.title))),
    addresses: new Set(addressesOf(detail).map(fold)),
  };
}

/** One side of the comparison; `matchedNames` are the names the scorer aligned (from the explanations). */
export function compareSide(
  detail: EntityDetail,
  other: EntityDetail,
  matchedNames: ReadonlySet<string>,
): CompareSide {
  const theirs = evidenceOf(other);
  const factAgrees = (key: string, value: string) => {
    const list = theirs.facts.get(key) ?? [];
    const v = fold(value);
    return key === 'birthDate' || key === 'deathDate' ? list.some((o) => datesAgree(o, v)) : list.includes(v);
  };
  return {
    entity: { id: detail.entity.id, schema: detail.entity.schema, caption: detail.entity.caption },
    dataset: {
      id: detail.dataset.id,
      name: detail.dataset.name,
      title: detail.dataset.title,
      source: detail.dataset.source,
      restricted: detail.dataset.restricted,
    },
    names: detail.names.map((group) => ({
      script: group.script,
      language: group.language,
      names: group.names.map((n) => ({
        value: n.value,
        property: n.property,
        forms: formsOf(n.value),
        agrees: matchedNames.has(fold(n.value)) || theirs.names.has(fold(n.value)),
      })),
    })),
    facts: FACT_PROPERTIES.filter((key) => (detail.entity.properties[key] ?? []).length > 0).map((key) => ({
      property: key,
      values: (detail.entity.properties[key] ?? []).map((value) => ({
        value,
        agrees: factAgrees(key, value),
      })),
    })),
    identifiers: identifiersOf(detail).map((i) => ({ ...i, agrees: theirs.ids.has(normalizeId(i.value)) })),
    positions: positionsOf(detail).map((p) => ({ ...p, agrees: theirs.positions.has(fold(p.title)) })),
    addresses: addressesOf(detail).map((value) => ({ value, agrees: theirs.addresses.has(fold(value)) })),
    other: Object.entries(detail.entity.properties)
      .filter(([key]) => !SKIP.has(key))
      .map(([property, values]) => ({ property, values: values.slice(0, 20) })),
  };
}

/** Names the explanations aligned, folded, for marking agreement on both sides. */
export function matchedNamesOf(
  explanations: ReadonlyArray<{ queryName?: string; matchedName?: string }>,
): Set<string> {
  const out = new Set<string>();
  for (const e of explanations) {
    if (e.queryName) out.add(fold(e.queryName));
    if (e.matchedName) out.add(fold(e.matchedName));
  }
  return out;
}
