/**
 * Canada's consolidated autonomous sanctions list (SEMA / JVCFOA) as XML: `<record>` elements with
 * `Country` (the regime, e.g. "Belarus / Bélarus"), `Schedule`, `Item`, `EntityOrShip`, `GivenName`,
 * `LastName`, `Aliases` (free text, with "Belarusian:" / "Russian:" labels mixed in),
 * `DateOfBirthOrShipBuildDate` (sometimes an Excel serial number), `TitleOrShip`, `ShipIMONumber`,
 * `DateOfListing`. The list has no identifier of its own: a record is known by regime, schedule and
 * item number (its place in the regulation), and by its name when there is no item. Read after
 * OpenSanctions' `datasets/ca/dfatd/crawler.py`.
 */
import { createHash } from 'node:crypto';
import { countryCode } from '../countries.js';
import { parseListDates } from '../dates.js';
import { addName, addUnique, clean, emptyEntry, joinName, type OfficialEntry } from '../entry.js';
import { type ListReader, type ReadContext, singleFile, skip, xmlFileRecords } from '../reader.js';
import { textOf, type XmlNode } from '../xml-records.js';

const LABELS: Record<string, string> = {
  belarusian: 'be',
  belarussian: 'be',
  russian: 'ru',
  ukrainian: 'uk',
  arabic: 'ar',
  hebrew: 'he',
};

/**
 * "Ivan Ivanou, Belarusian: Іван Іваноў, Russian: Иван Иванов (a.k.a. I. Ivanov)" → names with the
 * language each label gives (a label holds until the next one).
 */
export function splitCanadianAliases(text: string | undefined): Array<{ name: string; lang?: string }> {
  if (!text) return [];
  const out: Array<{ name: string; lang?: string }> = [];
  const tokens = text
    .replace(/\s+/g, ' ')
    .split(
      /(\b(?:Belarus+ian|Russian|Ukrainian|Arabic|Hebrew)\s*:|ALIAS\s*:|;|,|\(also known as|\(a\.k\.a\.?)/i,
    );
  let lang: string | undefined;
  for (const token of tokens) {
    if (token === undefined) continue;
    const label = /^(\w+)\s*:$/.exec(token.trim());
    if (label) {
      lang = LABELS[label[1]!.toLowerCase()];
      continue;
    }
    if (/^(?:;|,|\(also known as|\(a\.k\.a\.?)$/i.test(token.trim())) continue;
    const name = clean(token.replace(/[()]/g, ''));
    if (name) out.push(lang ? { name, lang } : { name });
  }
  return out;
}

export function canadianListId(
  regime: string,
  schedule: string | undefined,
  item: string | undefined,
  name: string,
) {
  const code = countryCode(regime) ?? regime.slice(0, 20);
  if (item) return `${code}-${schedule ?? ''}-${item}`.replace(/[^A-Za-z0-9.-]+/g, '-');
  return `${code}-${createHash('sha256')
    .update(`${schedule ?? ''}|${name}`)
    .digest('hex')
    .slice(0, 16)}`;
}

export function readCanadianRecord(
  node: XmlNode,
  context: ReadContext,
  seen: Set<string>,
): OfficialEntry | undefined {
  const regime = textOf(node, 'Country') ?? '';
  const schedule = clean(textOf(node, 'Schedule')?.replace(/^N\/A$/i, ''));
  const item = textOf(node, 'Item');
  const given = textOf(node, 'GivenName');
  const last = textOf(node, 'LastName');
  const entityName = textOf(node, 'EntityOrShip');
  if (textOf(node, 'ShipIMONumber')) {
    skip(context, 'ships');
    return undefined;
  }
  const person = given !== undefined || last !== undefined;
  const name = person ? joinName(given, last) : entityName;
  if (!name) {
    skip(context, 'records without a name');
    return undefined;
  }
  let listId = canadianListId(regime, schedule, item, name);
  // Item numbers repeat when a schedule has parts; tell such records apart by name.
  if (seen.has(listId)) listId = canadianListId(regime, `${schedule ?? ''}|${item ?? ''}`, undefined, name);
  seen.add(listId);
  const entry = emptyEntry(listId, person ? 'Person' : 'Organization');
  addName(entry, { full: name, given, family: last, quality: 'primary' });
  for (const alias of splitCanadianAliases(textOf(node, 'Aliases')))
    addName(entry, { full: alias.name, lang: alias.lang, quality: 'strong' });
  const dates = parseListDates(textOf(node, 'DateOfBirthOrShipBuildDate'), { excel: true });
  if (person) for (const date of dates) addUnique(entry.birthDates, date);
  if (person) addUnique(entry.positions, textOf(node, 'TitleOrShip'));
  else addUnique(entry.notes, textOf(node, 'TitleOrShip'));
  addUnique(entry.programs, regime);
  if (schedule) addUnique(entry.provisions, `Schedule ${schedule}${item ? `, item ${item}` : ''}`);
  entry.listingDate = parseListDates(textOf(node, 'DateOfListing'), { excel: true })[0];
  entry.startDate = entry.listingDate;
  if (item) addUnique(entry.otherIds, item);
  return entry;
}

export const caSemaReader: ListReader = {
  format: 'ca-sema-xml',
  authority: 'CA',
  title: 'Canada: consolidated autonomous sanctions list (SEMA / JVCFOA)',
  async *read(files, context) {
    const file = singleFile(files, 'Canadian SEMA XML');
    const seen = new Set<string>();
    for await (const node of xmlFileRecords(file, context, {
      records: ['record'],
      roots: ['data-set', 'dataset', 'records', 'DATA_RECORD', 'root'],
      formatLabel: 'Canadian SEMA XML',
    })) {
      const entry = readCanadianRecord(node, context, seen);
      if (entry) yield entry;
    }
  },
};
