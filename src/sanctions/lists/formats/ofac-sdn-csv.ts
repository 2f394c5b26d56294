/**
 * OFAC SDN in its CSV form: `sdn.csv` (ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign,
 * Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks) and, optionally, `alt.csv` (ent_num, alt_num,
 * alt_type, alt_name, alt_remarks) and `add.csv` (ent_num, add_num, address, city/state/postal code,
 * country, add_remarks). No header rows, Latin-1, `-0-` for empty, a Ctrl-Z line at the end. Files are
 * recognized by name or by their number of columns; the two small files are read first and joined to
 * `sdn.csv` by `ent_num` while it streams. Birth dates, places, nationality, gender and documents come
 * from the remarks.
 */
import path from 'node:path';
import { AppError } from '../../../platform/errors.js';
import { countryCode } from '../countries.js';
import { csvRows } from '../csv-rows.js';
import { addName, addUnique, clean, type EntryAddress, type EntryName, emptyEntry } from '../entry.js';
import { readText, type SourceFile } from '../read-text.js';
import { byteCounter, type ListReader, type ReadContext, skip } from '../reader.js';
import { applyRemarks } from './ofac-remarks.js';
import '../../errors.js'; // registers the SVD_SANCTIONS_* codes

type Kind = 'sdn' | 'alt' | 'add';
const COLUMNS: Record<Kind, number> = { sdn: 12, alt: 5, add: 6 };

/** `-0-` and blanks are nothing. */
function value(field: string | undefined): string | undefined {
  const cleaned = clean(field);
  return cleaned === '-0-' || cleaned === '\u001a' ? undefined : cleaned;
}

/** "LUKASHENKA, Aliaksandr" → parts and the name in reading order. */
export function splitSdnName(name: string, person: boolean): EntryName {
  const comma = name.indexOf(',');
  if (!person || comma < 0) return { full: name, quality: 'primary' };
  const family = name.slice(0, comma).trim();
  const given = name.slice(comma + 1).trim();
  return { full: `${given} ${family}`.trim(), given: given || undefined, family, quality: 'primary' };
}

export function programsOf(field: string | undefined): string[] {
  if (!field) return [];
  return field
    .split(/\]\s*\[/)
    .map((part) => part.replace(/[[\]]/g, '').trim())
    .filter(Boolean);
}

async function kindOf(file: SourceFile): Promise<Kind> {
  const base = path.basename(file.name).toLowerCase();
  for (const kind of ['sdn', 'alt', 'add'] as const)
    if (base === `${kind}.csv` || base.startsWith(`${kind}_`)) return kind;
  // Unknown name: count the columns of the first row.
  for await (const row of csvRows(
    readText(file, 'utf-8-or-latin-1', () => undefined),
    file.name,
  )) {
    const count = row.fields.length;
    const kind = (Object.keys(COLUMNS) as Kind[]).find((k) => COLUMNS[k] === count);
    if (kind) return kind;
    break;
  }
  throw new AppError('SVD_SANCTIONS_LIST_FILES', {
    message: `${file.name}: not one of OFAC's sdn.csv (12 columns), alt.csv (5) or add.csv (6).`,
  });
}

async function* rowsOf(file: SourceFile, kind: Kind, context: ReadContext, onBytes: (bytes: number) => void) {
  const text = readText(file, 'utf-8-or-latin-1', (d) => context.digests.push(d), onBytes);
  for await (const row of csvRows(text, file.name)) {
    if (row.fields.length === 1 && value(row.fields[0]) === undefined) continue;
    if (row.fields.length !== COLUMNS[kind])
      throw new AppError('SVD_SANCTIONS_LIST_FORMAT', {
        message: `${file.name}:${row.line}: ${row.fields.length} columns where OFAC's ${kind}.csv has ${COLUMNS[kind]}.`,
      });
    yield row;
  }
}

export const ofacSdnCsvReader: ListReader = {
  format: 'ofac-sdn-csv',
  authority: 'US',
  title: 'US OFAC Specially Designated Nationals (SDN) list',
  async *read(files, context) {
    const byKind = new Map<Kind, SourceFile>();
    for (const file of files) {
      const kind = await kindOf(file);
      if (byKind.has(kind))
        throw new AppError('SVD_SANCTIONS_LIST_FILES', {
          message: `Two ${kind}.csv files were given (${byKind.get(kind)!.name}, ${file.name}).`,
        });
      byKind.set(kind, file);
    }
    const sdn = byKind.get('sdn');
    if (!sdn)
      throw new AppError('SVD_SANCTIONS_LIST_FILES', { message: 'An OFAC CSV import needs sdn.csv.' });
    const counter = byteCounter(context);

    const aliases = new Map<string, EntryName[]>();
    const alt = byKind.get('alt');
    if (alt) {
      for await (const row of rowsOf(alt, 'alt', context, counter.forFile())) {
        const [entNum, , type, name, remarks] = row.fields.map(value);
        if (!entNum || !name) continue;
        const weak = /weak/i.test(remarks ?? '');
        const former = /^f\.?k\.?a/i.test(type ?? '');
        const list = aliases.get(entNum) ?? [];
        list.push({ full: name, quality: weak ? 'weak' : former ? 'former' : 'strong' });
        aliases.set(entNum, list);
      }
    }
    const addresses = new Map<string, EntryAddress[]>();
    const add = byKind.get('add');
    if (add) {
      for await (const row of rowsOf(add, 'add', context, counter.forFile())) {
        const [entNum, , street, cityLine, country] = row.fields.map(value);
        if (!entNum || (!street && !cityLine && !country)) continue;
        const list = addresses.get(entNum) ?? [];
        list.push({ street, city: cityLine, country: countryCode(country), full: undefined });
        addresses.set(entNum, list);
      }
    }

    for await (const row of rowsOf(sdn, 'sdn', context, counter.forFile())) {
      const [entNum, name, type, program, title, , , , , , , remarks] = row.fields.map(value);
      if (!entNum || !name) {
        skip(context, 'rows without a number or name');
        continue;
      }
      const kind = (type ?? '').toLowerCase();
      if (kind === 'vessel' || kind === 'aircraft') {
        skip(context, kind === 'vessel' ? 'vessels' : 'aircraft');
        continue;
      }
      const person = kind === 'individual';
      const entry = emptyEntry(entNum, person ? 'Person' : 'Organization');
      addName(entry, splitSdnName(name, person));
      for (const alias of aliases.get(entNum) ?? [])
        addName(entry, { ...splitSdnName(alias.full, person), quality: alias.quality });
      for (const p of programsOf(program)) addUnique(entry.programs, p);
      addUnique(entry.positions, title);
      entry.addresses.push(...(addresses.get(entNum) ?? []));
      applyRemarks(entry, remarks);
      yield entry;
    }
  },
};
