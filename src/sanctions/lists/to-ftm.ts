/**
 * An official entry as FtM entities: the subject (`Person` or `Organization`), one `Sanction` carrying
 * every programme, an `Identification` per document and an `Address` per address. Ids are derived
 * from the dataset and the list's own id, so a re-import updates the same entities. Nothing here
 * depends on the time of import: the same list gives the same entities, and a re-import writes nothing.
 */
import { createHash } from 'node:crypto';
import { countryName } from './countries.js';
import { type Authority, addressLine, type OfficialEntry } from './entry.js';

export interface FtmEntity {
  id: string;
  schema: string;
  properties: Record<string, string[]>;
}

export const AUTHORITY_NAMES: Record<Authority, string> = {
  EU: 'Council of the European Union',
  US: 'US Department of the Treasury, Office of Foreign Assets Control (OFAC)',
  UK: 'UK Foreign, Commonwealth and Development Office (FCDO)',
  CA: 'Global Affairs Canada',
  UN: 'United Nations Security Council',
};

const AUTHORITY_COUNTRY: Partial<Record<Authority, string>> = { EU: 'eu', US: 'us', UK: 'gb', CA: 'ca' };

const NAME_PROPERTY = {
  primary: 'name',
  strong: 'alias',
  weak: 'weakAlias',
  former: 'previousName',
} as const;

function shortHash(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 12);
}

/** A list id as an id fragment: `EU.36.64` stays, anything odd becomes `-`, long ones are hashed. */
export function idFragment(value: string): string {
  const slug = value.replace(/[^A-Za-z0-9._:-]+/g, '-').replace(/^-+|-+$/g, '');
  return slug.length > 0 && slug.length <= 80 ? slug : shortHash(value);
}

/** The id of an entry's subject entity in a dataset. */
export function subjectId(datasetName: string, listId: string): string {
  return `${datasetName}-${idFragment(listId)}`;
}

export function sanctionId(subject: string): string {
  return `${subject}-sanction`;
}

function put(properties: Record<string, string[]>, key: string, values: Array<string | undefined>): void {
  for (const value of values) {
    if (value === undefined || value === '') continue;
    const list = properties[key] ?? [];
    if (!list.includes(value)) list.push(value);
    properties[key] = list;
  }
}

export function entryToEntities(
  entry: OfficialEntry,
  context: {
    datasetName: string;
    authority: Authority;
    publisher: string;
    /** For our own proposals: the registry entity's id, a status of `proposed`, one Sanction per target. */
    subjectId?: string;
    status?: string;
    sanctionId?: string;
  },
): FtmEntity[] {
  const id = context.subjectId ?? subjectId(context.datasetName, entry.listId);
  const subject: FtmEntity = { id, schema: entry.schema, properties: {} };
  const p = subject.properties;
  const person = entry.schema === 'Person';
  const out: FtmEntity[] = [subject];

  for (const name of entry.names) put(p, NAME_PROPERTY[name.quality], [name.full]);
  if (!p.name && entry.names.length > 0) put(p, 'name', [entry.names[0]!.full]);
  if (person) {
    for (const name of entry.names.filter((n) => n.quality === 'primary' && (!n.lang || n.lang === 'en'))) {
      put(p, 'firstName', [name.given]);
      put(p, 'middleName', [name.middle]);
      put(p, 'lastName', [name.family]);
    }
    put(p, 'gender', [entry.gender]);
    put(p, 'birthDate', entry.birthDates);
    put(p, 'birthPlace', entry.birthPlaces);
    put(p, 'nationality', entry.nationalities);
    put(p, 'citizenship', entry.citizenships);
    put(p, 'position', entry.positions);
    put(p, 'title', entry.titles);
  } else {
    put(p, 'country', [...entry.nationalities, ...entry.citizenships]);
    put(p, 'notes', entry.positions);
    put(p, 'notes', entry.titles);
  }
  put(p, 'notes', entry.notes);
  put(p, 'topics', ['sanction']);

  for (const identification of entry.identifications) {
    if (person && identification.kind === 'passport') put(p, 'passportNumber', [identification.number]);
    else if (identification.kind === 'national-id') put(p, 'idNumber', [identification.number]);
    const identificationId = `${id}-id-${shortHash(`${identification.kind}|${identification.label ?? ''}|${identification.number}|${identification.country ?? ''}`)}`;
    const properties: Record<string, string[]> = {};
    put(properties, 'holder', [id]);
    put(properties, 'type', [
      identification.kind === 'passport'
        ? 'passport'
        : identification.kind === 'national-id'
          ? 'national id'
          : (identification.label ?? 'other'),
    ]);
    put(properties, 'number', [identification.number]);
    put(properties, 'country', [identification.country]);
    put(properties, 'startDate', [identification.issueDate]);
    put(properties, 'summary', [identification.note]);
    put(properties, 'recordId', [entry.listId]);
    if (!out.some((e) => e.id === identificationId))
      out.push({ id: identificationId, schema: 'Identification', properties });
  }

  for (const address of entry.addresses) {
    const line = addressLine(address, countryName);
    if (!line) continue;
    const addressId = `${id}-addr-${shortHash(JSON.stringify(address))}`;
    if (out.some((e) => e.id === addressId)) continue;
    const properties: Record<string, string[]> = {};
    put(properties, 'full', [line]);
    put(properties, 'street', [address.street]);
    put(properties, 'city', [address.city]);
    put(properties, 'region', [address.region]);
    put(properties, 'postalCode', [address.postalCode]);
    put(properties, 'country', [address.country]);
    out.push({ id: addressId, schema: 'Address', properties });
    put(p, 'addressEntity', [addressId]);
    put(p, 'address', [line]);
  }

  const sanction: FtmEntity = {
    id: context.sanctionId ?? sanctionId(id),
    schema: 'Sanction',
    properties: {},
  };
  const s = sanction.properties;
  put(s, 'entity', [id]);
  put(s, 'authority', [AUTHORITY_NAMES[context.authority]]);
  put(s, 'authorityId', [entry.listId, ...entry.otherIds]);
  put(s, 'recordId', [entry.listId]);
  put(s, 'unscId', [entry.unscId]);
  put(s, 'program', entry.programs);
  put(s, 'provisions', entry.provisions);
  put(s, 'reason', entry.reasons);
  put(s, 'listingDate', [entry.listingDate]);
  put(s, 'startDate', [entry.startDate]);
  put(s, 'sourceUrl', [entry.sourceUrl]);
  put(s, 'country', [AUTHORITY_COUNTRY[context.authority]]);
  put(s, 'publisher', [context.publisher]);
  put(s, 'status', [context.status ?? 'active']);
  out.push(sanction);
  return out;
}
