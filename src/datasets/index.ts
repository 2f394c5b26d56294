/**
 * The datasets area: FollowTheMoney mapping files over CSV, XLSX and SQL sources (seized and leaked
 * databases) into registry datasets, with per-row provenance.
 *
 *   const datasets = createDatasets(platform, { registry: areas.registry.service });
 *   await datasets.service.run(principal, 'personnel-2020', {
 *     mappingText, mappingName: 'personnel.yml', sources: { baseDir, override }, limit, dryRun,
 *     onEntity, onReject, onProgress });
 *
 * What other areas (cross-referencing) can rely on: a mapped import writes plain registry entities
 * (the registry's datasets, entities, change_seq and scanForIndex are unchanged), all of a run's
 * entities appear in one registry transaction, ids are stable across re-imports of the same rows, and
 * `service.provenance(principal, entityId)` tells where an entity came from.
 */
import type { Platform } from '../platform/platform.js';
import { type DatasetsRegistry, DatasetsService } from './service.js';
import { DatasetsStore } from './store.js';

export type { DatasetsRegistry, RunOptions, RunProgress, RunSummary } from './service.js';
export { DatasetsService, DRY_RUN_MAX_ROWS, mappingError } from './service.js';

/** Builds the datasets area. */
export function createDatasets(
  platform: Pick<Platform, 'database' | 'audit' | 'logger'>,
  deps: { registry: DatasetsRegistry },
) {
  const store = new DatasetsStore(platform.database.db);
  const service = new DatasetsService(store, deps.registry, platform.audit);
  return {
    service,
    start: async () => {
      // Embedded: the data directory is locked to this process, so a run left "staging" or
      // "publishing" belongs to a process that died; it can only be failed (nothing was published).
      if (platform.database.kind !== 'pglite') return;
      const failed = await store.failAbandonedRuns(
        'the process stopped during the import; nothing was published',
      );
      if (failed > 0) platform.logger.warn({ failed }, 'failed mapped imports left by a stopped process');
    },
  };
}

export type DatasetsArea = ReturnType<typeof createDatasets>;
