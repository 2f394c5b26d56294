/**
 * Our exports read back with our importers: every mapped field (names in every script, dates and
 * places of birth, gender, citizenship, positions, documents, addresses, programmes, listing date,
 * reasons where the format carries them) survives the trip.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ListFormat, OfficialEntry } from '../lists/entry.js';
import { LIST_READERS } from '../lists/formats/index.js';
import { newReadContext } from '../lists/reader.js';
import { euFsfWriter } from './eu-fsf-writer.js';
import { ofacSdnXmlWriter } from './ofac-sdn-xml-writer.js';
import { ukSanctionsListCsvWriter } from './uk-sanctions-list-csv-writer.js';
import type { ExportWriter } from './writer.js';

const fixtures = path.resolve('test/fixtures/sanctions');

async function read(format: ListFormat, name: string, content?: string): Promise<OfficialEntry[]> {
  const file = content
    ? { name, open: () => Readable.from([Buffer.from(content)]) }
    : { name, open: () => createReadStream(path.join(fixtures, name)) };
  const out: OfficialEntry[] = [];
  for await (const entry of LIST_READERS[format].read([file], newReadContext())) out.push(entry);
  return out;
}

function write(writer: ExportWriter, entries: OfficialEntry[]): string {
  return (
    writer.head(entries.length, new Date('2026-12-01T10:00:00Z')) +
    entries.map((e, i) => writer.entry(e, i)).join('') +
    writer.tail()
  );
}

const sorted = (values: Array<string | undefined>) =>
  [...new Set(values.filter((v): v is string => Boolean(v)))].sort();

function mapped(entry: OfficialEntry, options: { reasons: boolean; listId: boolean }) {
  return {
    listId: options.listId ? entry.listId : undefined,
    schema: entry.schema,
    names: sorted(entry.names.map((n) => n.full)),
    birthDates: sorted(entry.birthDates),
    birthPlaces: sorted(entry.birthPlaces),
    gender: entry.gender,
    countries: sorted([...entry.nationalities, ...entry.citizenships]),
    positions: entry.schema === 'Person' ? sorted(entry.positions) : [],
    documents: sorted(
      entry.identifications.map((i) => `${i.kind === 'passport' ? 'passport' : 'id'}:${i.number}`),
    ),
    addresses: sorted(entry.addresses.map((a) => [a.street, a.city, a.postalCode, a.country].join('|'))),
    programs: sorted(entry.programs),
    listingDate: options.reasons ? entry.listingDate : undefined,
    reasons: options.reasons ? sorted(entry.reasons) : [],
  };
}

describe('round trip of exports through the importers', () => {
  const sources: Array<[ListFormat, string]> = [
    ['eu-fsf-xml', 'eu-fsf.xml'],
    ['uk-sanctions-list-xml', 'uk-sanctions-list.xml'],
    ['un-consolidated-xml', 'un-consolidated.xml'],
  ];
  const targets: Array<[string, () => ExportWriter, ListFormat, { reasons: boolean; listId: boolean }]> = [
    ['EU FSF XML', euFsfWriter, 'eu-fsf-xml', { reasons: true, listId: true }],
    ['OFAC SDN XML', ofacSdnXmlWriter, 'ofac-sdn-xml', { reasons: false, listId: false }],
    [
      'UK Sanctions List CSV',
      ukSanctionsListCsvWriter,
      'uk-sanctions-list-csv',
      { reasons: true, listId: true },
    ],
  ];
  for (const [sourceFormat, sourceFile] of sources) {
    for (const [label, makeWriter, format, options] of targets) {
      it(`${sourceFile} → ${label} → back`, async () => {
        const entries = await read(sourceFormat, sourceFile);
        const text = write(makeWriter(), entries);
        const back = await read(format, `export.${format.endsWith('csv') ? 'csv' : 'xml'}`, text);
        expect(back.map((e) => mapped(e, options))).toEqual(entries.map((e) => mapped(e, options)));
      });
    }
  }

  it('keeps Belarusian and Russian Cyrillic names tagged by language in the EU and UK shapes', async () => {
    const entries = await read('eu-fsf-xml', 'eu-fsf.xml');
    for (const [makeWriter, format] of [
      [euFsfWriter, 'eu-fsf-xml'],
      [ukSanctionsListCsvWriter, 'uk-sanctions-list-csv'],
    ] as const) {
      const back = await read(format, 'x', write(makeWriter(), entries));
      const names = back[0]!.names;
      expect(names.find((n) => n.lang === 'be')?.full).toBe('Ігар Уладзіміравіч Жаўранка');
      expect(names.find((n) => n.lang === 'ru')?.full).toBe('Игорь Владимирович Жаворонок');
    }
  });

  it('escapes what XML and CSV must escape', async () => {
    const [entry] = await read('eu-fsf-xml', 'eu-fsf.xml');
    entry!.reasons = ['He said "<stop> & go", then; left, quickly'];
    for (const [makeWriter, format] of [
      [euFsfWriter, 'eu-fsf-xml'],
      [ukSanctionsListCsvWriter, 'uk-sanctions-list-csv'],
    ] as const) {
      const back = await read(format, 'x', write(makeWriter(), [entry!]));
      expect(back[0]!.reasons).toEqual(['He said "<stop> & go", then; left, quickly']);
    }
  });
});
