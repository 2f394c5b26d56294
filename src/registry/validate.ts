/**
 * Validation of FtM entities against the schema table: ids, partial dates, countries, genders, names
 * and references. Pure functions; every failure is a coded `EntityProblem` so bulk imports can report
 * it per line and the API can answer with the same code.
 */
import { describeCharacter, unsafeCharacter } from '../platform/text-safety.js';
import { getSchema, type PropertyType, type SchemaSpec } from './ftm-schema.js';

export type ProblemCode =
  | 'SVD_REGISTRY_BAD_ENTITY'
  | 'SVD_REGISTRY_MISSING_ID'
  | 'SVD_REGISTRY_BAD_ID'
  | 'SVD_REGISTRY_UNKNOWN_SCHEMA'
  | 'SVD_REGISTRY_UNKNOWN_PROPERTY'
  | 'SVD_REGISTRY_BAD_DATE'
  | 'SVD_REGISTRY_BAD_VALUE';

export interface EntityProblem {
  code: ProblemCode;
  reason: string;
  property?: string;
}

/** An entity as it is stored and exported: properties are arrays of strings, never empty. */
export interface FtmEntity {
  id: string;
  schema: string;
  properties: Record<string, string[]>;
}

export const ID_PATTERN = /^[A-Za-z0-9._:-]{1,200}$/;
/** Most values one property may carry, and the longest value of each type. */
export const MAX_VALUES = 500;
const MAX_LENGTH: Record<PropertyType, number> = {
  name: 500,
  date: 40,
  country: 16,
  gender: 10,
  identifier: 200,
  entity: 200,
  text: 65_536,
};

/** True for a valid entity id: 1–200 characters of `A-Z a-z 0-9 . _ : -`. */
export function isValidId(id: unknown): id is string {
  return typeof id === 'string' && ID_PATTERN.test(id);
}

const DATE_RE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?$/;

/** Days in a month of the proleptic Gregorian calendar. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Parses an FtM date: `YYYY`, `YYYY-MM`, `YYYY-MM-DD` (optionally with a time, as FtM timestamps
 * carry). Returns the precision, or null when the text is not such a date or names a day that does not
 * exist (`1975-13-45`, `1980-02-31`, `31.02.1980`).
 */
export function parsePartialDate(
  value: string,
): { year: number; month?: number; day?: number; precision: 'year' | 'month' | 'day' | 'time' } | null {
  const match = DATE_RE.exec(value);
  if (!match) return null;
  const year = Number(match[1]);
  if (year < 1000) return null;
  if (match[2] === undefined) return { year, precision: 'year' };
  const month = Number(match[2]);
  if (month < 1 || month > 12) return null;
  if (match[3] === undefined) return { year, month, precision: 'month' };
  const day = Number(match[3]);
  if (day < 1 || day > daysInMonth(year, month)) return null;
  if (match[4] !== undefined) {
    const [hours, minutes] = match[4].slice(1, 6).split(':').map(Number) as [number, number];
    const seconds = match[4].length >= 9 ? Number(match[4].slice(7, 9)) : 0;
    if (hours > 23 || minutes > 59 || seconds > 59) return null;
    return { year, month, day, precision: 'time' };
  }
  return { year, month, day, precision: 'day' };
}

const GENDERS = new Set(['male', 'female', 'other']);
// ISO 3166-1 alpha-2, FtM's sub-territory codes (`ge-ab`) and its four-letter historical codes (`suhh`).
const COUNTRY_RE = /^[a-z]{2}(?:-[a-z0-9]{1,8})?$|^[a-z]{4}$/;

/** Cleans and checks one value of a property type; returns the stored form or a problem. */
export function normalizeValue(
  type: PropertyType,
  raw: string,
  property: string,
): { value: string } | { problem: EntityProblem } {
  const value = raw.normalize('NFC').trim();
  const fail = (code: ProblemCode, reason: string) => ({ problem: { code, reason, property } });
  if (value.length > MAX_LENGTH[type]) {
    return fail(
      'SVD_REGISTRY_BAD_VALUE',
      `${property}: value longer than ${MAX_LENGTH[type]} characters (${value.length})`,
    );
  }
  // Controls, bidi overrides and broken text everywhere; names, codes and identifiers take no newlines.
  const unsafe = unsafeCharacter(value, type !== 'text');
  if (unsafe) {
    return fail(
      'SVD_REGISTRY_BAD_VALUE',
      `${property}: value contains a control character or bidirectional override (${describeCharacter(unsafe)})`,
    );
  }
  switch (type) {
    case 'date':
      if (!parsePartialDate(value)) {
        return fail(
          'SVD_REGISTRY_BAD_DATE',
          `${property}: "${value.slice(0, 40)}" is not a real date in the form YYYY, YYYY-MM or YYYY-MM-DD`,
        );
      }
      return { value };
    case 'country': {
      const lower = value.toLowerCase();
      if (!COUNTRY_RE.test(lower))
        return fail('SVD_REGISTRY_BAD_VALUE', `${property}: "${value}" is not a country code`);
      return { value: lower };
    }
    case 'gender': {
      const lower = value.toLowerCase();
      if (!GENDERS.has(lower))
        return fail('SVD_REGISTRY_BAD_VALUE', `${property}: gender must be male, female or other`);
      return { value: lower };
    }
    case 'entity':
      if (!ID_PATTERN.test(value))
        return fail(
          'SVD_REGISTRY_BAD_VALUE',
          `${property}: "${value.slice(0, 60)}" is not a valid entity id`,
        );
      return { value };
    default:
      return { value };
  }
}

