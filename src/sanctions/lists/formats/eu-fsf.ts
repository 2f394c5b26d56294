/**
 * EU Financial Sanctions Files XML (`<export>` of `<sanctionEntity>`): one entry per sanction entity,
 * keyed by its `euReferenceNumber` (the `logicalId` when there is none). Strong `nameAlias` values in
 * English, Belarusian, Russian or no language are names, those in other languages aliases, weak ones
 * weak aliases; `function` gives positions ("(a) …, (b) …" split), `birthdate` dates and places,
 * `citizenship` citizenships, `identification` documents, `regulation` the programmes and dates,
 * entity-level `remark` the reasons. Read after OpenSanctions' `zavod/shed/fsf.py`.
 */

import { countryCode, countryName } from '../countries.js';
import { earliest, parseListDates, partialDate } from '../dates.js';
import { addName, addUnique, clean, emptyEntry, type OfficialEntry } from '../entry.js';
import { type ListReader, type ReadContext, singleFile, skip, xmlFileRecords } from '../reader.js';
import { attr, children, emptyHeader, type XmlNode } from '../xml-records.js';

const NAME_LANGUAGES = new Set(['', 'en', 'be', 'ru']);
const LETTER_SPLIT = /\s*\([a-z]\)\s*/;

/** "(a) Minister of X, (b) Head of Y" → ["Minister of X", "Head of Y"]. */
export function splitLettered(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(LETTER_SPLIT)
    .map((part) => part.replace(/^[,;\s]+|[,;\s]+$/g, ''))
    .filter(Boolean);
}

const ID_KINDS: Record<string, 'passport' | 'national-id'> = {
  passport: 'passport',
  id: 'national-id',
  nationcert: 'national-id',
};

function country(node: XmlNode): string | undefined {
  return countryCode(attr(node, 'countryIso2Code')) ?? countryCode(attr(node, 'countryDescription'));
}

function place(node: XmlNode): string | undefined {
  const description = attr(node, 'countryDescription');
  const code = country(node);
  const parts = [attr(node, 'city'), attr(node, 'place'), attr(node, 'region')];
  if (code) parts.push(countryName(code));
  else if (description && description.toUpperCase() !== 'UNKNOWN') parts.push(description);
  const line = parts.filter(Boolean).join(', ');
  return line || undefined;
}

