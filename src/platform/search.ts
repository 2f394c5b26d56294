/**
 * The top bar's search across all resources, `GET /api/search/all`: each area answers for itself, over what
 * the caller may see, with its own query (its `search` hook: people, evidence items, incidents, cases,
 * sanctions proposals), and this module asks them all at once and puts the answers together. Counts come
 * from the areas too, so nothing the caller may not see is counted. An area whose search fails is named in
 * `failed` (and logged); the others still answer.
 */
import type pino from 'pino';
import { z } from 'zod';
import type { Principal } from './auth/model.js';
import { AppError } from './errors.js';
import { STAFF } from './http/access-rules.js';
import type { App } from './http/app.js';

/** One thing found, in the few words the top bar shows; the web app links it by section and id. */
export const searchHitSchema = z.object({
  id: z.string(),
  /** The name, file name, title, case number or proposal reference. */
  title: z.string(),
  /** A second line in the data's own words (datasets, source, place, subject, person). */
  subtitle: z.string().nullable(),
  /** The date that tells the thing apart (birth, received, occurred, opened, updated), ISO. */
  date: z.string().nullable(),
  /** A code the web app translates: schema, evidence kind, case status. */
  tag: z.string().nullable(),
  /** People only: how well the name matched (0–1). */
  score: z.number().nullable(),
  /** People only: the name form that matched (the title or another form), and its words that matched. */
  matchedName: z.string().nullable(),
  matchedWords: z.array(z.string()),
  /** Where the text was found when it is not shown (e.g. `note` for an evidence item's notes). */
  matchedIn: z.string().nullable(),
});
export type SearchHit = z.infer<typeof searchHitSchema>;

const totalSchema = z.object({ value: z.number().int(), relation: z.enum(['eq', 'gte']) });

export const searchSectionSchema = z.object({
  /** `people`, `evidence`, `incidents`, `cases`, `proposals`. */
  key: z.string(),
  /** How many the caller may see match (all of them, not just those listed). */
  total: totalSchema,
  items: z.array(searchHitSchema),
});
export type SearchSection = z.infer<typeof searchSectionSchema>;

/** An area's part of the search: its section for the caller, or undefined when the caller has none. */
export type SearchHook = (
  principal: Principal,
  text: string,
  limit: number,
) => Promise<SearchSection | undefined>;

export const searchAllQuerystringSchema = z.object({
  q: z
    .string()
    .trim()
    .min(2)
    .max(300)
    .describe('the text: a name in any script or spelling, a file name, a place, a case number…'),
  limit: z.coerce.number().int().min(1).max(20).default(5).describe('most items per section'),
});

export const searchAllResponseSchema = z.object({
  sections: z.array(searchSectionSchema),
  /** Sections whose search failed this time (the others are complete). */
  failed: z.array(z.string()),
});
export type SearchAllResponse = z.infer<typeof searchAllResponseSchema>;

/** A hit with the optional fields empty, for areas that fill a few of them. */
export function searchHit(fields: Pick<SearchHit, 'id' | 'title'> & Partial<SearchHit>): SearchHit {
  return {
    subtitle: null,
    date: null,
    tag: null,
    score: null,
    matchedName: null,
    matchedWords: [],
    matchedIn: null,
    ...fields,
  };
}

/**
 * Asks every area at once. A refusal of the text itself (a client error, e.g. a name the matcher cannot
 * read) is an empty section: the text found nothing there. Anything else is a failure of that area.
 */
export async function searchAll(
  principal: Principal,
  text: string,
  limit: number,
  hooks: ReadonlyArray<readonly [area: string, hook: SearchHook]>,
  logger: pino.Logger,
): Promise<SearchAllResponse> {
  const answers = await Promise.all(
    hooks.map(async ([area, hook]) => {
      try {
        return { area, section: await hook(principal, text, limit) };
      } catch (error) {
        if (error instanceof AppError && error.status < 500) return { area, section: undefined };
        logger.warn({ err: error, area }, 'search of an area failed');
        return { area, failed: true as const };
      }
    }),
  );
  return {
    sections: answers.flatMap((answer) => ('section' in answer && answer.section ? [answer.section] : [])),
    failed: answers.flatMap((answer) => ('failed' in answer ? [answer.area] : [])),
  };
}

export function searchRoutes(
  hooks: ReadonlyArray<readonly [area: string, hook: SearchHook]>,
  logger: pino.Logger,
) {
  return (app: App) => {
    app.get(
      '/api/search/all',
      {
        config: { access: { roles: STAFF } },
        schema: {
          tags: ['platform'],
          description:
            'Searches people (one result per resolved person), evidence items, incidents, cases and sanctions proposals at once, each over what the caller may see: a section per area with its count and first items.',
          querystring: searchAllQuerystringSchema,
          response: { 200: searchAllResponseSchema },
        },
      },
      async (request) => searchAll(request.principal!, request.query.q, request.query.limit, hooks, logger),
    );
  };
}
