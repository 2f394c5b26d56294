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
  RolePolicy,
  SecondFactors,
  SecurityKey,
  SessionStage,
  totpEnrolConfirmResponseSchema,
  totpEnrolStartResponseSchema,
  User,
  updateUserRequestSchema,
  webauthnRegisterVerifyResponseSchema,
} from '@platform/auth/model.js';
import type { z } from 'zod';

export type {
  ApiKey,
  ApiKeyScope,
  AuditEntry,
  Locale,
  LoginResponse,
  MeResponse,
  Role,
  RolePolicy,
  SecondFactors,
  SecurityKey,
  SessionStage,
  User,
};
export type WebauthnRegisterResponse = z.infer<typeof webauthnRegisterVerifyResponseSchema>;

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

export type { HomeResponse } from '@platform/home.js';

export interface HealthResponse {
  status: 'ok';
  database: 'pglite' | 'postgres';
  version: string;
}

import type { JobState as ServerJobState } from '@platform/jobs/model.js';

export type { Job, JobListResponse, JobState } from '@platform/jobs/model.js';
/** The job states in display order; typed against the server's enum (only types cross over). */
export const jobStates = [
  'queued',
  'running',
  'succeeded',
  'dead',
  'cancelled',
] as const satisfies readonly ServerJobState[];