export function readEuEntity(node: XmlNode, context: ReadContext): OfficialEntry | undefined {
  const listId = attr(node, 'euReferenceNumber') ?? attr(node, 'logicalId');
  const subject = children(node, 'subjectType')[0];
  const code = attr(subject, 'code') ?? attr(subject, 'classificationCode');
  if (!listId) {
    skip(context, 'entries without a reference number');
    return undefined;
  }
  const schema = code === 'person' || code === 'P' ? 'Person' : code ? 'Organization' : undefined;
  if (!schema) {
    skip(context, 'entries without a subject type');
    return undefined;
  }
  const entry = emptyEntry(listId, schema);
  entry.unscId = attr(node, 'unitedNationId');

  for (const name of children(node, 'nameAlias')) {
    const lang = (attr(name, 'nameLanguage') ?? '').toLowerCase();
    const weak =
      attr(name, 'strong') === 'false' || /lo(w)? quality/i.test(children(name, 'remark')[0]?.text ?? '');
    const full =
      attr(name, 'wholeName') ??
      [attr(name, 'firstName'), attr(name, 'middleName'), attr(name, 'lastName')].filter(Boolean).join(' ');
    addName(entry, {
      full,
      given: attr(name, 'firstName'),
      middle: attr(name, 'middleName'),
      family: attr(name, 'lastName'),
      lang: lang || undefined,
      quality: weak ? 'weak' : NAME_LANGUAGES.has(lang) ? 'primary' : 'strong',
    });
    if (weak) continue;
    const gender = attr(name, 'gender');
    if (gender === 'M') entry.gender = 'male';
    else if (gender === 'F') entry.gender = 'female';
    for (const title of splitLettered(attr(name, 'title'))) addUnique(entry.titles, title);
    // Positions are given again in every language; keep those of names in the list's own languages.
    if (NAME_LANGUAGES.has(lang)) {
      for (const position of splitLettered(attr(name, 'function'))) {
        if (schema === 'Person') addUnique(entry.positions, position);
        else addUnique(entry.notes, position);
      }
    }
  }

  for (const birth of children(node, 'birthdate')) {
    const exact = parseListDates(attr(birth, 'birthdate'));
    const year = Number(attr(birth, 'year'));
    const parts =
      exact.length > 0
        ? exact
        : [partialDate(year, Number(attr(birth, 'monthOfYear')), Number(attr(birth, 'dayOfMonth')))].filter(
            (d): d is string => d !== undefined,
          );
    for (const date of parts) addUnique(entry.birthDates, date);
    addUnique(entry.birthPlaces, place(birth));
  }
  for (const citizenship of children(node, 'citizenship')) {
    const code = country(citizenship);
    if (code) addUnique(entry.citizenships, code);
    else addUnique(entry.notes, `Citizenship: ${attr(citizenship, 'countryDescription') ?? ''}`);
  }
  for (const identification of children(node, 'identification')) {
    const number = attr(identification, 'number') ?? attr(identification, 'latinNumber');
    if (!number) continue;
    const type = attr(identification, 'identificationTypeCode') ?? '';
    const kind = ID_KINDS[type] ?? 'other';
    const remarks = children(identification, 'remark')
      .map((r) => clean(r.text))
      .filter(Boolean);
    entry.identifications.push({
      kind,
      label: kind === 'other' ? (attr(identification, 'identificationTypeDescription') ?? type) : undefined,
      number,
      country: country(identification),
      issueDate: parseListDates(attr(identification, 'issueDate'))[0],
      note: remarks.join('; ') || undefined,
    });
  }
  for (const address of children(node, 'address')) {
    entry.addresses.push({
      street: [attr(address, 'street'), attr(address, 'poBox')].filter(Boolean).join(', ') || undefined,
      city: attr(address, 'city') ?? attr(address, 'place'),
      region: attr(address, 'region'),
      postalCode: attr(address, 'zipCode'),
      country: country(address),
    });
  }

  const starts: Array<string | undefined> = [parseListDates(attr(node, 'designationDate'))[0]];
  const listings: Array<string | undefined> = [];
  for (const regulation of children(node, 'regulation')) {
    addUnique(entry.programs, attr(regulation, 'programme'));
    addUnique(entry.provisions, attr(regulation, 'numberTitle'));
    entry.sourceUrl ??= clean(children(regulation, 'publicationUrl')[0]?.text);
    starts.push(parseListDates(attr(regulation, 'entryIntoForceDate'))[0]);
    listings.push(parseListDates(attr(regulation, 'publicationDate'))[0]);
  }
  entry.startDate = earliest(starts);
  entry.listingDate = earliest(listings) ?? entry.startDate;
  for (const remark of children(node, 'remark')) addUnique(entry.reasons, remark.text);
  return entry;
}

export const euFsfReader: ListReader = {
  format: 'eu-fsf-xml',
  authority: 'EU',
  title: 'EU Financial Sanctions Files (consolidated list)',
  async *read(files, context) {
    const file = singleFile(files, 'EU Financial Sanctions Files XML');
    const header = emptyHeader();
    const records = xmlFileRecords(
      file,
      context,
      { records: ['sanctionEntity'], roots: ['export'], formatLabel: 'EU Financial Sanctions Files XML' },
      header,
    );
    for await (const node of records) {
      context.generated ??= parseListDates(header.attributes.generationDate)[0];
      const entry = readEuEntity(node, context);
      if (entry) yield entry;
    }
    context.generated ??= parseListDates(header.attributes.generationDate)[0];
  },
};
