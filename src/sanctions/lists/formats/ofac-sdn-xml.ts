/**
 * OFAC SDN XML (`<sdnList>` of `<sdnEntry>`, namespace ignored): one entry per `uid`. Individuals are
 * persons, entities organizations; vessels and aircraft are counted and left out (the registry has no
 * schema for them). `akaList` gives aliases (`category` strong or weak, `type` a.k.a. or f.k.a.),
 * `dateOfBirthList`, `placeOfBirthList`, `nationalityList`, `citizenshipList`, `idList` (gender is an
 * `idType` there), `addressList`, `programList`; `remarks` are parsed like the CSV's.
 */

import { countryCode } from '../countries.js';
import { parseListDates } from '../dates.js';
import { addName, addUnique, clean, emptyEntry, joinName, type OfficialEntry } from '../entry.js';
import { type ListReader, type ReadContext, singleFile, skip, xmlFileRecords } from '../reader.js';
import { child, emptyHeader, nodesAt, textOf, type XmlNode } from '../xml-records.js';
import { applyRemarks } from './ofac-remarks.js';

const DOCUMENT_KINDS: Record<string, 'passport' | 'national-id'> = {
  passport: 'passport',
  'national id no.': 'national-id',
  'national id no': 'national-id',
  'personal id card': 'national-id',
  'national identification number': 'national-id',
};

export function readSdnEntry(node: XmlNode, context: ReadContext): OfficialEntry | undefined {
  const uid = textOf(node, 'uid');
  const type = (textOf(node, 'sdnType') ?? '').toLowerCase();
  if (!uid) {
    skip(context, 'entries without a uid');
    return undefined;
  }
  if (type === 'vessel' || type === 'aircraft') {
    skip(context, type === 'vessel' ? 'vessels' : 'aircraft');
    return undefined;
  }
  const person = type === 'individual';
  const entry = emptyEntry(uid, person ? 'Person' : 'Organization');
  const first = textOf(node, 'firstName');
  const last = textOf(node, 'lastName');
  addName(entry, { full: joinName(first, last), given: first, family: last, quality: 'primary' });
  for (const title of (textOf(node, 'title') ?? '').split(/;\s*/)) addUnique(entry.positions, title);
  for (const program of nodesAt(node, 'programList/program')) addUnique(entry.programs, program.text);
  for (const aka of nodesAt(node, 'akaList/aka')) {
    const akaFirst = textOf(aka, 'firstName');
    const akaLast = textOf(aka, 'lastName');
    const weak = (textOf(aka, 'category') ?? '').toLowerCase() === 'weak';
    const former = (textOf(aka, 'type') ?? '').toLowerCase().startsWith('f.k.a');
    addName(entry, {
      full: joinName(akaFirst, akaLast),
      given: akaFirst,
      family: akaLast,
      quality: weak ? 'weak' : former ? 'former' : 'strong',
    });
  }
  for (const item of nodesAt(node, 'dateOfBirthList/dateOfBirthItem'))
    for (const date of parseListDates(textOf(item, 'dateOfBirth'))) addUnique(entry.birthDates, date);
  for (const item of nodesAt(node, 'placeOfBirthList/placeOfBirthItem'))
    addUnique(entry.birthPlaces, textOf(item, 'placeOfBirth'));
  for (const item of nodesAt(node, 'nationalityList/nationality')) {
    const code = countryCode(textOf(item, 'country'));
    if (code) addUnique(entry.nationalities, code);
  }
  for (const item of nodesAt(node, 'citizenshipList/citizenship')) {
    const code = countryCode(textOf(item, 'country'));
    if (code) addUnique(entry.citizenships, code);
  }
  for (const id of nodesAt(node, 'idList/id')) {
    const idType = textOf(id, 'idType') ?? '';
    const number = textOf(id, 'idNumber');
    if (idType.toLowerCase() === 'gender') {
      if (/^male$/i.test(number ?? '')) entry.gender = 'male';
      else if (/^female$/i.test(number ?? '')) entry.gender = 'female';
      continue;
    }
    if (!number) continue;
    const kind = DOCUMENT_KINDS[idType.toLowerCase()] ?? 'other';
    entry.identifications.push({
      kind,
      label: kind === 'other' ? idType || undefined : undefined,
      number,
      country: countryCode(textOf(id, 'idCountry')),
      issueDate: parseListDates(textOf(id, 'issueDate'))[0],
      note: clean(textOf(id, 'expirationDate') ? `expires ${textOf(id, 'expirationDate')}` : undefined),
    });
  }
  for (const address of nodesAt(node, 'addressList/address')) {
    const street = [textOf(address, 'address1'), textOf(address, 'address2'), textOf(address, 'address3')]
      .filter(Boolean)
      .join(', ');
    const countryText = textOf(address, 'country');
    entry.addresses.push({
      street: street || undefined,
      city: textOf(address, 'city'),
      region: textOf(address, 'stateOrProvince'),
      postalCode: textOf(address, 'postalCode'),
      country: countryCode(countryText),
    });
  }
  applyRemarks(entry, textOf(node, 'remarks'));
  if (child(node, 'vesselInfo')) addUnique(entry.notes, 'vessel information given');
  return entry;
}

export const ofacSdnXmlReader: ListReader = {
  format: 'ofac-sdn-xml',
  authority: 'US',
  title: 'US OFAC Specially Designated Nationals (SDN) list',
  async *read(files, context) {
    const file = singleFile(files, 'OFAC SDN XML');
    const header = emptyHeader();
    for await (const node of xmlFileRecords(
      file,
      context,
      { records: ['sdnEntry'], roots: ['sdnList'], formatLabel: 'OFAC SDN XML' },
      header,
    )) {
      context.generated ??= parseListDates(
        header.values.get('Publish_Date')?.replace(/^(\d{2})\/(\d{2})\/(\d{4})$/, '$3-$1-$2'),
      )[0];
      const entry = readSdnEntry(node, context);
      if (entry) yield entry;
    }
    context.generated ??= parseListDates(
      header.values.get('Publish_Date')?.replace(/^(\d{2})\/(\d{2})\/(\d{4})$/, '$3-$1-$2'),
    )[0];
  },
};
