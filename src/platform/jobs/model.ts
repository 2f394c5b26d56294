/** Job API shapes (shared with the web app). */
import { z } from 'zod';

export const jobStates = ['queued', 'running', 'succeeded', 'dead', 'cancelled'] as const;
export const jobStateSchema = z.enum(jobStates);
export type JobState = z.infer<typeof jobStateSchema>;

export const jobSchema = z.object({
  id: z.string(),
  type: z.string(),
  state: jobStateSchema,
  attempts: z.number(),
  maxAttempts: z.number(),
  runAt: z.string(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Job = z.infer<typeof jobSchema>;

export const jobListResponseSchema = z.object({
  items: z.array(jobSchema),
  counts: z.record(jobStateSchema, z.number()),
});
export type JobListResponse = z.infer<typeof jobListResponseSchema>;
