/**
 * The screening area: in-memory candidate index over the registry, scoring with explanations,
 * yente-style `/api/match`, analyst search and bulk screening.
 *
 *   const screening = createScreening(platform, { registry });
 *   await screening.service.match(principal, { q1: { schema: 'Person', properties: { name: ['…'] } } },
 *                                 { datasets: [], threshold: 0.7, limit: 5, excludeEntityIds: [] });
 *
 * `start()` builds the index and polls the registry for changes (every 5 s by default); without it
 * (CLI, tests) the index is built on first use and refreshed before every call.
 */
import type { App } from '../platform/http/app.js';
import type { Platform } from '../platform/platform.js';
import { type SearchHook, searchHit } from '../platform/search.js';
import { type ScreeningClusters, type ScreeningRegistry, ScreeningService } from './service.js';

export { type AdHocCandidate, screenAmong } from './among.js';
export type { CandidateSource, IndexEntity } from './candidate-index.js';
export { CandidateIndex } from './candidate-index.js';
export { screenQuery } from './engine.js';
export { ID_PROPERTIES, normalizeId, prepareQuery } from './query.js';
export { type ScreeningClusters, ScreeningService, screenBulk } from './service.js';

/** Builds the screening area on the registry. */
export function createScreening(
  platform: Pick<Platform, 'audit' | 'logger'>,
  deps: { registry: ScreeningRegistry; pollMs?: number; clusters?: ScreeningClusters },
) {
  const service = new ScreeningService(deps.registry, platform.audit, platform.logger, {
    pollMs: deps.pollMs,
    ...(deps.clusters ? { clusters: deps.clusters } : {}),
  });
  return {
    service,
    routes: async (app: App) => (await import('./routes.js')).screeningRoutes(service)(app),
    /** The matcher cross-referencing runs on: the same index and scorer as every screen. */
    matcher: {
      refresh: () => service.fresh(),
      candidates: (
        entity: { id: string; schema: string; properties: Record<string, string[]> },
        datasets: readonly string[],
        limit: number,
      ) => service.screenEntity(entity, datasets, limit),
    },
    start: () => service.start(),
    stop: () => service.stop(),
    search: peopleSearch(service),
  };
}

/** The top bar's "people" section: one row per resolved person (cross-referencing), best match first. */
function peopleSearch(service: ScreeningService): SearchHook {
  return async (principal, text, limit) => {
    const found = await service.search(principal, text, [], limit, { clusters: true });
    return {
      key: 'people',
      total: found.total,
      items: found.results.map((result) => {
        const explanation = result.explanations[0];
        const matchedName = explanation?.matchedName ?? null;
        return searchHit({
          id: result.id,
          title: result.caption,
          subtitle: result.datasets.join(', ') || null,
          date: result.properties.birthDate?.[0] ?? null,
          tag: result.schema,
          score: result.score,
          matchedName,
          matchedWords: (explanation?.tokens ?? []).flatMap((token) =>
            token.matched ? [token.matched] : [],
          ),
        });
      }),
    };
  };
}

export type ScreeningArea = ReturnType<typeof createScreening>;