/**
 * Checks and normalizes the properties of one schema: unknown properties, non-string values and bad
 * values are problems; values are NFC-trimmed, empty ones dropped, duplicates removed (order kept).
 */
export function normalizeProperties(
  schema: SchemaSpec,
  input: unknown,
): { properties: Record<string, string[]> } | { problem: EntityProblem } {
  if (input === undefined || input === null) return { properties: {} };
  if (typeof input !== 'object' || Array.isArray(input)) {
    return { problem: { code: 'SVD_REGISTRY_BAD_ENTITY', reason: '"properties" must be an object' } };
  }
  const properties: Record<string, string[]> = {};
  for (const [key, rawValues] of Object.entries(input as Record<string, unknown>)) {
    const spec = schema.properties[key];
    if (!spec || !Object.hasOwn(schema.properties, key)) {
      return {
        problem: {
          code: 'SVD_REGISTRY_UNKNOWN_PROPERTY',
          reason: `${schema.name} has no property "${key.slice(0, 60)}"`,
          property: key.slice(0, 60),
        },
      };
    }
    const list = Array.isArray(rawValues) ? rawValues : [rawValues];
    if (list.length > MAX_VALUES) {
      return {
        problem: {
          code: 'SVD_REGISTRY_BAD_VALUE',
          reason: `${key}: more than ${MAX_VALUES} values`,
          property: key,
        },
      };
    }
    const seen = new Set<string>();
    for (const raw of list) {
      if (typeof raw !== 'string') {
        return {
          problem: {
            code: 'SVD_REGISTRY_BAD_VALUE',
            reason: `${key}: values must be strings`,
            property: key,
          },
        };
      }
      const result = normalizeValue(spec.type, raw, key);
      if ('problem' in result) return result;
      if (result.value !== '') seen.add(result.value);
    }
    if (seen.size > 0) properties[key] = [...seen];
  }
  return { properties };
}

/** Validates one parsed FtM object (`{"id", "schema", "properties"}`); extra top-level keys are ignored. */
export function validateEntity(input: unknown): { entity: FtmEntity } | { problem: EntityProblem } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { problem: { code: 'SVD_REGISTRY_BAD_ENTITY', reason: 'the line is not a JSON object' } };
  }
  const object = input as Record<string, unknown>;
  if (object.id === undefined || object.id === null || object.id === '') {
    return { problem: { code: 'SVD_REGISTRY_MISSING_ID', reason: 'the entity has no "id"' } };
  }
  if (!isValidId(object.id)) {
    return {
      problem: {
        code: 'SVD_REGISTRY_BAD_ID',
        reason: 'the id must be 1–200 characters of letters, digits, ".", "_", ":" or "-"',
      },
    };
  }
  const schemaName = object.schema;
  const schema = typeof schemaName === 'string' ? getSchema(schemaName) : undefined;
  if (!schema) {
    return {
      problem: {
        code: 'SVD_REGISTRY_UNKNOWN_SCHEMA',
        reason: `unknown schema ${JSON.stringify(typeof schemaName === 'string' ? schemaName.slice(0, 60) : (schemaName ?? null))}`,
      },
    };
  }
  const result = normalizeProperties(schema, object.properties);
  if ('problem' in result) return result;
  return { entity: { id: object.id, schema: schema.name, properties: result.properties } };
}

/** The caption of an entity: the first value of the schema's caption properties, else the schema label. */
export function captionOf(schemaName: string, properties: Record<string, string[]>): string {
  const schema = getSchema(schemaName);
  for (const key of schema?.caption ?? ['name']) {
    const value = properties[key]?.[0];
    if (value) return value.length > 300 ? `${value.slice(0, 299)}…` : value;
  }
  return schema?.label ?? schemaName;
}

/** Every (property, target id) reference of an entity. */
export function referencesOf(entity: FtmEntity): Array<{ property: string; target: string }> {
  const schema = getSchema(entity.schema);
  if (!schema) return [];
  const refs: Array<{ property: string; target: string }> = [];
  for (const [key, values] of Object.entries(entity.properties)) {
    if (schema.properties[key]?.type !== 'entity') continue;
    for (const target of values) refs.push({ property: key, target });
  }
  return refs;
}
