/**
 * The one way the web app talks to the server: same-origin fetch, JSON in and out, the CSRF token on every
 * request that changes something, and errors turned into ApiError with the server's stable code.
 */
import type {
  ApiKey,
  AuditListResponse,
  AuditQuery,
  AuditVerifyResponse,
  CreateApiKeyRequest,
  CreateApiKeyResponse,
  CreateUserRequest,
  CreateUserResponse,
  HealthResponse,
  HomeResponse,
  Job,
  JobListResponse,
  Locale,
  LoginResponse,
  MeResponse,
  RolePolicy,
  SecondFactors,
  SecurityKey,
  TotpEnrolConfirmResponse,
  TotpEnrolStartResponse,
  UpdateUserRequest,
  User,
  WebauthnRegisterResponse,
} from './types.js';

/** An error answered by the server (or the network), carrying the code to show for support. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, status: number, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

/** Code used when the server could not be reached at all. */
export const NETWORK_ERROR_CODE = 'SVD_WEB_NETWORK';

let csrfToken: string | null = null;

/** Remembers the CSRF token from the latest /me, login, TOTP or password response. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The session's CSRF token, for requests that cannot go through `request` (uploads with progress, downloads). */
export function currentCsrfToken(): string | null {
  return csrfToken;
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

/** A JSON request to the server; pages with API modules of their own (e.g. evidence) build on it. */
export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    throw new ApiError(NETWORK_ERROR_CODE, cause instanceof Error ? cause.message : String(cause), 0);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const error = (parsed as ErrorBody | undefined)?.error;
    const code = typeof error?.code === 'string' ? error.code : `SVD_HTTP_${response.status}`;
    const message = typeof error?.message === 'string' ? error.message : response.statusText;
    const details =
      error?.details && typeof error.details === 'object'
        ? (error.details as Record<string, unknown>)
        : undefined;
    throw new ApiError(code, message, response.status, details);
  }
  const token = (parsed as { csrfToken?: unknown } | undefined)?.csrfToken;
  if (typeof token === 'string') setCsrfToken(token);
  return parsed as T;
}

/** A query string (`?a=1&b=x`, or nothing) from the parameters that have a value. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** One path segment, encoded. */
export const id = (value: string | number) => encodeURIComponent(String(value));

/** Typed calls, one per endpoint of the API contract. */
export const api = {
  health: () => request<HealthResponse>('GET', '/api/health'),
  home: () => request<HomeResponse>('GET', '/api/home'),

  me: () => request<MeResponse>('GET', '/api/auth/me'),
  login: (username: string, password: string) =>
    request<LoginResponse>('POST', '/api/auth/login', { username, password }),
  changePassword: (currentPassword: string, newPassword: string) =>
    request<LoginResponse>('POST', '/api/auth/password', { currentPassword, newPassword }),
  totpEnrolStart: () => request<TotpEnrolStartResponse>('POST', '/api/auth/totp/enrol/start', {}),
  totpEnrolConfirm: (code: string) =>
    request<TotpEnrolConfirmResponse>('POST', '/api/auth/totp/enrol/confirm', { code }),
  totp: (code: string) => request<LoginResponse>('POST', '/api/auth/totp', { code }),
  logout: () => request<void>('POST', '/api/auth/logout', {}),
  factors: () => request<SecondFactors>('GET', '/api/auth/factors'),
  /** Options for `navigator.credentials.create()`; the password is asked again once signed in. */
  webauthnRegisterOptions: (currentPassword?: string) =>
    request<{ options: unknown }>(
      'POST',
      '/api/auth/webauthn/register/options',
      currentPassword ? { currentPassword } : {},
    ),
  webauthnRegister: (name: string, response: unknown) =>
    request<WebauthnRegisterResponse>('POST', '/api/auth/webauthn/register/verify', { name, response }),
  webauthnAuthenticateOptions: () =>
    request<{ options: unknown }>('POST', '/api/auth/webauthn/authenticate/options', {}),
  webauthnAuthenticate: (response: unknown) =>
    request<LoginResponse>('POST', '/api/auth/webauthn/authenticate/verify', { response }),
  securityKeys: () => request<{ items: SecurityKey[] }>('GET', '/api/auth/webauthn/keys'),
  renameSecurityKey: (keyId: string, name: string) =>
    request<{ key: SecurityKey }>('PATCH', `/api/auth/webauthn/keys/${id(keyId)}`, { name }),
  removeSecurityKey: (keyId: string, currentPassword: string) =>
    request<void>('POST', `/api/auth/webauthn/keys/${id(keyId)}/remove`, { currentPassword }),
  rolePolicies: () => request<{ items: RolePolicy[] }>('GET', '/api/auth/policy'),
  setRolePolicy: (policy: RolePolicy) =>
    request<{ policy: RolePolicy }>('PUT', `/api/auth/policy/${id(policy.role)}`, {
      requireWebauthn: policy.requireWebauthn,
      allowTotp: policy.allowTotp,
    }),
  setLocale: (locale: Locale) => request<void>('POST', '/api/auth/locale', { locale }),

  users: () => request<{ items: User[] }>('GET', '/api/users'),
  createUser: (input: CreateUserRequest) => request<CreateUserResponse>('POST', '/api/users', input),
  updateUser: (userId: string, input: UpdateUserRequest) =>
    request<{ user: User }>('PATCH', `/api/users/${id(userId)}`, input),
  disableUser: (userId: string) => request<{ user: User }>('POST', `/api/users/${id(userId)}/disable`, {}),
  enableUser: (userId: string) => request<{ user: User }>('POST', `/api/users/${id(userId)}/enable`, {}),
  resetTotp: (userId: string) => request<{ user: User }>('POST', `/api/users/${id(userId)}/reset-2fa`, {}),
  resetPassword: (userId: string) =>
    request<{ oneTimePassword: string }>('POST', `/api/users/${id(userId)}/reset-password`, {}),

  apiKeys: () => request<{ items: ApiKey[] }>('GET', '/api/apikeys'),
  createApiKey: (input: CreateApiKeyRequest) => request<CreateApiKeyResponse>('POST', '/api/apikeys', input),
  revokeApiKey: (keyId: string) =>
    request<{ apiKey: ApiKey }>('POST', `/api/apikeys/${id(keyId)}/revoke`, {}),

  audit: (filters: AuditQuery) =>
    request<AuditListResponse>(
      'GET',
      `/api/audit${query(filters as Record<string, string | number | undefined>)}`,
    ),
  auditVerify: () => request<AuditVerifyResponse>('GET', '/api/audit/verify'),

  jobs: (state?: string) => request<JobListResponse>('GET', `/api/jobs${query({ state })}`),
  retryJob: (jobId: string) => request<{ job: Job }>('POST', `/api/jobs/${id(jobId)}/retry`, {}),
};
