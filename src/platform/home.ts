/**
 * The home page's data: each area answers for itself what the caller may see (its `summary` hook), and this
 * module puts the answers together in one call, `GET /api/home`. An area that fails is left out and logged; the
 * page still shows the others.
 */
import type pino from 'pino';
import { z } from 'zod';
import type { Principal } from './auth/model.js';
import { STAFF } from './http/access-rules.js';
import type { App } from './http/app.js';
import type { JobQueue } from './jobs/queue.js';

/** What one area tells the home page, counted over what the caller may see. */
export interface AreaSummary {
  /** Totals by key, e.g. `{ items: 30, incidents: 2 }`. */
  counts: Record<string, number>;
  /** Work waiting for this caller: a key, how many, and the web path that lists them. Zero counts are dropped. */
  waiting?: Array<{ key: string; count: number; path: string }>;
  /** Recent things the caller may see, newest first. */
  recent?: Array<{ key: string; title: string; path: string; at: string }>;
}

export type SummaryHook = (principal: Principal) => Promise<AreaSummary | undefined>;

const summarySchema = z.object({
  area: z.string(),
  counts: z.record(z.string(), z.number()),
  waiting: z.array(z.object({ key: z.string(), count: z.number(), path: z.string() })),
  recent: z.array(z.object({ key: z.string(), title: z.string(), path: z.string(), at: z.string() })),
});
export const homeResponseSchema = z.object({
  areas: z.array(summarySchema),
  /** 'preparing' while the first start's demo content is still being generated and processed. */
  demo: z.enum(['preparing', 'done']).nullable(),
});
export type HomeResponse = z.infer<typeof homeResponseSchema>;

/** Collects every area's summary for `principal`; administrators also see failed background jobs. */
export async function homeSummary(
  principal: Principal,
  hooks: Array<[area: string, hook: SummaryHook]>,
  jobs: JobQueue,
  logger: pino.Logger,
  demo: () => Promise<'preparing' | 'done' | undefined> = async () => undefined,
): Promise<HomeResponse> {
  const answers = await Promise.all(
    hooks.map(async ([area, hook]) => {
      try {
        const summary = await hook(principal);
        return summary ? { area, summary } : undefined;
      } catch (error) {
        logger.warn({ err: error, area }, 'home summary of an area failed');
        return undefined;
      }
    }),
  );
  const areas = answers.flatMap((answer) =>
    answer
      ? [
          {
            area: answer.area,
            counts: answer.summary.counts,
            waiting: (answer.summary.waiting ?? []).filter((w) => w.count > 0),
            recent: answer.summary.recent ?? [],
          },
        ]
      : [],
  );
  if (principal.type === 'user' && principal.role === 'admin') {
    const { counts } = await jobs.list('dead', 1);
    areas.push({
      area: 'platform',
      counts: {},
      waiting: counts.dead > 0 ? [{ key: 'failedJobs', count: counts.dead, path: '/jobs' }] : [],
      recent: [],
    });
  }
  return { areas, demo: (await demo()) ?? null };
}

export function homeRoutes(
  hooks: Array<[area: string, hook: SummaryHook]>,
  jobs: JobQueue,
  logger: pino.Logger,
  demo?: () => Promise<'preparing' | 'done' | undefined>,
) {
  return (app: App) => {
    app.get(
      '/api/home',
      {
        config: { access: { roles: STAFF } },
        schema: { tags: ['platform'], response: { 200: homeResponseSchema } },
      },
      async (request) => homeSummary(request.principal!, hooks, jobs, logger, demo),
    );
  };
}
