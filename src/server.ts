/** `sviedka serve`: the HTTP API, the web app and the job workers in one process. */
import path from 'node:path';
import { z } from 'zod';
import { areaHooks } from './areas.js';
import { demoState, handleDemoJobs } from './demo/seed.js';
import { auditRoutes } from './platform/audit/routes.js';
import { authRoutes } from './platform/auth/routes.js';
import { keyInsideDataDir } from './platform/config.js';
import { homeRoutes, type SummaryHook } from './platform/home.js';
import { type App, buildApp } from './platform/http/app.js';
import { jobRoutes } from './platform/jobs/routes.js';
import { projectRoot, version } from './platform/package-info.js';
import { purgeSessionsJob } from './platform/platform-jobs.js';
import { type SearchHook, searchRoutes } from './platform/search.js';
import type { Runtime } from './runtime.js';

/** How often a serving process moves the audit anchor to the newest row (when rows were written). */
const AUDIT_ANCHOR_INTERVAL_MS = 2 * 60_000;

/** Route registrations of every area, in one list: adding an area adds one line here. */
export function areaRoutes(runtime: Runtime): Array<(app: App) => Promise<void> | void> {
  return [
    (app) => {
      app.get(
        '/api/health',
        {
          config: { access: { public: true } },
          schema: {
            tags: ['platform'],
            response: {
              200: z.object({
                status: z.literal('ok'),
                database: z.enum(['pglite', 'postgres']),
                version: z.string(),
              }),
            },
          },
        },
        async () => ({ status: 'ok' as const, database: runtime.database.kind, version }),
      );
    },
    authRoutes(runtime, runtime.config.secureCookies),
    auditRoutes(runtime.audit, runtime.auditAnchor),
    jobRoutes(runtime.jobs, runtime.audit),
    homeRoutes(
      Object.entries(runtime.areas).flatMap(([name, hooks]) =>
        'summary' in hooks && hooks.summary ? [[name, hooks.summary as SummaryHook] as const] : [],
      ),
      runtime.jobs,
      runtime.logger,
      () => demoState(runtime),
    ),
    searchRoutes(
      Object.entries(runtime.areas).flatMap(([name, hooks]) =>
        'search' in hooks && hooks.search ? [[name, hooks.search as SearchHook] as const] : [],
      ),
      runtime.logger,
    ),
    ...areaHooks(runtime.areas).flatMap((hooks) => (hooks.routes ? [hooks.routes] : [])),
  ];
}

/** Builds the HTTP application for a runtime (tests use it with `inject`). */
export function createApp(
  runtime: Runtime,
  options: { logger?: boolean; webDist?: string } = {},
): Promise<App> {
  return buildApp({
    auth: runtime.auth,
    logger: options.logger === false ? false : runtime.logger,
    bodyLimitBytes: runtime.config.bodyLimitBytes,
    apiKeyRatePerMinute: runtime.config.apiKeyRatePerMinute,
    secureCookies: runtime.config.secureCookies,
    version,
    webDist: options.webDist ?? path.join(projectRoot, 'web', 'dist'),
    register: areaRoutes(runtime),
  });
}

/** Starts listening; returns the URL and a closer. */
export async function startServer(
  runtime: Runtime,
): Promise<{ url: string; app: App; close(): Promise<void> }> {
  const app = await createApp(runtime, { logger: true });
  await app.listen({ host: runtime.config.host, port: runtime.config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : runtime.config.port;
  const host = runtime.config.host.includes(':') ? `[${runtime.config.host}]` : runtime.config.host;
  if (keyInsideDataDir(runtime.config, runtime.keys.file))
    runtime.logger.warn(
      { keyFile: runtime.keys.file, dataDir: runtime.config.dataDir },
      'THE MASTER KEY IS INSIDE THE DATA DIRECTORY: a copy of the data directory (a backup, a seized disk) can decrypt everything. Keep the key elsewhere (SVIEDKA_MASTER_KEY_FILE on another volume, or SVIEDKA_MASTER_KEY from a secret store).',
    );
  for (const hooks of areaHooks(runtime.areas)) await hooks.start?.();
  let housekeeping: NodeJS.Timeout | undefined;
  let anchoring: NodeJS.Timeout | undefined;
  if (runtime.config.workers) {
    handleDemoJobs(runtime);
    runtime.jobs.start();
    const purge = () =>
      runtime.jobs
        .enqueue(purgeSessionsJob, {})
        .catch((error) => runtime.logger.warn({ err: error }, 'housekeeping'));
    void purge();
    housekeeping = setInterval(purge, 3_600_000);
    housekeeping.unref();
    // The anchor follows the log within minutes, so rows deleted from its end are noticed.
    const advance = () =>
      runtime.auditAnchor
        .advance(runtime.audit)
        .then((outcome) => {
          if (outcome.problem)
            runtime.logger.error({ problem: outcome.problem }, 'AUDIT ANCHOR NOT ADVANCED');
        })
        .catch((error) => runtime.logger.warn({ err: error }, 'audit anchor'));
    void advance();
    anchoring = setInterval(advance, AUDIT_ANCHOR_INTERVAL_MS);
    anchoring.unref();
  }
  return {
    url: `http://${host}:${port}`,
    app,
    close: async () => {
      clearInterval(housekeeping);
      clearInterval(anchoring);
      await app.close();
      for (const hooks of areaHooks(runtime.areas).reverse()) await hooks.stop?.();
    },
  };
}
