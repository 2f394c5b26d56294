/**
 * Screening: error codes, request and response schemas (yente-compatible `/api/match`, `/api/search`)
 * and the result types shared by the service, the CLI and the web app.
 */
import { z } from 'zod';
import { defineErrors } from '../platform/errors.js';

export const screeningErrors = defineErrors({
  SVD_SCREENING_NAME_EMPTY: { status: 400, message: 'A name is empty or contains only whitespace.' },
  SVD_SCREENING_NAME_TOO_LONG: { status: 400, message: 'A name is longer than 300 characters.' },
  SVD_SCREENING_NAME_CONTROL_CHARS: { status: 400, message: 'A name contains control characters.' },
  SVD_SCREENING_NAME_NO_LETTERS: { status: 400, message: 'A name contains no letters.' },
  SVD_SCREENING_NO_NAME: {
    status: 400,
    message: 'The query has no usable name and no identifier: give properties.name.',
  },
  SVD_SCREENING_DATE_INVALID: {
    status: 400,
    message: 'A birth date is not a valid date (use YYYY, YYYY-MM, YYYY-MM-DD or DD.MM.YYYY).',
  },
  SVD_SCREENING_SCHEMA: {
    status: 400,
    message: 'Unsupported schema: use Person, Organization, PublicBody, Company or LegalEntity.',
  },
  SVD_SCREENING_BAD_QUERY: { status: 400, message: 'The query does not have the expected shape.' },
  SVD_SCREENING_BAD_JSON: { status: 400, message: 'The line is not valid JSON.' },
  SVD_SCREENING_BAD_UTF8: { status: 400, message: 'The line is not valid UTF-8 text.' },
  SVD_SCREENING_LINE_TOO_LONG: { status: 400, message: 'The line is longer than 1 MB.' },
  SVD_SCREENING_CSV_COLUMNS: {
    status: 400,
    message: 'The CSV header lacks required columns: id and name are required.',
  },
  SVD_SCREENING_CSV_ROW: { status: 400, message: 'The CSV row is malformed.' },
  SVD_SCREENING_FORMAT: { status: 400, message: 'Unknown input format: use jsonl or csv.' },
  SVD_SCREENING_INPUT: { status: 400, message: 'The input file cannot be read.' },
  SVD_SCREENING_TOO_MANY_QUERIES: { status: 400, message: 'Too many queries in one request (at most 100).' },
  SVD_SCREENING_QUERY_TEXT: { status: 400, message: 'Give a search text of 1 to 300 characters.' },
});

export type ScreeningErrorCode = keyof typeof screeningErrors;

/** Schemas a query may name; each matches entities of the same kind. */
export const matchableSchemas = ['Person', 'Organization', 'PublicBody', 'Company', 'LegalEntity'] as const;

/** Most queries one `/api/match` call may carry (yente's batch size). */
export const MAX_QUERIES = 100;

const propertyValues = z.union([z.string().max(100_000), z.array(z.string().max(100_000)).max(50)]);

/** One yente-style query: schema plus properties with lists of strings. */
export const entityQuerySchema = z.object({
  schema: z.string().max(100).default('Person'),
  properties: z.record(z.string().max(100), propertyValues).default({}),
});
export type EntityQuery = z.input<typeof entityQuerySchema>;

export const matchRequestSchema = z.object({
  queries: z.record(z.string().min(1).max(200), z.unknown()),
});

const idList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) =>
    (Array.isArray(value) ? value : value ? [value] : [])
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter(Boolean),
  );

export const matchQuerystringSchema = z.object({
  dataset: idList.describe('dataset id(s); default: all datasets the caller may see'),
  threshold: z.coerce.number().min(0).max(1).default(0.7),
  limit: z.coerce.number().int().min(1).max(500).default(5),
  exclude_entity_ids: idList,
});

export const tokenExplanationSchema = z.object({
  query: z.string(),
  matched: z.string().nullable(),
  part: z.enum(['surname', 'given', 'patronymic', 'other']),
  rule: z.string(),
  score: z.number(),
});

export const explanationSchema = z.object({
  queryName: z.string(),
  matchedName: z.string(),
  nameScore: z.number(),
  tokens: z.array(tokenExplanationSchema),
  features: z.record(z.string(), z.number()),
  notes: z.array(z.string()),
});
export type Explanation = z.infer<typeof explanationSchema>;

export const matchResultSchema = z.object({
  id: z.string(),
  schema: z.string(),
  caption: z.string(),
  score: z.number(),
  match: z.boolean(),
  datasets: z.array(z.string()),
  /** With results per cluster: the ids of the records the result stands for (the id is the canonical). */
  referents: z.array(z.string()).optional(),
  properties: z.record(z.string(), z.array(z.string())),
  explanations: z.array(explanationSchema),
});
export type MatchResult = z.infer<typeof matchResultSchema>;

export const queryErrorSchema = z.object({ code: z.string(), message: z.string() });

export const matchResponseItemSchema = z.object({
  status: z.number().int(),
  results: z.array(matchResultSchema),
  total: z.object({ value: z.number().int(), relation: z.enum(['eq', 'gte']) }),
  query: z.object({ schema: z.string(), properties: z.record(z.string(), z.array(z.string())) }),
  error: queryErrorSchema.optional(),
});
export type MatchResponseItem = z.infer<typeof matchResponseItemSchema>;

export const matchResponseSchema = z.object({
  responses: z.record(z.string(), matchResponseItemSchema),
  limit: z.number().int(),
  threshold: z.number(),
});

export const searchQuerystringSchema = z.object({
  q: z.string().max(10_000).default(''),
  dataset: idList,
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const searchResultSchema = z.object({
  id: z.string(),
  schema: z.string(),
  caption: z.string(),
  score: z.number(),
  datasets: z.array(z.string()),
  referents: z.array(z.string()).optional(),
  properties: z.record(z.string(), z.array(z.string())),
  explanations: z.array(explanationSchema),
});

export const searchResponseSchema = z.object({
  results: z.array(searchResultSchema),
  total: z.object({ value: z.number().int(), relation: z.enum(['eq', 'gte']) }),
});
