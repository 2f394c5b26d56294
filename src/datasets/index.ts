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
import path from 'node:path';
import { z } from 'zod';
import { defineJob } from '../platform/jobs/queue.js';
import type { Platform } from '../platform/platform.js';
import { datasetsRoutes } from './routes.js';
import { type DatasetsRegistry, DatasetsService, type SourceVault } from './service.js';
import { DatasetsStore } from './store.js';

export type { DatasetsRegistry, RunOptions, RunProgress, RunSummary, SourceVault } from './service.js';

/** A web import: the run is recorded when queued; the job stages and publishes it. */
export const mappedImportJob = defineJob('datasets.import', z.object({ runId: z.string().uuid() }), {
  maxAttempts: 1,
});
export { DatasetsService, DRY_RUN_MAX_ROWS, mappingError } from './service.js';
export { downloadVault } from './vault.js';

/** Builds the datasets area. */
export function createDatasets(
  platform: Pick<Platform, 'database' | 'audit' | 'logger' | 'jobs' | 'config'>,
  deps: { registry: DatasetsRegistry; vault?: SourceVault },
) {
  const store = new DatasetsStore(platform.database.db);
  const service = new DatasetsService(store, deps.registry, platform.audit, {
    vault: deps.vault,
    // Decrypted source files live here only while a preview or an import reads them.
    workDir: path.join(platform.config.dataDir, 'work', 'datasets'),
    enqueue: async (runId) => {
      await platform.jobs.enqueue(mappedImportJob, { runId });
    },
  });
  platform.jobs.handle(mappedImportJob, ({ runId }) => service.runQueued(runId));
  return {
    service,
    routes: datasetsRoutes(service),
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
