/** Background jobs, visible to administrators. */
import { z } from 'zod';
import type { AuditService } from '../audit/service.js';
import { actorOf } from '../auth/service.js';
import { ADMIN } from '../http/access-rules.js';
import type { App } from '../http/app.js';
import { jobListResponseSchema, jobSchema, jobStateSchema } from './model.js';
import type { JobQueue } from './queue.js';

export function jobRoutes(queue: JobQueue, audit: AuditService) {
  return (app: App) => {
    app.get(
      '/api/jobs',
      {
        config: { access: { roles: ADMIN } },
        schema: {
          tags: ['jobs'],
          querystring: z.object({ state: jobStateSchema.optional() }).strict(),
          response: { 200: jobListResponseSchema },
        },
      },
      async (request) => queue.list(request.query.state),
    );
    app.post(
      '/api/jobs/:id/retry',
      {
        config: { access: { roles: ADMIN } },
        schema: {
          tags: ['jobs'],
          params: z.object({ id: z.string().uuid() }).strict(),
          response: { 200: z.object({ job: jobSchema }) },
        },
      },
      async (request) => {
        const job = await queue.retry(request.params.id);
        await audit.record({
          actor: actorOf(request.principal!),
          action: 'job.retry',
          target: { type: 'job', id: job.id },
          details: { type: job.type },
        });
        return { job };
      },
    );
  };
}
