/**
 * One designation as an official list publishes it, in a shape common to every format: what the
 * readers produce, what the FtM mapping consumes and what the writers of our exports take. Keeping one
 * shape is what makes the round trip (export, then import our own file) checkable field by field.
 */

export const LIST_FORMATS = [
  'eu-fsf-xml',
  'ofac-sdn-csv',
  'ofac-sdn-xml',
  'uk-sanctions-list-csv',
  'uk-sanctions-list-xml',
  'ca-sema-xml',
  'un-consolidated-xml',
] as const;
export type ListFormat = (typeof LIST_FORMATS)[number];

/** Who publishes a list. Formats of one authority may be imported into the same dataset. */
export type Authority = 'EU' | 'US' | 'UK' | 'CA' | 'UN';

export type NameQuality = 'primary' | 'strong' | 'weak' | 'former';

export interface EntryName {
  full: string;
  given?: string | undefined;
  /** Patronymic or middle names. */
  middle?: string | undefined;
  family?: string | undefined;
  /** ISO 639-1 code in lower case when the list says which language the name is in (`be`, `ru`, `en`). */
  lang?: string | undefined;
  quality: NameQuality;
}

export type IdentificationKind = 'passport' | 'national-id' | 'other';

export interface EntryIdentification {
  kind: IdentificationKind;
  /** The list's own label of the document type, when it is not plain passport or national id. */
  label?: string | undefined;
  number: string;
  country?: string | undefined;
  issueDate?: string | undefined;
  note?: string | undefined;
}

export interface EntryAddress {
  street?: string | undefined;
  city?: string | undefined;
  region?: string | undefined;
  postalCode?: string | undefined;
  /** ISO 3166-1 alpha-2, lower case. */
  country?: string | undefined;
  /** The whole address as one line when the list gives no parts. */
  full?: string | undefined;
}

export interface OfficialEntry {
  /** The list's own identifier of the designation (EU reference number, OFAC uid, UK Unique ID, ...). */
  listId: string;
  schema: 'Person' | 'Organization';
  names: EntryName[];
  gender?: 'male' | 'female' | undefined;
  /** FtM partial dates: `1965`, `1965-03`, `1965-03-12`. */
  birthDates: string[];
  birthPlaces: string[];
  nationalities: string[];
  citizenships: string[];
  positions: string[];
  titles: string[];
  identifications: EntryIdentification[];
  addresses: EntryAddress[];
  /** Programmes or regimes the designation falls under (EU `programme`, OFAC program tags, UK regime). */
  programs: string[];
  /** When the list first published the designation. */
  listingDate?: string | undefined;
  /** When the measures took effect, if the list says so separately. */
  startDate?: string | undefined;
  /** Statements of reasons as the list gives them. */
  reasons: string[];
  /** Everything else the list says that has no field of its own. */
  notes: string[];
  /** The UN Security Council reference, when the designation implements a UN listing. */
  unscId?: string | undefined;
  /** Further identifiers the list gives the designation (e.g. the UK's OFSI group id). */
  otherIds: string[];
  /** Measures imposed (asset freeze, travel ban). */
  provisions: string[];
  sourceUrl?: string | undefined;
}

/** An empty entry to fill. */
export function emptyEntry(listId: string, schema: OfficialEntry['schema']): OfficialEntry {
  return {
    listId,
    schema,
    names: [],
    birthDates: [],
    birthPlaces: [],
    nationalities: [],
    citizenships: [],
    positions: [],
    titles: [],
    identifications: [],
    addresses: [],
    programs: [],
    reasons: [],
    notes: [],
    otherIds: [],
    provisions: [],
  };
}

/** Trimmed text with inner runs of white space squashed; undefined for nothing. */
export function clean(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const squashed = value.replace(/\s+/g, ' ').trim();
  return squashed === '' ? undefined : squashed;
}

/** Adds a value to a list once (after cleaning). */
export function addUnique(list: string[], value: string | null | undefined): void {
  const cleaned = clean(value);
  if (cleaned !== undefined && !list.includes(cleaned)) list.push(cleaned);
}

/** Adds a name once: the same full name in the same language and quality is kept once. */
export function addName(entry: OfficialEntry, name: EntryName): void {
  const full = clean(name.full);
  if (!full) return;
  const lang = name.lang?.toLowerCase() || undefined;
  if (entry.names.some((n) => n.full === full && n.quality === name.quality && n.lang === lang)) return;
  entry.names.push({
    full,
    given: clean(name.given),
    middle: clean(name.middle),
    family: clean(name.family),
    lang,
    quality: name.quality,
  });
}

/** Joins name parts the way lists print them: given, middle, family. */
export function joinName(...parts: Array<string | null | undefined>): string {
  return parts
    .map((part) => clean(part))
    .filter(Boolean)
    .join(' ');
}

/** One line for an address, parts in the usual order. */
export function addressLine(address: EntryAddress, countryName?: (code: string) => string): string {
  if (address.full) return address.full;
  const country = address.country ? (countryName ? countryName(address.country) : address.country) : '';
  return [address.street, address.postalCode, address.city, address.region, country]
    .map((part) => clean(part))
    .filter(Boolean)
    .join(', ');
}
