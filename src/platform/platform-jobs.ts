/** Housekeeping jobs of the platform itself. */
import { z } from 'zod';
import type { AuthService } from './auth/service.js';
import { defineJob, type JobQueue } from './jobs/queue.js';

export const purgeSessionsJob = defineJob('platform.sessions.purge', z.object({}).strict(), {
  maxAttempts: 3,
});

export function registerPlatformJobs(queue: JobQueue, deps: { auth: AuthService }): void {
  // Hourly housekeeping: expired sessions, and finished jobs older than a day.
  queue.handle(purgeSessionsJob, async () => {
    await deps.auth.purgeExpiredSessions();
    await queue.purgeFinished(24);
  });
}
