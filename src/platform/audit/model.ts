/** Audit API shapes. */
import { z } from 'zod';

export const auditEntrySchema = z.object({
  seq: z.number(),
  at: z.string(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  actorLabel: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  outcome: z.enum(['ok', 'denied', 'failed']),
  purpose: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditQuerySchema = z
  .object({
    actor: z.string().max(200).optional(),
    action: z.string().max(200).optional(),
    target: z.string().max(200).optional(),
    outcome: z.enum(['ok', 'denied', 'failed']).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    before: z.coerce.number().int().positive().optional().describe('cursor: seq of the last row seen'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

export const auditListResponseSchema = z.object({
  items: z.array(auditEntrySchema),
  nextCursor: z.number().nullable(),
});

export const auditVerifyResponseSchema = z.object({
  ok: z.boolean(),
  checked: z.number(),
  head: z.object({ seq: z.number(), hash: z.string() }).nullable(),
  firstBroken: z.object({ seq: z.number(), reason: z.string() }).optional(),
  anchor: z
    .object({ seq: z.number(), recordedAt: z.string(), source: z.enum(['server', 'given']) })
    .nullable()
    .describe('the head recorded earlier that the chain was compared with'),
  anchorProblem: z.string().optional().describe('why the recorded head could not be trusted'),
  recorded: z
    .string()
    .optional()
    .describe('the signed head recorded after this verification; store a copy off the machine'),
});
