/**
 * The verification-cases area: a partner asks about a person, analysts screen and write findings, a
 * second officer approves, a verifiable report goes back; subject data is erased when retention ends.
 *
 *   const cases = createCases(platform, { screening, evidence });
 *   cases.service   intake, listing, reading, workflow       cases.work       screening, hits, findings, review
 *   cases.reporting drafts, released reports, downloads, verification   cases.retention  erasure, purge
 *
 * Ports (defined in ./ports.ts, implemented by the composition root): `screening` screens a subject within
 * what the officer may see; `evidence` describes cited vault items by SHA-256.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Principal } from '../platform/auth/model.js';
import type { App } from '../platform/http/app.js';
import { defineJob } from '../platform/jobs/queue.js';
import type { Platform } from '../platform/platform.js';
import { CaseKeys } from './case-keys.js';
import { CaseCore } from './core.js';
import type { CaseEvidence, CaseScreening } from './ports.js';
import { CaseReporting } from './reporting.js';
import { CaseRetention } from './retention.js';
import type { CasesApi } from './routes.js';
import { CaseService } from './service.js';
import { CaseStore } from './store.js';
import { casesSummary } from './summary.js';
import { CaseWork } from './work.js';

export type { CaseEvidence, CaseScreening, CitedEvidence, SubjectMatch, SubjectQuery } from './ports.js';
export type { CasesApi } from './routes.js';

export const purgeDueCasesJob = defineJob('cases.retention.purge', z.object({}).strict(), { maxAttempts: 3 });

const retentionActor = { type: 'system' as const, label: 'retention' };

/** Builds the cases area. */
export function createCases(
  platform: Pick<
    Platform,
    'database' | 'keys' | 'audit' | 'review' | 'reports' | 'auth' | 'jobs' | 'logger' | 'config'
  >,
  deps: { screening: CaseScreening; evidence?: CaseEvidence },
) {
  const core = new CaseCore({
    store: new CaseStore(platform.database.db),
    keys: new CaseKeys(platform.keys),
    audit: platform.audit,
    review: platform.review,
    reports: platform.reports,
    screening: deps.screening,
    evidence: deps.evidence,
    listStaff: () => platform.auth.listUsers(),
    officerNames: platform.config.reportOfficerNames,
  });
  const service = new CaseService(core);
  const work = new CaseWork(core);
  const reporting = new CaseReporting(core, service, work);
  const retention = new CaseRetention(core);
  const api: CasesApi = { service, work, reporting, retention, review: platform.review };
  platform.jobs.handle(purgeDueCasesJob, async () => {
    const result = await retention.purgeDue(retentionActor);
    if (result.failed.length)
      platform.logger.warn({ failed: result.failed }, 'cases: some due erasures failed');
  });
  let timer: NodeJS.Timeout | undefined;
  return {
    ...api,
    routes: async (app: App) => (await import('./routes.js')).casesRoutes(api)(app),
    summary: casesSummary(platform.database.db as Kysely<unknown>),
    search: (principal: Principal, text: string, limit: number) => service.search(principal, text, limit),
    /** The serve process queues the retention purge hourly (the workers run it). */
    start: () => {
      const enqueue = () =>
        platform.jobs
          .enqueue(purgeDueCasesJob, {})
          .catch((error) => platform.logger.warn({ err: error }, 'cases: retention purge not queued'));
      void enqueue();
      timer = setInterval(enqueue, 3_600_000);
      timer.unref();
    },
    stop: () => clearInterval(timer),
  };
}

export type CasesArea = ReturnType<typeof createCases>;
