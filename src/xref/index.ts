/**
 * The cross-referencing area: the resolver (judgements and clusters), xref runs over registry datasets,
 * and the review queue.
 *
 * Other areas ask "which cluster is this entity in" through a port they define, satisfied by
 * `areas.xref.clusters`:
 *
 *   clusters.clustersOf(ids: string[]): Promise<Map<string, { id: string; members: string[] }>>
 *       For each id: the canonical id of its cluster (`sv-…`) and every member id, sorted. An id in no
 *       cluster answers `{ id, members: [id] }`. A cluster id, current or retired (merged or split),
 *       answers the cluster that holds its members today. Members may lie in datasets the caller may not
 *       see, and may be ids of no registry entity (imported judgements): filter before showing them.
 *   clusters.clusterOf(id: string): Promise<{ id: string; members: string[] }>   (one id)
 */
import type { Platform } from '../platform/platform.js';
import { DecisionService } from './decisions.js';
import type { XrefMatcher, XrefRegistry } from './ports.js';
import { ResolverService } from './resolver.js';
import { xrefRoutes } from './routes.js';
import { ResolverStore } from './store.js';

export type { Cluster } from './model.js';
export type { XrefMatcher, XrefRegistry } from './ports.js';

/** Builds the xref area on the registry (entities, datasets) and the screening matcher. */
export function createXref(
  platform: Pick<Platform, 'database' | 'audit'>,
  deps: { registry: XrefRegistry; matcher: XrefMatcher },
) {
  const resolver = new ResolverService(new ResolverStore(platform.database.db), platform.audit);
  const decisions = new DecisionService(resolver, deps.registry, platform.audit);
  return {
    resolver,
    decisions,
    clusters: {
      clustersOf: (ids: string[]) => resolver.clustersOf(ids),
      clusterOf: (id: string) => resolver.clusterOf(id),
    },
    routes: xrefRoutes({ decisions }),
  };
}

export type XrefArea = ReturnType<typeof createXref>;
