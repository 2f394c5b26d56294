/**
 * Turning properties into screening features, for stored entities and for queries alike: names (all
 * name properties, or first/father/last name parts joined), birth dates, gender, nationalities and
 * identifiers. Queries are validated here, each problem becoming a coded per-query error.
 */
import { z } from 'zod';
import { encodeDate, parseDate } from './dates.js';
import { entityQuerySchema, matchableSchemas, type ScreeningErrorCode, screeningErrors } from './model.js';
import { assignParts, type Part } from './parts.js';
import { analyseToken, fuzzyGivenNames, splitName, type TokenInfo } from './tokens.js';

/** Properties holding full names. */
export const NAME_PROPERTIES = ['name', 'alias', 'previousName', 'weakAlias'] as const;
/** Properties holding identifiers (compared exactly after normalisation). */
export const ID_PROPERTIES = [
  'idNumber',
  'passportNumber',
  'taxNumber',
  'innCode',
  'registrationNumber',
] as const;
const NATIONALITY_PROPERTIES = ['nationality', 'citizenship'] as const;

/** A problem with a query, as the API and the bulk output report it. */
export interface QueryError {
  code: ScreeningErrorCode;
  message: string;
}

export function queryError(code: ScreeningErrorCode, message?: string): QueryError {
  return { code, message: message ?? screeningErrors[code].message };
}

/** One name of a query, analysed. */
export interface PreparedName {
  raw: string;
  tokens: string[];
  infos: TokenInfo[];
  parts: Part[];
  /** Per token: given-name entries one edit away (typo tolerance on the query side). */
  fuzzy: number[][];
}

export interface PreparedQuery {
  schema: string;
  names: PreparedName[];
  /** Encoded birth dates (see dates.ts). */
  dates: number[];
  /** 0 unknown, 1 male, 2 female. */
  gender: 0 | 1 | 2;
  nationalities: string[];
  idNumbers: string[];
  /** The query as understood (for the response's `query`). */
  echo: { schema: string; properties: Record<string, string[]> };
}

const COUNTRY_NAMES: Record<string, string> = {
  belarus: 'by',
  'belarus republic': 'by',
  беларусь: 'by',
  'рэспубліка беларусь': 'by',
  russia: 'ru',
  'russian federation': 'ru',
  россия: 'ru',
  расія: 'ru',
  ukraine: 'ua',
  poland: 'pl',
  lithuania: 'lt',
  latvia: 'lv',
  germany: 'de',
};

/** Lower-case country code for a nationality value (codes pass through; a few names are mapped). */
export function normalizeCountry(value: string): string {
  const v = value.trim().toLowerCase();
  return COUNTRY_NAMES[v] ?? v;
}

/** Identifier normalised for exact comparison: letters and digits only, upper case. */
export function normalizeId(value: string): string {
  return value.toUpperCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** 0 unknown, 1 male, 2 female. */
export function genderCode(values: readonly string[]): 0 | 1 | 2 {
  for (const v of values) {
    const g = v.trim().toLowerCase();
    if (g === 'male' || g === 'm' || g === 'муж' || g === 'мужчына' || g === 'мужской') return 1;
    if (g === 'female' || g === 'f' || g === 'жен' || g === 'жанчына' || g === 'женский') return 2;
  }
  return 0;
}

function list(properties: Record<string, string[] | string | undefined>, key: string): string[] {
  const value = properties[key];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v) => typeof v === 'string');
}

/** Every full name of an entity, including one composed of name parts when no full name is given. */
export function entityNames(properties: Record<string, string[] | string | undefined>): string[] {
  const names: string[] = [];
  for (const key of NAME_PROPERTIES) names.push(...list(properties, key));
  const parts = ['lastName', 'firstName', 'fatherName', 'middleName']
    .map((k) => list(properties, k)[0])
    .filter((v): v is string => !!v && v.trim().length > 0);
  if (parts.length >= 2) names.push(parts.join(' '));
  return [...new Set(names.map((n) => n.trim()).filter(Boolean))];
}

/** Analyses one name; a coded problem when it cannot be screened. */
export function prepareName(
  raw: string,
  analyse: (folded: string) => TokenInfo = analyseToken,
  options: { strict?: boolean; fuzzy?: boolean } = {},
): PreparedName | QueryError {
  // U+FFFD is what a decoder leaves of broken bytes: a name with it cannot be trusted to match.
  if (options.strict !== false && typeof raw === 'string' && raw.includes('\uFFFD'))
    return queryError('SVD_SCREENING_BAD_UTF8');
  const split = splitName(raw, options);
  if (typeof split === 'string') return queryError(split);
  const tokens = split.tokens.slice(0, 12);
  const infos = split.folded.slice(0, 12).map((t) => analyse(t));
  const parts = assignParts(infos, split);
  const fuzzy = options.fuzzy === false ? infos.map(() => []) : infos.map((info) => fuzzyGivenNames(info));
  return { raw: split.text, tokens, infos, parts, fuzzy };
}

/**
 * Validates and analyses one yente-style query. `value` is whatever the client sent for that key:
 * shape errors, bad names and impossible dates each become a coded error for this query only.
 */
export function prepareQuery(
  value: unknown,
  analyse?: (folded: string) => TokenInfo,
): PreparedQuery | QueryError {
  const parsed = entityQuerySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return queryError(
      'SVD_SCREENING_BAD_QUERY',
      issue
        ? `The query does not have the expected shape: ${issue.path.join('.') || 'query'}: ${issue.message}`
        : undefined,
    );
  }
  const { schema, properties } = parsed.data;
  if (!(matchableSchemas as readonly string[]).includes(schema)) return queryError('SVD_SCREENING_SCHEMA');
  const echo: Record<string, string[]> = {};
  for (const [key, v] of Object.entries(properties))
    echo[key] = (Array.isArray(v) ? v : [v]).map((s) => s.slice(0, 300));

  const names: PreparedName[] = [];
  for (const key of NAME_PROPERTIES) {
    for (const raw of list(properties, key)) {
      if (raw.trim().length === 0) return queryError('SVD_SCREENING_NAME_EMPTY');
    }
  }
  const rawNames = entityNames(properties);
  for (const raw of rawNames.slice(0, 20)) {
    const prepared = prepareName(raw, analyse);
    // A name the client sent that cannot be read is reported, not silently dropped.
    if ('code' in prepared) return prepared;
    names.push(prepared);
  }

  const dates: number[] = [];
  for (const raw of list(properties, 'birthDate')) {
    const date = parseDate(raw);
    if (!date) {
      return queryError(
        'SVD_SCREENING_DATE_INVALID',
        `The birth date "${raw.slice(0, 40)}" is not a valid date (use YYYY, YYYY-MM, YYYY-MM-DD or DD.MM.YYYY).`,
      );
    }
    dates.push(encodeDate(date));
  }
  const idNumbers = ID_PROPERTIES.flatMap((k) => list(properties, k))
    .map(normalizeId)
    .filter((v) => v.length >= 3);
  if (names.length === 0 && idNumbers.length === 0) return queryError('SVD_SCREENING_NO_NAME');
  const nationalities = NATIONALITY_PROPERTIES.flatMap((k) => list(properties, k)).map(normalizeCountry);
  return {
    schema,
    names,
    dates,
    gender: genderCode(list(properties, 'gender')),
    nationalities,
    idNumbers,
    echo: { schema, properties: echo },
  };
}

/** Zod-free guard used by the bulk reader: is this parsed JSON an object? */
export const jsonObject = z.record(z.string(), z.unknown());
