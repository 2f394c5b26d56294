/**
 * Accounts, sessions and API keys: the Zod schemas that validate requests, type the code and feed the
 * OpenAPI document. The web app imports these types; nothing is copied by hand.
 */
import { z } from 'zod';
import { unsafeCharacter } from '../text-safety.js';
import { locales, roles } from './roles.js';

export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

/** Roles that must use two-factor authentication (an authenticator app, a security key, or both). */
export const rolesRequiringTotp: readonly Role[] = ['admin', 'analyst', 'reviewer'];

export const localeSchema = z.enum(locales);
export type Locale = z.infer<typeof localeSchema>;

/**
 * Where a logged-in session stands; only `ok` may use the application. `totp`: the second factor is an
 * authenticator-app (or recovery) code; `webauthn`: the user has security keys, offered first;
 * `totp_enrol` / `webauthn_enrol`: the account must set up the factor its role's policy asks for.
 */
export const sessionStageSchema = z.enum([
  'password_change',
  'totp',
  'totp_enrol',
  'webauthn',
  'webauthn_enrol',
  'ok',
]);
export type SessionStage = z.infer<typeof sessionStageSchema>;

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, 'letters, digits, dot, dash or underscore; 2–63 characters');
/** Text a person can type: no NUL or other control characters, no bidi overrides, no broken UTF-16. */
const typedText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => !unsafeCharacter(value), { message: 'contains characters that cannot be typed' });

export const passwordSchema = typedText(1024).pipe(z.string().min(1));

