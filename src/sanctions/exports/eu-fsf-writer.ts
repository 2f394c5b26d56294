/**
 * EU Financial Sanctions Files XML, the shape the EU's own file has (see lists/formats/eu-fsf.ts for
 * the element list): names in Latin, Belarusian and Russian as `nameAlias` with `nameLanguage` EN, BE,
 * RU; positions in the `function` of the Latin name ("(a) …, (b) …"); reasons as `remark`s; one
 * `regulation` per programme with the proposal date as `publicationDate`.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { countryName } from '../lists/countries.js';
import type { OfficialEntry } from '../lists/entry.js';
import type { ExportWriter } from './writer.js';

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  suppressBooleanAttributes: false,
});

function indent(xml: string): string {
  return xml
    .split('\n')
    .filter(Boolean)
    .map((line) => `  ${line}`)
    .join('\n');
}

function lettered(values: string[]): string {
  if (values.length <= 1) return values[0] ?? '';
  return values.map((value, i) => `(${String.fromCharCode(97 + i)}) ${value}`).join(', ');
}

function country(code: string | undefined) {
  return code
    ? { '@_countryIso2Code': code.toUpperCase(), '@_countryDescription': countryName(code).toUpperCase() }
    : { '@_countryIso2Code': '00', '@_countryDescription': 'UNKNOWN' };
}

export function euFsfWriter(): ExportWriter {
  let logical = 0;
  const next = () => String(++logical);
  return {
    mediaType: 'application/xml',
    head: (_total, generated) =>
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="${generated.toISOString()}" globalFileId="sviedka">\n`,
    entry(entry: OfficialEntry) {
      const person = entry.schema === 'Person';
      const gender = entry.gender === 'male' ? 'M' : entry.gender === 'female' ? 'F' : '';
      let functionGiven = false;
      const names = entry.names.map((name) => {
        const main = !functionGiven && name.quality !== 'weak' && (!name.lang || name.lang === 'en');
        if (main) functionGiven = true;
        return {
          '@_firstName': name.given ?? '',
          '@_middleName': name.middle ?? '',
          '@_lastName': name.family ?? '',
          '@_wholeName': name.full,
          '@_function': main ? lettered(person ? entry.positions : []) : '',
          '@_gender': gender,
          '@_title': main ? lettered(entry.titles) : '',
          '@_nameLanguage': (name.lang ?? '').toUpperCase(),
          '@_strong': name.quality === 'weak' ? 'false' : 'true',
          '@_regulationLanguage': 'en',
          '@_logicalId': next(),
        };
      });
      const sanctionEntity = {
        '@_designationDetails': '',
        '@_unitedNationId': entry.unscId ?? '',
        '@_euReferenceNumber': entry.listId,
        '@_logicalId': next(),
        regulation: (entry.programs.length > 0 ? entry.programs : ['']).map((programme, i) => ({
          '@_regulationType': 'regulation',
          '@_organisationType': 'council',
          '@_publicationDate': entry.listingDate ?? '',
          '@_entryIntoForceDate': entry.startDate ?? '',
          '@_numberTitle': entry.provisions[i] ?? '',
          '@_programme': programme,
          '@_logicalId': next(),
          publicationUrl: entry.sourceUrl ?? '',
        })),
        subjectType: {
          '@_code': person ? 'person' : 'enterprise',
          '@_classificationCode': person ? 'P' : 'E',
        },
        nameAlias: names,
        citizenship: [
          ...entry.citizenships,
          ...entry.nationalities.filter((c) => !entry.citizenships.includes(c)),
        ].map((code) => ({
          '@_region': '',
          ...country(code),
          '@_regulationLanguage': 'en',
          '@_logicalId': next(),
        })),
        birthdate: [
          ...entry.birthDates.map((date, i) => {
            const [year, month, day] = date.split('-');
            return {
              '@_circa': 'false',
              '@_calendarType': 'GREGORIAN',
              // The place is given as the list's own text, so it reads back as written.
              '@_place': i === 0 ? (entry.birthPlaces[0] ?? '') : '',
              '@_birthdate': day ? date : '',
              '@_dayOfMonth': day ? String(Number(day)) : '',
              '@_monthOfYear': month ? String(Number(month)) : '',
              '@_year': year,
              ...country(undefined),
              '@_regulationLanguage': 'en',
              '@_logicalId': next(),
            };
          }),
          ...entry.birthPlaces.slice(entry.birthDates.length > 0 ? 1 : 0).map((place) => ({
            '@_circa': 'false',
            '@_calendarType': 'GREGORIAN',
            '@_place': place,
            ...country(undefined),
            '@_regulationLanguage': 'en',
            '@_logicalId': next(),
          })),
        ],
        identification: entry.identifications.map((identification) => ({
          '@_diplomatic': 'false',
          '@_knownExpired': 'false',
          '@_knownFalse': 'false',
          '@_reportedLost': 'false',
          '@_revokedByIssuer': 'false',
          '@_issueDate': identification.issueDate ?? '',
          '@_number': identification.number,
          ...country(identification.country),
          '@_identificationTypeCode':
            identification.kind === 'passport'
              ? 'passport'
              : identification.kind === 'national-id'
                ? 'id'
                : 'other',
          '@_identificationTypeDescription':
            identification.kind === 'passport'
              ? 'National passport'
              : identification.kind === 'national-id'
                ? 'National identification card'
                : (identification.label ?? 'Other identification number'),
          '@_regulationLanguage': 'en',
          '@_logicalId': next(),
          ...(identification.note ? { remark: identification.note } : {}),
        })),
        address: entry.addresses.map((address) => ({
          '@_street': address.street ?? address.full ?? '',
          '@_city': address.city ?? '',
          '@_zipCode': address.postalCode ?? '',
          '@_region': address.region ?? '',
          ...country(address.country),
          '@_regulationLanguage': 'en',
          '@_logicalId': next(),
        })),
        remark: entry.reasons,
      };
      return `${indent(builder.build({ sanctionEntity }))}\n`;
    },
    tail: () => '</export>\n',
  };
}
