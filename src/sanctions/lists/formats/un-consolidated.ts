/**
 * The UN Security Council consolidated list (`<CONSOLIDATED_LIST>` with `INDIVIDUALS/INDIVIDUAL` and
 * `ENTITIES/ENTITY`): one entry per `REFERENCE_NUMBER` (the `DATAID` when there is none), names from
 * FIRST_NAME…FOURTH_NAME, aliases by QUALITY (Good and a.k.a. strong, Low weak, f.k.a. former),
 * `NAME_ORIGINAL_SCRIPT`, `UN_LIST_TYPE` the programme, `LISTED_ON`, `COMMENTS1` the reasons,
 * `DESIGNATION` positions, birth dates (exact, year, or a range), places, documents and addresses.
 * Read after OpenSanctions' `datasets/_global/un_sc_sanctions/crawler.py` and `zavod/shed/un_sc.py`.
 */

import { countryCode } from '../countries.js';
import { parseListDates } from '../dates.js';
import { addName, addUnique, emptyEntry, joinName, type NameQuality, type OfficialEntry } from '../entry.js';
import { type ListReader, type ReadContext, singleFile, skip, xmlFileRecords } from '../reader.js';
import { children, emptyHeader, textOf, textsAt, type XmlNode } from '../xml-records.js';

const QUALITY: Record<string, NameQuality> = {
  good: 'strong',
  'a.k.a.': 'strong',
  low: 'weak',
  'f.k.a.': 'former',
};
const DOCUMENTS: Record<string, 'passport' | 'national-id'> = {
  passport: 'passport',
  'national identification number': 'national-id',
  'national identity card': 'national-id',
  'identification number': 'national-id',
};

function place(node: XmlNode): string | undefined {
  return (
    ['STREET', 'CITY', 'STATE_PROVINCE', 'COUNTRY']
      .map((tag) => textOf(node, tag))
      .filter(Boolean)
      .join(', ') || undefined
  );
}

export function readUnRecord(node: XmlNode, context: ReadContext): OfficialEntry | undefined {
  const listId = textOf(node, 'REFERENCE_NUMBER') ?? textOf(node, 'DATAID');
  if (!listId) {
    skip(context, 'records without a reference number');
    return undefined;
  }
  const person = node.name === 'INDIVIDUAL';
  const entry = emptyEntry(listId, person ? 'Person' : 'Organization');
  const parts = ['FIRST_NAME', 'SECOND_NAME', 'THIRD_NAME', 'FOURTH_NAME'].map((tag) => textOf(node, tag));
  const present = parts.filter(Boolean) as string[];
  addName(entry, {
    full: joinName(...present),
    given: present.length > 1 ? present[0] : undefined,
    middle: present.length > 2 ? joinName(...present.slice(1, -1)) : undefined,
    family: present.length > 1 ? present[present.length - 1] : undefined,
    quality: 'primary',
  });
  const original = textOf(node, 'NAME_ORIGINAL_SCRIPT');
  if (original) addName(entry, { full: original, quality: 'strong' });
  for (const alias of children(node, person ? 'INDIVIDUAL_ALIAS' : 'ENTITY_ALIAS')) {
    const quality = QUALITY[(textOf(alias, 'QUALITY') ?? 'good').toLowerCase()] ?? 'strong';
    for (const name of (textOf(alias, 'ALIAS_NAME') ?? '').split('; '))
      addName(entry, { full: name, quality });
  }
  entry.unscId = textOf(node, 'REFERENCE_NUMBER');
  addUnique(entry.programs, textOf(node, 'UN_LIST_TYPE'));
  entry.listingDate = parseListDates(textOf(node, 'LISTED_ON'))[0];
  entry.startDate = entry.listingDate;
  addUnique(entry.reasons, textOf(node, 'COMMENTS1'));
  for (const title of textsAt(node, 'TITLE/VALUE')) addUnique(entry.titles, title);
  for (const position of textsAt(node, 'DESIGNATION/VALUE')) addUnique(entry.positions, position);
  for (const nationality of textsAt(node, 'NATIONALITY/VALUE')) {
    const code = countryCode(nationality);
    if (code) addUnique(entry.nationalities, code);
    else addUnique(entry.notes, `Nationality: ${nationality}`);
  }
  const gender = textOf(node, 'GENDER');
  if (/^male$/i.test(gender ?? '')) entry.gender = 'male';
  else if (/^female$/i.test(gender ?? '')) entry.gender = 'female';
  for (const dob of children(node, 'INDIVIDUAL_DATE_OF_BIRTH')) {
    const from = textOf(dob, 'FROM_YEAR');
    const to = textOf(dob, 'TO_YEAR');
    const dates = [
      ...parseListDates(textOf(dob, 'DATE')),
      ...parseListDates(textOf(dob, 'YEAR')),
      ...(from && to ? parseListDates(`${from} to ${to}`) : []),
    ];
    for (const date of dates) addUnique(entry.birthDates, date);
  }
  for (const pob of children(node, 'INDIVIDUAL_PLACE_OF_BIRTH')) addUnique(entry.birthPlaces, place(pob));
  for (const document of children(node, 'INDIVIDUAL_DOCUMENT')) {
    const number = textOf(document, 'NUMBER');
    const type = textOf(document, 'TYPE_OF_DOCUMENT') ?? '';
    if (!number) continue;
    const kind = DOCUMENTS[type.toLowerCase()] ?? 'other';
    entry.identifications.push({
      kind,
      label: kind === 'other' ? type || undefined : undefined,
      number,
      country: countryCode(textOf(document, 'COUNTRY_OF_ISSUE') ?? textOf(document, 'ISSUING_COUNTRY')),
      issueDate: parseListDates(textOf(document, 'DATE_OF_ISSUE'))[0],
      note: textOf(document, 'NOTE'),
    });
  }
  for (const address of children(node, person ? 'INDIVIDUAL_ADDRESS' : 'ENTITY_ADDRESS')) {
    const country = countryCode(textOf(address, 'COUNTRY'));
    const entryAddress = {
      street: textOf(address, 'STREET'),
      city: textOf(address, 'CITY'),
      region: textOf(address, 'STATE_PROVINCE'),
      postalCode: textOf(address, 'ZIP_CODE'),
      country,
    };
    if (Object.values(entryAddress).some(Boolean)) entry.addresses.push(entryAddress);
    const note = textOf(address, 'NOTE');
    if (note) addUnique(entry.notes, note);
  }
  return entry;
}

export const unConsolidatedReader: ListReader = {
  format: 'un-consolidated-xml',
  authority: 'UN',
  title: 'UN Security Council consolidated list',
  async *read(files, context) {
    const file = singleFile(files, 'UN consolidated XML');
    const header = emptyHeader();
    for await (const node of xmlFileRecords(
      file,
      context,
      {
        records: ['INDIVIDUAL', 'ENTITY'],
        roots: ['CONSOLIDATED_LIST'],
        formatLabel: 'UN consolidated list XML',
      },
      header,
    )) {
      context.generated ??= parseListDates(header.attributes.dateGenerated)[0];
      const entry = readUnRecord(node, context);
      if (entry) yield entry;
    }
    context.generated ??= parseListDates(header.attributes.dateGenerated)[0];
  },
};
