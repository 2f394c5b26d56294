/**
 * The UK Sanctions List CSV: a metadata line, the header, then one row per name as the FCDO writes it
 * (Name 1 given name, Name 2 patronymic, Name 6 family name; Belarusian and Russian Cyrillic in the
 * non-Latin columns). Facts that have several values (birth dates, nationalities, positions, documents,
 * addresses) go one to a row, the rows of one designation repeating its Unique ID, so the list's own
 * readers join them back together.
 */
import { stringify } from 'csv-stringify/sync';
import { countryName } from '../lists/countries.js';
import type { EntryName, OfficialEntry } from '../lists/entry.js';
import { UK_CSV_COLUMNS } from '../lists/formats/uk-sanctions-list.js';
import { dayMonthYear, type ExportWriter, latinPrimary } from './writer.js';

type Column = (typeof UK_CSV_COLUMNS)[number];
const LANGUAGE_NAMES: Record<string, string> = { be: 'Belarusian', ru: 'Russian', uk: 'Ukrainian' };

function line(values: Partial<Record<Column, string>>): string {
  return stringify([UK_CSV_COLUMNS.map((column) => values[column] ?? '')], { record_delimiter: '\r\n' });
}

function nameColumns(name: EntryName, primary: EntryName | undefined): Partial<Record<Column, string>> {
  if (name.lang && name.lang !== 'en') {
    return {
      'Name 1': primary?.given ?? '',
      'Name 2': primary?.middle ?? '',
      'Name 6': primary?.family ?? primary?.full ?? '',
      'Name type': 'Primary Name',
      'Name non-latin script': name.full,
      'Non-latin script type': /\p{Script=Cyrillic}/u.test(name.full) ? 'Cyrillic' : '',
      'Non-latin script language': LANGUAGE_NAMES[name.lang] ?? name.lang,
    };
  }
  const parts = name.family
    ? { 'Name 1': name.given ?? '', 'Name 2': name.middle ?? '', 'Name 6': name.family }
    : { 'Name 6': name.full };
  const type =
    name === primary ? 'Primary Name' : name.quality === 'primary' ? 'Primary name variation' : 'Alias';
  return {
    ...parts,
    'Name type': type,
    'Alias strength':
      type === 'Alias' ? (name.quality === 'weak' ? 'Low quality a.k.a' : 'Good quality a.k.a') : '',
  };
}

export function ukSanctionsListCsvWriter(): ExportWriter {
  return {
    mediaType: 'text/csv',
    head: (_total, generated) => {
      const day = generated.toISOString().slice(0, 10).split('-').reverse().join('/');
      return `Report Date: ${day}\r\n${stringify([[...UK_CSV_COLUMNS]], { record_delimiter: '\r\n' })}`;
    },
    entry(entry: OfficialEntry) {
      const person = entry.schema === 'Person';
      const primary = latinPrimary(entry);
      const common: Partial<Record<Column, string>> = {
        'Unique ID': entry.listId,
        'OFSI Group ID': entry.otherIds[0] ?? '',
        'UN Reference Number': entry.unscId ?? '',
        'Regime Name': entry.programs.join('; '),
        'Designation Type': person ? 'Individual' : 'Entity',
        'Designation source': 'UK',
        'Sanctions Imposed': entry.provisions.join('|'),
        'UK Statement of Reasons': entry.reasons.join(' '),
        'Date Designated': entry.listingDate ? dayMonthYear(entry.listingDate) : '',
        Gender: entry.gender === 'male' ? 'Male' : entry.gender === 'female' ? 'Female' : '',
        Title: entry.titles.join('; '),
      };
      const passports = entry.identifications.filter((i) => i.kind === 'passport');
      const nationalIds = entry.identifications.filter((i) => i.kind !== 'passport');
      const nationalities = [
        ...entry.nationalities,
        ...entry.citizenships.filter((c) => !entry.nationalities.includes(c)),
      ];
      const rows = Math.max(
        entry.names.length,
        entry.birthDates.length,
        entry.birthPlaces.length,
        nationalities.length,
        entry.positions.length,
        passports.length,
        nationalIds.length,
        entry.addresses.length,
        1,
      );
      let out = '';
      for (let i = 0; i < rows; i++) {
        const name = entry.names[i] ?? primary;
        const address = entry.addresses[i];
        const place = entry.birthPlaces[i];
        out += line({
          ...common,
          ...(name ? nameColumns(name, primary) : {}),
          'D.O.B': entry.birthDates[i] ? dayMonthYear(entry.birthDates[i]!) : '',
          'Nationality(/ies)': nationalities[i] ? countryName(nationalities[i]!) : '',
          Position: person ? (entry.positions[i] ?? '') : '',
          'Town of birth': place ?? '',
          'Passport number': passports[i]?.number ?? '',
          'Passport additional information': passports[i]?.note ?? '',
          'National Identifier number': nationalIds[i]?.number ?? '',
          'National Identifier additional information': nationalIds[i]?.note ?? '',
          'Address Line 1': address ? (address.street ?? address.full ?? '') : '',
          'Address Line 6': address?.city ?? '',
          'Address Postal Code': address?.postalCode ?? '',
          'Address Country': address?.country ? countryName(address.country) : '',
        });
      }
      return out;
    },
    tail: () => '',
  };
}
