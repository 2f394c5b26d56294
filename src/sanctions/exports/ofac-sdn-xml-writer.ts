/**
 * OFAC SDN XML, the shape of OFAC's `sdn.xml` (see lists/formats/ofac-sdn-xml.ts): the Latin main name
 * as first and last name, every other name (Belarusian and Russian Cyrillic too) as an a.k.a., dates
 * of birth as OFAC prints them, gender as an `id` of type Gender, positions as `title`. The SDN list
 * publishes no reasons; they are in the dossier.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { countryName } from '../lists/countries.js';
import type { OfficialEntry } from '../lists/entry.js';
import { type ExportWriter, latinPrimary, ofacDate } from './writer.js';

const builder = new XMLBuilder({ format: true, indentBy: '  ', suppressEmptyNode: true });

const ID_TYPES = { passport: 'Passport', 'national-id': 'National ID No.' } as const;

function indent(xml: string): string {
  return xml
    .split('\n')
    .filter(Boolean)
    .map((line) => `  ${line}`)
    .join('\n');
}

function numericUid(listId: string, index: number): string {
  return /^\d+$/.test(listId) ? listId : String(index + 1);
}

export function ofacSdnXmlWriter(): ExportWriter {
  let uid = 0;
  const next = () => ++uid;
  return {
    mediaType: 'application/xml',
    head: (total, generated) => {
      const date = `${String(generated.getUTCMonth() + 1).padStart(2, '0')}/${String(generated.getUTCDate()).padStart(2, '0')}/${generated.getUTCFullYear()}`;
      return `<?xml version="1.0" standalone="yes"?>\n<sdnList xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML">\n  <publshInformation>\n    <Publish_Date>${date}</Publish_Date>\n    <Record_Count>${total}</Record_Count>\n  </publshInformation>\n`;
    },
    entry(entry: OfficialEntry, index: number) {
      const person = entry.schema === 'Person';
      const main = latinPrimary(entry);
      const first = person ? [main?.given, main?.middle].filter(Boolean).join(' ') : '';
      const last = person ? (main?.family ?? main?.full ?? '') : (main?.full ?? '');
      const ids = entry.identifications.map((identification) => ({
        uid: next(),
        idType:
          identification.kind === 'other'
            ? (identification.label ?? 'Identification Number')
            : ID_TYPES[identification.kind],
        idNumber: identification.number,
        idCountry: identification.country ? countryName(identification.country) : '',
        issueDate: identification.issueDate ? ofacDate(identification.issueDate) : '',
      }));
      if (entry.gender)
        ids.push({
          uid: next(),
          idType: 'Gender',
          idNumber: entry.gender === 'male' ? 'Male' : 'Female',
          idCountry: '',
          issueDate: '',
        });
      const sdnEntry = {
        uid: numericUid(entry.listId, index),
        firstName: first,
        lastName: last,
        title: person ? entry.positions.join('; ') : '',
        sdnType: person ? 'Individual' : 'Entity',
        programList: { program: entry.programs },
        idList: ids.length > 0 ? { id: ids } : '',
        akaList: {
          aka: entry.names
            .filter((name) => name !== main)
            .map((name) => ({
              uid: next(),
              type: name.quality === 'former' ? 'f.k.a.' : 'a.k.a.',
              category: name.quality === 'weak' ? 'weak' : 'strong',
              lastName: person ? (name.family ?? name.full) : name.full,
              firstName: person && name.family ? [name.given, name.middle].filter(Boolean).join(' ') : '',
            })),
        },
        addressList: {
          address: entry.addresses.map((address) => ({
            uid: next(),
            address1: address.street ?? address.full ?? '',
            city: address.city ?? '',
            stateOrProvince: address.region ?? '',
            postalCode: address.postalCode ?? '',
            country: address.country ? countryName(address.country) : '',
          })),
        },
        nationalityList: {
          nationality: entry.nationalities.map((code, i) => ({
            uid: next(),
            country: countryName(code),
            mainEntry: i === 0,
          })),
        },
        citizenshipList: {
          citizenship: entry.citizenships.map((code, i) => ({
            uid: next(),
            country: countryName(code),
            mainEntry: i === 0,
          })),
        },
        dateOfBirthList: {
          dateOfBirthItem: entry.birthDates.map((date, i) => ({
            uid: next(),
            dateOfBirth: ofacDate(date),
            mainEntry: i === 0,
          })),
        },
        placeOfBirthList: {
          placeOfBirthItem: entry.birthPlaces.map((place, i) => ({
            uid: next(),
            placeOfBirth: place,
            mainEntry: i === 0,
          })),
        },
      };
      return `${indent(builder.build({ sdnEntry }))}\n`;
    },
    tail: () => '</sdnList>\n',
  };
}
