/** Background jobs, visible to administrators. */
import { z } from 'zod';
import { ADMIN } from '../http/access-rules.js';
import type { App } from '../http/app.js';
import type { JobQueue } from './queue.js';

const states = ['queued', 'running', 'succeeded', 'dead', 'cancelled'] as const;
const jobSchema = z.object({
  id: z.string(),
  type: z.string(),
  state: z.enum(states),
  attempts: z.number(),
  maxAttempts: z.number(),
  runAt: z.string(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export function jobRoutes(queue: JobQueue) {
  return (app: App) => {
    app.get(
      '/api/jobs',
      {
        config: { access: { roles: ADMIN } },
        schema: {
          tags: ['jobs'],
          querystring: z.object({ state: z.enum(states).optional() }).strict(),
          response: {
            200: z.object({ items: z.array(jobSchema), counts: z.record(z.enum(states), z.number()) }),
          },
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
      async (request) => ({ job: await queue.retry(request.params.id) }),
    );
  };
}
