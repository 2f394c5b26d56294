/**
 * The UK Sanctions List (FCDO) in its two published forms. XML: `<Designations>` of `<Designation>`
 * with `Names/Name` (Name1 given name … Name6 family name, `NameType`, `AliasStrength`),
 * `NonLatinNames`, `RegimeName`, `IndividualEntityShip`, `UKStatementofReasons`, `Addresses`,
 * `IndividualDetails/Individual` (DOBs, nationalities, positions, birth places, passports, national
 * identifiers). CSV: a metadata line, a header row, then one row per name of a designation (rows of
 * one `Unique ID` are joined). Ships are left out (no schema for them). Read after OpenSanctions'
 * `datasets/gb/fcdo_sanctions/crawler.py` (whose XML branch skips person details; this one reads them).
 */
import { AppError } from '../../../platform/errors.js';
import { countryCode } from '../countries.js';
import { csvRows } from '../csv-rows.js';
import { parseListDates } from '../dates.js';
import {
  addName,
  addUnique,
  clean,
  type EntryName,
  emptyEntry,
  joinName,
  type NameQuality,
  type OfficialEntry,
} from '../entry.js';
import { readText } from '../read-text.js';
import {
  byteCounter,
  type ListReader,
  type ReadContext,
  singleFile,
  skip,
  xmlFileRecords,
} from '../reader.js';
import { child, emptyHeader, nodesAt, textOf, textsAt, type XmlNode } from '../xml-records.js';
import '../../errors.js'; // registers the SVD_SANCTIONS_* codes

const LANGUAGES: Record<string, string> = {
  belarusian: 'be',
  russian: 'ru',
  ukrainian: 'uk',
  english: 'en',
  arabic: 'ar',
  chinese: 'zh',
  persian: 'fa',
  farsi: 'fa',
  korean: 'ko',
};

function quality(nameType: string | undefined, strength: string | undefined): NameQuality | undefined {
  const type = (nameType ?? '').toLowerCase();
  if (type === 'primary name') return 'primary';
  if (type === 'primary name variation') return 'strong';
  if (type === 'alias' || type === '') return /low/i.test(strength ?? '') ? 'weak' : 'strong';
  return undefined;
}

function ukName(
  parts: Array<string | undefined>,
  nameType?: string,
  strength?: string,
): EntryName | undefined {
  const q = quality(nameType, strength);
  const [n1, n2, n3, n4, n5, n6] = parts;
  const full = joinName(n1, n2, n3, n4, n5, n6);
  if (!q || !full) return undefined;
  const middle = joinName(n2, n3, n4, n5);
  return { full, given: n1, middle: middle || undefined, family: n6, quality: q };
}

function schemaOf(type: string | undefined, context: ReadContext): OfficialEntry['schema'] | undefined {
  const t = (type ?? '').toLowerCase();
  if (t === 'individual') return 'Person';
  if (t === 'entity') return 'Organization';
  skip(context, t === 'ship' ? 'ships' : 'designations of unknown type');
  return undefined;
}

function addGender(entry: OfficialEntry, value: string | undefined) {
  if (/^male$/i.test(value ?? '')) entry.gender = 'male';
  else if (/^female$/i.test(value ?? '')) entry.gender = 'female';
}

function addCountry(list: string[], notes: string[], label: string, value: string | undefined) {
  if (!value) return;
  for (const part of value.split(/\s*[|;]\s*/)) {
    const code = countryCode(part);
    if (code) addUnique(list, code);
    else addUnique(notes, `${label}: ${part}`);
  }
}

function splitReasons(value: string | undefined): string | undefined {
  // The list escapes HTML in statements of reasons.
  return clean(
    value
      ?.replace(/&amp;/g, '&')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>'),
  );
}