export const userSchema = z.object({
  id: z.string().uuid(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  locale: localeSchema,
  totpEnabled: z.boolean(),
  securityKeys: z.number().int().optional().describe('registered security keys (in the user list)'),
  mustChangePassword: z.boolean(),
  disabled: z.boolean(),
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

export const meResponseSchema = z.object({
  user: userSchema.nullable(),
  stage: sessionStageSchema.nullable(),
  csrfToken: z.string(),
});
export type MeResponse = z.infer<typeof meResponseSchema>;

export const loginRequestSchema = z.object({ username: typedText(200), password: passwordSchema }).strict();
export const loginResponseSchema = z.object({
  stage: sessionStageSchema,
  user: userSchema,
  csrfToken: z.string(),
});
export type LoginResponse = z.infer<typeof loginResponseSchema>;

export const totpRequestSchema = z
  .object({ code: z.string().trim().min(6).max(32).describe('6-digit TOTP code or a recovery code') })
  .strict();

export const changePasswordRequestSchema = z
  .object({ currentPassword: passwordSchema, newPassword: passwordSchema })
  .strict();

export const totpEnrolStartResponseSchema = z.object({
  secret: z.string().describe('base32 secret for manual entry'),
  otpauthUrl: z.string(),
  qrSvg: z.string().describe('SVG markup of the QR code (rendered locally, no external service)'),
});
export const totpEnrolConfirmResponseSchema = z.object({
  recoveryCodes: z.array(z.string()).describe('shown once; each works once'),
  stage: sessionStageSchema,
});

// WebAuthn (security keys and passkeys)

/** A ceremony's answer from the browser (`@simplewebauthn/browser`); its inside is checked by the verifier. */
const webauthnResponseSchema = z
  .object({
    id: z.string().min(1).max(1400),
    rawId: z.string().min(1).max(1400),
    type: z.literal('public-key'),
    response: z.record(z.string(), z.unknown()),
    clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
    authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  })
  .passthrough();

export const securityKeyNameSchema = typedText(100).pipe(z.string().trim().min(1));

export const webauthnRegisterOptionsRequestSchema = z
  .object({
    currentPassword: passwordSchema
      .optional()
      .describe('needed once signed in: a stolen session alone must not add a key'),
  })
  .strict();
export const webauthnRegisterVerifyRequestSchema = z
  .object({ name: securityKeyNameSchema, response: webauthnResponseSchema })
  .strict();
export const webauthnAuthenticateVerifyRequestSchema = z
  .object({ response: webauthnResponseSchema })
  .strict();
/** `PublicKeyCredentialCreationOptionsJSON` / `…RequestOptionsJSON`, passed to the browser as they are. */
export const webauthnOptionsResponseSchema = z.object({ options: z.record(z.string(), z.unknown()) });

export const securityKeySchema = z.object({
  id: z.string().uuid(),
  name: z.string(),
  transports: z.array(z.string()),
  passkey: z.boolean().describe('synced between devices (multi-device credential)'),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export type SecurityKey = z.infer<typeof securityKeySchema>;

export const webauthnRegisterVerifyResponseSchema = z.object({
  key: securityKeySchema,
  recoveryCodes: z
    .array(z.string())
    .optional()
    .describe('only when the account had none: shown once; each works once'),
  stage: sessionStageSchema,
  csrfToken: z.string(),
});

export const renameSecurityKeyRequestSchema = z.object({ name: securityKeyNameSchema }).strict();
export const removeSecurityKeyRequestSchema = z.object({ currentPassword: passwordSchema }).strict();

/** What the signed-in (or signing-in) user may use as a second factor. */
export const secondFactorsSchema = z.object({
  securityKeys: z.number().int().describe('registered security keys and passkeys'),
  webauthnAvailable: z.boolean().describe('this address can use security keys (see publicUrl)'),
  totpEnrolled: z.boolean(),
  totpAllowed: z.boolean().describe('authenticator-app codes sign in for this role'),
  requireWebauthn: z.boolean().describe('the role requires a security key'),
  recoveryCodesLeft: z.number().int(),
});
export type SecondFactors = z.infer<typeof secondFactorsSchema>;

export const staffRoles = ['admin', 'analyst', 'reviewer'] as const satisfies readonly Role[];
export const staffRoleSchema = z.enum(staffRoles);
export const rolePolicySchema = z.object({
  role: staffRoleSchema,
  requireWebauthn: z.boolean(),
  allowTotp: z.boolean(),
});
export type RolePolicy = z.infer<typeof rolePolicySchema>;
/** What a role's sign-in asks for. */
export interface EffectivePolicy {
  requireWebauthn: boolean;
  allowTotp: boolean;
}

/** A role's policy from its row; roles without one (and partners, who never sign in) get the defaults. */
export function policyOf(
  role: Role,
  row: { require_webauthn: boolean; allow_totp: boolean } | undefined,
): EffectivePolicy {
  if (!row || role === 'partner') return { requireWebauthn: false, allowTotp: true };
  // The table's check keeps codes on wherever keys are optional; read defensively all the same.
  return { requireWebauthn: row.require_webauthn, allowTotp: row.allow_totp || !row.require_webauthn };
}

export const setRolePolicyRequestSchema = z
  .object({ requireWebauthn: z.boolean(), allowTotp: z.boolean() })
  .strict()
  .refine((policy) => policy.allowTotp || policy.requireWebauthn, {
    message: 'authenticator-app codes can be switched off only where a security key is required',
    path: ['allowTotp'],
  });

export const createUserRequestSchema = z
  .object({
    username: usernameSchema,
    displayName: z.string().trim().min(1).max(200),
    role: roleSchema,
    locale: localeSchema.default('be'),
  })
  .strict();
export const createUserResponseSchema = z.object({
  user: userSchema,
  oneTimePassword: z.string().describe('shown once; the user must change it at first login'),
});

export const updateUserRequestSchema = z
  .object({
    displayName: z.string().trim().min(1).max(200).optional(),
    role: roleSchema.optional(),
    locale: localeSchema.optional(),
  })
  .strict();

export const setLocaleRequestSchema = z.object({ locale: localeSchema }).strict();

export const apiKeyScopes = ['screening', 'registry:read', 'verification', 'evidence:submit'] as const;
export const apiKeyScopeSchema = z.enum(apiKeyScopes);
export type ApiKeyScope = z.infer<typeof apiKeyScopeSchema>;

export const apiKeySchema = z.object({
  id: z.string().uuid(),
  name: z.string(),
  organization: z.string(),
  prefix: z.string(),
  scopes: z.array(apiKeyScopeSchema),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiKey = z.infer<typeof apiKeySchema>;

export const createApiKeyRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    organization: z.string().trim().min(1).max(200),
    scopes: z.array(apiKeyScopeSchema).min(1),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict();
export const createApiKeyResponseSchema = z.object({
  apiKey: apiKeySchema,
  secret: z.string().describe('shown once: send as `Authorization: Bearer <secret>`'),
});

export const grantSchema = z.object({
  principalType: z.enum(['user', 'apikey']),
  principalId: z.string().uuid(),
  resourceType: z.string().min(1).max(50),
  resourceId: z.string().min(1).max(200),
});
export type Grant = z.infer<typeof grantSchema>;

/** Who is calling. Every service call receives one and authorizes against it. */
export type Principal =
  | {
      type: 'user';
      id: string;
      username: string;
      role: Role;
      /** Why the user reads what this request reads, when they said (header X-Purpose). */
      purpose?: string | null;
    }
  | {
      type: 'apikey';
      id: string;
      name: string;
      organization: string;
      scopes: ApiKeyScope[];
      purpose: string | null;
    }
  | { type: 'system'; label: string };
