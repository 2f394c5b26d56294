/**
 * The shapes the web app exchanges with the server, derived from the server's own Zod schemas so a change
 * on one side is a type error on the other. Only types cross over: nothing server-side is bundled.
 */

import type {
  AuditEntry,
  auditListResponseSchema,
  auditQuerySchema,
  auditVerifyResponseSchema,
} from '@platform/audit/model.js';
import type {
  ApiKey,
  ApiKeyScope,
  createApiKeyRequestSchema,
  createApiKeyResponseSchema,
  createUserRequestSchema,
  createUserResponseSchema,
  Locale,
  LoginResponse,
  MeResponse,
  Role,
  SessionStage,
  totpEnrolConfirmResponseSchema,
  totpEnrolStartResponseSchema,
  User,
  updateUserRequestSchema,
} from '@platform/auth/model.js';
import type { z } from 'zod';

export type { ApiKey, ApiKeyScope, AuditEntry, Locale, LoginResponse, MeResponse, Role, SessionStage, User };

export type CreateUserRequest = z.input<typeof createUserRequestSchema>;
export type CreateUserResponse = z.infer<typeof createUserResponseSchema>;
export type UpdateUserRequest = z.input<typeof updateUserRequestSchema>;
export type CreateApiKeyRequest = z.input<typeof createApiKeyRequestSchema>;
export type CreateApiKeyResponse = z.infer<typeof createApiKeyResponseSchema>;
export type TotpEnrolStartResponse = z.infer<typeof totpEnrolStartResponseSchema>;
export type TotpEnrolConfirmResponse = z.infer<typeof totpEnrolConfirmResponseSchema>;
export type AuditListResponse = z.infer<typeof auditListResponseSchema>;
export type AuditQuery = Partial<z.input<typeof auditQuerySchema>>;
export type AuditVerifyResponse = z.infer<typeof auditVerifyResponseSchema>;
export type AuditOutcome = AuditEntry['outcome'];

export interface HealthResponse {
  status: 'ok';
  database: 'pglite' | 'postgres';
  version: string;
}

/*
 * Jobs: the server has no shared schema for these yet (src/platform/jobs is being written); replace these
 * two types with `z.infer` of its schemas once it exports them.
 */
export const jobStates = ['queued', 'running', 'succeeded', 'dead', 'cancelled'] as const;
export type JobState = (typeof jobStates)[number];
export interface Job {
  id: string;
  type: string;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}
export interface JobListResponse {
  items: Job[];
  counts: Record<JobState, number>;
}
