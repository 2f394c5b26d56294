/** `sviedka serve`: the HTTP API, the web app and the job workers in one process. */
import path from 'node:path';
import { z } from 'zod';
import { areaHooks } from './areas.js';
import { writeAuditHead } from './platform/audit/head-file.js';
import { auditRoutes } from './platform/audit/routes.js';
import { authRoutes } from './platform/auth/routes.js';
import { type App, buildApp } from './platform/http/app.js';
import { jobRoutes } from './platform/jobs/routes.js';
import { purgeSessionsJob } from './platform/platform-jobs.js';
import { projectRoot, type Runtime, version } from './runtime.js';

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
    authRoutes(runtime.auth, runtime.access, runtime.config.secureCookies),
    auditRoutes(runtime.audit),
    jobRoutes(runtime.jobs, runtime.audit),
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
  for (const hooks of areaHooks(runtime.areas)) await hooks.start?.();
  let housekeeping: NodeJS.Timeout | undefined;
  if (runtime.config.workers) {
    runtime.jobs.start();
    const purge = () =>
      Promise.all([
        runtime.jobs.enqueue(purgeSessionsJob, {}),
        runtime.audit.head().then((head) => head && writeAuditHead(runtime.config.dataDir, head)),
      ]).catch((error) => runtime.logger.warn({ err: error }, 'housekeeping'));
    void purge();
    housekeeping = setInterval(purge, 3_600_000);
    housekeeping.unref();
  }
  return {
    url: `http://${host}:${port}`,
    app,
    close: async () => {
      clearInterval(housekeeping);
      await app.close();
      for (const hooks of areaHooks(runtime.areas).reverse()) await hooks.stop?.();
    },
  };
}
