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
import { z } from 'zod';
import { isAppError } from '../platform/errors.js';
import type { App } from '../platform/http/app.js';
import { defineJob } from '../platform/jobs/queue.js';
import type { Platform } from '../platform/platform.js';
import { DecisionService } from './decisions.js';
import type { XrefMatcher, XrefRegistry } from './ports.js';
import { ReviewQueue } from './queue.js';
import { ResolverService } from './resolver.js';
import { XrefRunService } from './runs.js';
import { RunStore } from './runs-store.js';
import { ResolverStore } from './store.js';

/** Works an xref run in the job workers (resumes from its cursor after a crash or a lost lease). */
export const xrefRunJob = defineJob('xref.run', z.object({ runId: z.string().uuid() }), { maxAttempts: 10 });

export type { Cluster } from './model.js';
export type { XrefMatcher, XrefRegistry } from './ports.js';

/** Builds the xref area on the registry (entities, datasets) and the screening matcher. */
export function createXref(
  platform: Pick<Platform, 'database' | 'audit' | 'jobs' | 'logger'>,
  deps: { registry: XrefRegistry; matcher: XrefMatcher },
) {
  const resolver = new ResolverService(new ResolverStore(platform.database.db), platform.audit);
  const decisions = new DecisionService(resolver, deps.registry, platform.audit);
  const runStore = new RunStore(platform.database.db);
  const queue = new ReviewQueue(runStore, resolver, deps.registry, (principal, ids) =>
    decisions.summaries(principal, ids),
  );
  resolver.onChange((trx, touched) => queue.syncJudgements(trx, touched));
  const runs = new XrefRunService(runStore, resolver, deps.registry, deps.matcher, platform.audit, {
    enqueue: (runId) => platform.jobs.enqueue(xrefRunJob, { runId }),
  });
  platform.jobs.handle(xrefRunJob, async ({ runId }, job) => {
    try {
      const run = await runs.execute(runId, { signal: job.signal });
      // Stopped with the process: the job retries and the run resumes from its cursor.
      if (run.state !== 'done') throw new Error('the xref run was paused; it resumes on the next attempt');
    } catch (error) {
      // Another process works on it: that one finishes it; this job is done.
      if (isAppError(error, 'SVD_XREF_RUN_BUSY')) {
        platform.logger.info({ runId }, 'xref run busy elsewhere');
        return;
      }
      throw error;
    }
  });
  return {
    resolver,
    decisions,
    runs,
    queue,
    clusters: {
      clustersOf: (ids: string[]) => resolver.clustersOf(ids),
      clusterOf: (id: string) => resolver.clusterOf(id),
    },
    routes: async (app: App) => (await import('./routes.js')).xrefRoutes({ decisions, runs, queue })(app),
  };
}

export type XrefArea = ReturnType<typeof createXref>;
