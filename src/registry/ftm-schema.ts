/**
 * A small FollowTheMoney schema table: the schemata the registry stores, their properties and each
 * property's type. It follows FtM's own model (followthemoney/schema/*.yaml) for the properties these
 * schemata use in practice, so files from OpenSanctions or Aleph load without loss; a property that is
 * not listed here is rejected rather than silently kept.
 */

export type PropertyType = 'name' | 'date' | 'country' | 'gender' | 'identifier' | 'entity' | 'text';

export interface PropertySpec {
  type: PropertyType;
  /** For entity references: the schemata the target may have (informative; targets may be in other files). */
  range?: readonly string[];
}

export interface SchemaSpec {
  name: string;
  /** Human label (English). */
  label: string;
  /** True for schemata whose entities are things a person can look up (shown in lists and screened). */
  matchable: boolean;
  /** Properties tried in order for the caption. */
  caption: readonly string[];
  properties: Readonly<Record<string, PropertySpec>>;
}

const text: PropertySpec = { type: 'text' };
const name: PropertySpec = { type: 'name' };
const date: PropertySpec = { type: 'date' };
const country: PropertySpec = { type: 'country' };
const identifier: PropertySpec = { type: 'identifier' };
const ref = (...range: string[]): PropertySpec => ({ type: 'entity', range });

// Thing: what every entity may carry.
const thing: Record<string, PropertySpec> = {
  name,
  alias: name,
  previousName: name,
  weakAlias: name,
  summary: text,
  description: text,
  notes: text,
  country,
  keywords: text,
  topics: text,
  program: text,
  sourceUrl: text,
  publisher: text,
  publisherUrl: text,
  wikipediaUrl: text,
  wikidataId: identifier,
  address: text,
  addressEntity: ref('Address'),
  createdAt: date,
  modifiedAt: date,
  retrievedAt: date,
};

const legalEntity: Record<string, PropertySpec> = {
  ...thing,
  email: text,
  phone: text,
  website: text,
  legalForm: text,
  incorporationDate: date,
  dissolutionDate: date,
  status: text,
  sector: text,
  classification: text,
  registrationNumber: identifier,
  idNumber: identifier,
  taxNumber: identifier,
  innCode: identifier,
  ogrnCode: identifier,
  vatCode: identifier,
  jurisdiction: country,
  mainCountry: country,
};

const organization: Record<string, PropertySpec> = { ...legalEntity, parent: ref('Organization') };

// Interval: what dated relationships carry.
const interval: Record<string, PropertySpec> = {
  startDate: date,
  endDate: date,
  date,
  summary: text,
  description: text,
  recordId: identifier,
  sourceUrl: text,
  publisher: text,
  publisherUrl: text,
  status: text,
  modifiedAt: date,
  retrievedAt: date,
  createdAt: date,
};

const schemata: SchemaSpec[] = [
  {
    name: 'Person',
    label: 'Person',
    matchable: true,
    caption: ['name', 'alias', 'lastName', 'firstName'],
    properties: {
      ...legalEntity,
      title: text,
      firstName: name,
      secondName: name,
      middleName: name,
      fatherName: name,
      motherName: name,
      lastName: name,
      nameSuffix: name,
      birthDate: date,
      birthPlace: text,
      birthCountry: country,
      deathDate: date,
      position: text,
      nationality: country,
      citizenship: country,
      passportNumber: identifier,
      socialSecurityNumber: identifier,
      gender: { type: 'gender' },
      ethnicity: text,
      religion: text,
      political: text,
      education: text,
      appearance: text,
      spokenLanguage: text,
    },
  },
  {
    name: 'Organization',
    label: 'Organization',
    matchable: true,
    caption: ['name', 'alias'],
    properties: organization,
  },
  {
    name: 'PublicBody',
    label: 'Public body',
    matchable: true,
    caption: ['name', 'alias'],
    properties: organization,
  },
  {
    name: 'Position',
    label: 'Position',
    matchable: false,
    caption: ['name'],
    properties: {
      ...thing,
      organization: ref('Organization', 'PublicBody'),
      subnationalArea: text,
      inceptionDate: date,
      dissolutionDate: date,
      numberOfSeats: text,
    },
  },
  {
    name: 'Occupancy',
    label: 'Occupancy',
    matchable: false,
    caption: ['status', 'startDate'],
    properties: {
      ...interval,
      holder: ref('Person'),
      post: ref('Position'),
      declarationDate: date,
    },
  },
  {
    name: 'Membership',
    label: 'Membership',
    matchable: false,
    caption: ['role', 'startDate'],
    properties: {
      ...interval,
      member: ref('Person', 'Organization', 'PublicBody'),
      organization: ref('Organization', 'PublicBody'),
      role: text,
    },
  },
  {
    name: 'Sanction',
    label: 'Sanction',
    matchable: false,
    caption: ['program', 'authority', 'reason'],
    properties: {
      ...interval,
      entity: ref('Person', 'Organization', 'PublicBody'),
      authority: text,
      authorityId: identifier,
      unscId: identifier,
      program: text,
      programId: identifier,
      programUrl: text,
      provisions: text,
      duration: text,
      reason: text,
      country,
      listingDate: date,
    },
  },
  {
    name: 'Identification',
    label: 'Identification',
    matchable: false,
    caption: ['number', 'type'],
    properties: {
      ...interval,
      holder: ref('Person', 'Organization', 'PublicBody'),
      type: text,
      country,
      number: identifier,
      authority: text,
    },
  },
  {
    name: 'Address',
    label: 'Address',
    matchable: false,
    caption: ['full', 'city', 'street'],
    properties: {
      full: text,
      remarks: text,
      postOfficeBox: text,
      street: text,
      street2: text,
      city: text,
      postalCode: text,
      region: text,
      state: text,
      country,
      summary: text,
      description: text,
      sourceUrl: text,
      latitude: text,
      longitude: text,
      // Address is a Thing in FtM; these keep files from other tools loadable.
      name,
      keywords: text,
      createdAt: date,
      modifiedAt: date,
      retrievedAt: date,
      // Address.holder is not FtM; references to an address go the other way (addressEntity).
    },
  },
];

/** The schemata by name. */
export const FTM_SCHEMATA: ReadonlyMap<string, SchemaSpec> = new Map(schemata.map((s) => [s.name, s]));

/** The names of all schemata the registry accepts. */
export const SCHEMA_NAMES = schemata.map((s) => s.name) as readonly string[];

/** The spec of a schema, or undefined for an unknown one. */
export function getSchema(schemaName: string): SchemaSpec | undefined {
  return FTM_SCHEMATA.get(schemaName);
}

/** Names of a schema's properties of one type (e.g. every `entity` reference of Occupancy). */
export function propertiesOfType(schema: SchemaSpec, type: PropertyType): string[] {
  return Object.entries(schema.properties)
    .filter(([, spec]) => spec.type === type)
    .map(([key]) => key);
}