export function readUkDesignation(node: XmlNode, context: ReadContext): OfficialEntry | undefined {
  const listId = textOf(node, 'UniqueID');
  if (!listId) {
    skip(context, 'designations without a Unique ID');
    return undefined;
  }
  const schema = schemaOf(textOf(node, 'IndividualEntityShip'), context);
  if (!schema) return undefined;
  const entry = emptyEntry(listId, schema);
  for (const name of nodesAt(node, 'Names/Name')) {
    const parts = ['Name1', 'Name2', 'Name3', 'Name4', 'Name5', 'Name6'].map((tag) => textOf(name, tag));
    const parsed = ukName(parts, textOf(name, 'NameType'), textOf(name, 'AliasStrength'));
    if (parsed) addName(entry, parsed);
  }
  // Both <NonLatinNames><NonLatinName>…</NonLatinName></NonLatinNames> and the flat form occur.
  const nonLatin = [...nodesAt(node, 'NonLatinNames/NonLatinName'), ...nodesAt(node, 'NonLatinNames')];
  for (const name of nonLatin) {
    const value = textOf(name, 'NameNonLatinScript');
    if (!value) continue;
    const language = (textOf(name, 'NonLatinScriptLanguage') ?? '').toLowerCase();
    addName(entry, { full: value, lang: LANGUAGES[language], quality: 'strong' });
  }
  for (const title of textsAt(node, 'Titles/Title')) addUnique(entry.titles, title);
  addUnique(entry.programs, textOf(node, 'RegimeName'));
  const designated = parseListDates(textOf(node, 'DateDesignated'))[0];
  entry.listingDate = designated;
  entry.startDate = designated;
  entry.unscId = textOf(node, 'UNReferenceNumber');
  addUnique(entry.otherIds, textOf(node, 'OFSIGroupID'));
  for (const measure of (textOf(node, 'SanctionsImposed') ?? '').split('|'))
    addUnique(entry.provisions, measure);
  addUnique(entry.reasons, splitReasons(textOf(node, 'UKStatementofReasons')));
  addUnique(entry.notes, textOf(node, 'OtherInformation'));
  const source = textOf(node, 'DesignationSource');
  if (source) addUnique(entry.notes, `Designation source: ${source}`);
  for (const address of nodesAt(node, 'Addresses/Address')) {
    const lines = [
      'AddressLine1',
      'AddressLine2',
      'AddressLine3',
      'AddressLine4',
      'AddressLine5',
      'AddressLine6',
    ]
      .map((tag) => textOf(address, tag))
      .filter(Boolean);
    const country = textOf(address, 'AddressCountry');
    entry.addresses.push({
      street: lines.slice(0, -1).join(', ') || undefined,
      city: lines.length > 1 ? lines[lines.length - 1] : lines[0],
      postalCode: textOf(address, 'AddressPostalCode'),
      country: countryCode(country),
    });
  }
  for (const individual of nodesAt(node, 'IndividualDetails/Individual')) {
    for (const dob of textsAt(individual, 'DOBs/DOB'))
      for (const date of parseListDates(dob)) addUnique(entry.birthDates, date);
    for (const nationality of textsAt(individual, 'Nationalities/Nationality'))
      addCountry(entry.nationalities, entry.notes, 'Nationality', nationality);
    for (const position of textsAt(individual, 'Positions/Position')) addUnique(entry.positions, position);
    for (const gender of [...textsAt(individual, 'Genders/Gender'), ...textsAt(individual, 'Gender')])
      addGender(entry, gender);
    for (const location of nodesAt(individual, 'BirthDetails/Location')) {
      addUnique(
        entry.birthPlaces,
        [textOf(location, 'TownOfBirth'), textOf(location, 'CountryOfBirth')].filter(Boolean).join(', '),
      );
    }
    for (const passport of nodesAt(individual, 'PassportDetails/Passport')) {
      const number = textOf(passport, 'PassportNumber');
      if (number)
        entry.identifications.push({
          kind: 'passport',
          number,
          note: textOf(passport, 'PassportAdditionalInformation'),
        });
    }
    for (const national of nodesAt(individual, 'NationalIdentifierDetails/NationalIdentifier')) {
      const number = textOf(national, 'NationalIdentifierNumber');
      if (number)
        entry.identifications.push({
          kind: 'national-id',
          number,
          note: textOf(national, 'NationalIdentifierAdditionalInformation'),
        });
    }
  }
  if (child(node, 'ShipDetails')) addUnique(entry.notes, 'ship details given');
  return entry;
}

export const ukXmlReader: ListReader = {
  format: 'uk-sanctions-list-xml',
  authority: 'UK',
  title: 'UK Sanctions List',
  async *read(files, context) {
    const file = singleFile(files, 'UK Sanctions List XML');
    const header = emptyHeader();
    for await (const node of xmlFileRecords(
      file,
      context,
      { records: ['Designation'], roots: ['Designations'], formatLabel: 'UK Sanctions List XML' },
      header,
    )) {
      context.generated ??= parseListDates(header.values.get('DateGenerated'))[0];
      const entry = readUkDesignation(node, context);
      if (entry) yield entry;
    }
    context.generated ??= parseListDates(header.values.get('DateGenerated'))[0];
  },
};

/** The CSV's columns, by the header text with case and spaces folded. */
export const UK_CSV_COLUMNS = [
  'Last Updated',
  'Unique ID',
  'OFSI Group ID',
  'UN Reference Number',
  'Name 6',
  'Name 1',
  'Name 2',
  'Name 3',
  'Name 4',
  'Name 5',
  'Name type',
  'Alias strength',
  'Title',
  'Name non-latin script',
  'Non-latin script type',
  'Non-latin script language',
  'Regime Name',
  'Designation Type',
  'Designation source',
  'Sanctions Imposed',
  'Other Information',
  'UK Statement of Reasons',
  'Address Line 1',
  'Address Line 2',
  'Address Line 3',
  'Address Line 4',
  'Address Line 5',
  'Address Line 6',
  'Address Postal Code',
  'Address Country',
  'Phone number',
  'Website',
  'Email address',
  'Date Designated',
  'D.O.B',
  'Nationality(/ies)',
  'National Identifier number',
  'National Identifier additional information',
  'Passport number',
  'Passport additional information',
  'Position',
  'Gender',
  'Town of birth',
  'Country of birth',
  'Type of entity',
  'Subsidiaries',
  'Parent company',
  'Business registration number (s)',
] as const;

