/**
 * Four-eyes review: error codes and the shapes the owning areas (cases, sanctions) and their web pages
 * share. A subject is whatever an area asks a second officer to approve: `{ type: 'case', id }`.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../audit/chain.js';
import type { Principal } from '../auth/model.js';
import { defineErrors } from '../errors.js';

export const reviewErrors = defineErrors({
  SVD_REVIEW_SELF_APPROVAL: {
    status: 403,
    message: 'You wrote or edited this content: a different reviewer must approve it.',
  },
  SVD_REVIEW_STALE: {
    status: 409,
    message: 'The content changed after you read it: review the current version and decide again.',
  },
  SVD_REVIEW_APPROVER: {
    status: 403,
    message: 'Only a reviewer or administrator signed in with a personal account may approve.',
  },
  SVD_REVIEW_NOTHING: { status: 409, message: 'There is no content to review yet.' },
  SVD_REVIEW_ALREADY_APPROVED: { status: 409, message: 'You have already approved this version.' },
  SVD_REVIEW_NOT_APPROVED: {
    status: 409,
    message: 'The current content has not been approved by a second officer.',
  },
  SVD_REVIEW_COMMENT_REQUIRED: {
    status: 400,
    message: 'Say what must change: returning content for changes requires a comment.',
  },
});

export interface ReviewSubject {
  type: string;
  id: string;
}

/**
 * The hash an approval is bound to: SHA-256 over the canonical JSON of the content (object keys sorted
 * at every depth), so the same content always gives the same hash whatever the key order.
 */
export function reviewContentHash(content: unknown): string {
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** The stable key of a principal in contributor and reviewer columns. */
export function principalKey(principal: Principal): string {
  if (principal.type === 'system') return `system:${principal.label}`;
  return `${principal.type}:${principal.id}`;
}

export const reviewDecisionSchema = z.object({
  id: z.string(),
  decision: z.enum(['approved', 'returned']),
  contentHash: z.string(),
  reviewer: z.string(),
  reviewerLabel: z.string().nullable(),
  comment: z.string().nullable(),
  decidedAt: z.string(),
  voidedAt: z.string().nullable(),
  voidReason: z.string().nullable(),
});
export type ReviewDecision = z.infer<typeof reviewDecisionSchema>;

export const reviewStatusSchema = z.object({
  contentHash: z.string().nullable(),
  contributors: z.array(z.string()),
  /** Approvals that count now: not voided, bound to the current hash. */
  approvals: z.array(reviewDecisionSchema),
  approved: z.boolean(),
  required: z.number().int(),
  /** Every decision, newest first (voided ones included). */
  history: z.array(reviewDecisionSchema),
});
export type ReviewStatus = z.infer<typeof reviewStatusSchema>;

/** What a reviewer sends: the hash of the content they read, and an optional (or required) comment. */
export const reviewDecisionRequestSchema = z
  .object({
    contentHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .describe('the contentHash of the version the reviewer read'),
    comment: z.string().trim().max(5000).optional(),
  })
  .strict();
