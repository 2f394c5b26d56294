/**
 * The composition root: opens the database, applies migrations, loads keys and builds every service
 * with exactly the dependencies it uses. The server, the CLI and the tests all start from here.
 */
import pino from 'pino';
import type { AreaName, Areas } from './areas.js';
import { AuditAnchor } from './platform/audit/anchor.js';
import { AuditService } from './platform/audit/service.js';
import { AccessService } from './platform/auth/access.js';
import { RolePolicyService } from './platform/auth/role-policy.js';
import { SecurityKeyService } from './platform/auth/security-keys.js';
import { AuthService } from './platform/auth/service.js';
import { SignInGuard } from './platform/auth/sign-in-guard.js';
import { AuthStore } from './platform/auth/store.js';
import type { Config } from './platform/config.js';
import { cryptoReady, KeyRing } from './platform/crypto.js';
import { type Database, openDatabase } from './platform/db/database.js';
import { migrate } from './platform/db/migrate.js';
import { JobQueue } from './platform/jobs/queue.js';
import { checkKeys } from './platform/keys.js';
import type { Platform } from './platform/platform.js';
import { registerPlatformJobs } from './platform/platform-jobs.js';
import { ReportService } from './platform/reports/service.js';
import { ReviewService } from './platform/review/service.js';

export interface Runtime<N extends AreaName = AreaName> extends Platform {
  /** The areas opened: all of them unless `openRuntime` was given a list (with what they depend on). */
  areas: Pick<Areas, N>;
  /** The audit head kept outside the audit table (verify, periodic advance, `audit head`). */
  auditAnchor: AuditAnchor;
  /** Security keys and passkeys (WebAuthn) of staff accounts. */
  securityKeys: SecurityKeyService;
  /** The sign-in policy per staff role. */
  rolePolicy: RolePolicyService;
  close(): Promise<void>;
}

/**
 * Opens everything a command needs: the platform and the areas named in `areas` (every area when
 * omitted; `[]` for none). `database` may be given (tests pass an already open one).
 */
export async function openRuntime<N extends AreaName = AreaName>(
  config: Config,
  options: { database?: Database; logger?: pino.Logger; migrate?: boolean; areas?: readonly N[] } = {},
): Promise<Runtime<N>> {
  // Logs go to stderr as JSON; stdout is kept for what a person at the terminal needs to read.
  const logger = options.logger ?? pino({ level: config.logLevel, base: undefined }, pino.destination(2));
  // Opening the embedded database is the longest step of a start; the areas' wiring loads meanwhile,
  // with every area's error codes (registered before any area code can throw one).
  const opening = options.database ? Promise.resolve(options.database) : openDatabase(config);
  const loading = Promise.all([import('./areas.js'), import('./error-catalogue.js'), cryptoReady()]);
  const database = await opening.catch(async (error: unknown) => {
    await loading.catch(() => undefined);
    throw error;
  });
  try {
    const [{ createAreas }] = await loading;
    if (options.migrate !== false) await migrate(database.db);
    const keys = KeyRing.load(config);
    await checkKeys(database.db, keys);
    const audit = new AuditService(database.db, keys.auditKey(), keys);
    const authStore = new AuthStore(database.db);
    const auth = new AuthService(authStore, audit, keys, config, new SignInGuard());
    const access = new AccessService(authStore, audit);
    const jobs = new JobQueue(database.db, {
      onError: (error, job) => logger.warn({ job: job.id, type: job.type, err: error }, 'job failed'),
    });
    registerPlatformJobs(jobs, { auth });
    const review = new ReviewService(database.db, audit);
    const reports = new ReportService(database.db, audit);
    const platform: Platform = { config, logger, database, keys, audit, auth, access, jobs, review, reports };
    const areas = await createAreas(platform, options.areas);
    return {
      ...platform,
      areas,
      auditAnchor: new AuditAnchor(database.db, config.dataDir, keys.auditKey()),
      securityKeys: new SecurityKeyService(authStore, audit, keys, auth, config.publicUrl),
      rolePolicy: new RolePolicyService(authStore, audit),
      close: async () => {
        await jobs.stop();
        if (!options.database) await database.close();
      },
    };
  } catch (error) {
    if (!options.database) await database.close();
    throw error;
  }
}