const fold = (header: string) => header.toLowerCase().replace(/\s+/g, '');

export const ukCsvReader: ListReader = {
  format: 'uk-sanctions-list-csv',
  authority: 'UK',
  title: 'UK Sanctions List',
  async *read(files, context) {
    const file = singleFile(files, 'UK Sanctions List CSV');
    const counter = byteCounter(context);
    const text = readText(file, 'utf-8', (d) => context.digests.push(d), counter.forFile());
    let columns: Map<string, number> | undefined;
    const entries = new Map<string, OfficialEntry>();
    const skipped = new Set<string>();
    let rowsBeforeHeader = 0;
    for await (const row of csvRows(text, file.name)) {
      if (!columns) {
        const index = row.fields.findIndex((field) => fold(field) === fold('Unique ID'));
        if (index < 0) {
          const meta = /(\d{1,2}[-/. ][A-Za-z0-9]{2,3}[-/. ]\d{4})/.exec(row.fields.join(' '))?.[1];
          if (meta)
            context.generated ??= parseListDates(meta.replace(/-/g, ' '))[0] ?? parseListDates(meta)[0];
          if (++rowsBeforeHeader > 2)
            throw new AppError('SVD_SANCTIONS_LIST_FORMAT', {
              message: `${file.name}: no header row with "Unique ID"; is this the UK Sanctions List CSV?`,
            });
          continue;
        }
        columns = new Map(row.fields.map((field, i) => [fold(field), i]));
        continue;
      }
      const get = (name: string) => {
        const index = columns!.get(fold(name));
        return index === undefined ? undefined : clean(row.fields[index]);
      };
      const listId = get('Unique ID');
      if (!listId || skipped.has(listId)) continue;
      let entry = entries.get(listId);
      if (!entry) {
        const schema = schemaOf(get('Designation Type'), context);
        if (!schema) {
          skipped.add(listId);
          continue;
        }
        entry = emptyEntry(listId, schema);
        entries.set(listId, entry);
      }
      const parsed = ukName(
        ['Name 1', 'Name 2', 'Name 3', 'Name 4', 'Name 5', 'Name 6'].map(get),
        get('Name type'),
        get('Alias strength'),
      );
      if (parsed) addName(entry, parsed);
      const nonLatin = get('Name non-latin script');
      if (nonLatin)
        addName(entry, {
          full: nonLatin,
          lang: LANGUAGES[(get('Non-latin script language') ?? '').toLowerCase()],
          quality: 'strong',
        });
      addUnique(entry.titles, get('Title'));
      addUnique(entry.programs, get('Regime Name'));
      entry.listingDate ??= parseListDates(get('Date Designated'))[0];
      entry.startDate ??= entry.listingDate;
      entry.unscId ??= get('UN Reference Number');
      addUnique(entry.otherIds, get('OFSI Group ID'));
      for (const measure of (get('Sanctions Imposed') ?? '').split('|')) addUnique(entry.provisions, measure);
      addUnique(entry.reasons, splitReasons(get('UK Statement of Reasons')));
      addUnique(entry.notes, get('Other Information'));
      const source = get('Designation source');
      if (source) addUnique(entry.notes, `Designation source: ${source}`);
      for (const dob of (get('D.O.B') ?? '').split(/\s*[|;]\s*/))
        for (const date of parseListDates(dob)) addUnique(entry.birthDates, date);
      addCountry(entry.nationalities, entry.notes, 'Nationality', get('Nationality(/ies)'));
      addUnique(entry.positions, get('Position'));
      addGender(entry, get('Gender'));
      addUnique(
        entry.birthPlaces,
        [get('Town of birth'), get('Country of birth')].filter(Boolean).join(', '),
      );
      const passport = get('Passport number');
      if (passport && !entry.identifications.some((i) => i.kind === 'passport' && i.number === passport))
        entry.identifications.push({
          kind: 'passport',
          number: passport,
          note: get('Passport additional information'),
        });
      const national = get('National Identifier number');
      if (national && !entry.identifications.some((i) => i.kind === 'national-id' && i.number === national))
        entry.identifications.push({
          kind: 'national-id',
          number: national,
          note: get('National Identifier additional information'),
        });
      const lines = [
        'Address Line 1',
        'Address Line 2',
        'Address Line 3',
        'Address Line 4',
        'Address Line 5',
        'Address Line 6',
      ]
        .map(get)
        .filter(Boolean) as string[];
      const country = get('Address Country');
      if (lines.length > 0 || country) {
        const address = {
          street: lines.slice(0, -1).join(', ') || undefined,
          city: lines.length > 1 ? lines[lines.length - 1] : lines[0],
          postalCode: get('Address Postal Code'),
          country: countryCode(country),
        };
        const key = JSON.stringify(address);
        if (!entry.addresses.some((a) => JSON.stringify(a) === key)) entry.addresses.push(address);
      }
    }
    if (!columns)
      throw new AppError('SVD_SANCTIONS_LIST_FORMAT', {
        message: `${file.name}: no header row with "Unique ID"; is this the UK Sanctions List CSV?`,
      });
    yield* entries.values();
  },
};
