/**
 * The platform services every area builds on. Areas depend on this interface, never on the composition root
 * (`src/runtime.ts`), which builds it and is imported by nobody.
 */
import type pino from 'pino';
import type { AuditService } from './audit/service.js';
import type { AccessService } from './auth/access.js';
import type { AuthService } from './auth/service.js';
import type { Config } from './config.js';
import type { KeyRing } from './crypto.js';
import type { Database } from './db/database.js';
import type { JobQueue } from './jobs/queue.js';
import type { ReportService } from './reports/service.js';
import type { ReviewService } from './review/service.js';

export interface Platform {
  config: Config;
  logger: pino.Logger;
  database: Database;
  keys: KeyRing;
  audit: AuditService;
  auth: AuthService;
  access: AccessService;
  jobs: JobQueue;
  /** Four-eyes review shared by cases and sanctions. */
  review: ReviewService;
  /** Issued reports (PDF + JSON twin): versions, verification codes, custody, verification. */
  reports: ReportService;
}
