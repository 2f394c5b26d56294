/**
 * The coded error catalogue. Every error a user or API client can see has a stable code
 * (`SVD_<AREA>_<WHAT>`), an HTTP status and a message. Codes are never reused: retire a code by
 * leaving it in the catalogue with a comment, never by giving it a new meaning.
 */

export interface ErrorDefinition {
  status: number;
  message: string;
}

/**
 * Every code of every area, as a type: `src/error-catalogue.ts` adds the areas' catalogues to this
 * interface (declaration merging), so `new AppError('SVD_TYPO')` fails to compile while this file
 * imports no area. Nothing else may extend it.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by src/error-catalogue.ts
export interface ErrorCatalogue {}

/**
 * A code of the catalogue. A compilation that leaves src/error-catalogue.ts out (the web app's, which
 * only reads codes from responses) sees an empty catalogue and any string.
 */
export type ErrorCode = [keyof ErrorCatalogue] extends [never] ? string : keyof ErrorCatalogue & string;

const catalogue = new Map<string, ErrorDefinition>();

/** Registers an area's error codes. Throws on a duplicate code so a reused code fails at start-up. */
export function defineErrors<const T extends Record<string, ErrorDefinition>>(definitions: T): T {
  for (const [code, definition] of Object.entries(definitions)) {
    if (!/^SVD_[A-Z0-9]+_[A-Z0-9_]+$/.test(code)) throw new Error(`Malformed error code ${code}`);
    const existing = catalogue.get(code);
    if (existing && (existing.status !== definition.status || existing.message !== definition.message)) {
      throw new Error(`Error code ${code} is defined twice`);
    }
    catalogue.set(code, definition);
  }
  return definitions;
}

/** All registered codes, for the documentation page and tests. */
export function errorCatalogue(): ReadonlyMap<string, ErrorDefinition> {
  return catalogue;
}

/** An error that is safe to show: it carries a catalogue code and optional structured details. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    options: { message?: string; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    const definition = catalogue.get(code);
    if (!definition) throw new Error(`Unknown error code ${code}`);
    super(options.message ?? definition.message, { cause: options.cause });
    this.code = code;
    this.status = definition.status;
    this.details = options.details;
  }
}

/** True when `error` is an AppError with the given code. */
export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}

export const platformErrors = defineErrors({
  SVD_HTTP_BAD_JSON: { status: 400, message: 'The request body is not valid JSON.' },
  SVD_HTTP_VALIDATION: { status: 400, message: 'The request does not match the expected shape.' },
  SVD_HTTP_UNSAFE_TEXT: {
    status: 400,
    message: 'The request contains a control character, a bidirectional override or broken text.',
  },
  SVD_HTTP_URL_TOO_LONG: { status: 414, message: 'The address of the request is too long.' },
  SVD_HTTP_HEADERS_TOO_LARGE: { status: 431, message: 'The request headers are too large.' },
  SVD_HTTP_BAD_REQUEST: { status: 400, message: 'The request could not be read.' },
  SVD_HTTP_TIMEOUT: { status: 408, message: 'The request took too long to arrive.' },
  SVD_HTTP_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  SVD_HTTP_UNSUPPORTED_MEDIA: { status: 415, message: 'This content type is not accepted here.' },
  SVD_HTTP_NOT_FOUND: { status: 404, message: 'Not found.' },
  SVD_HTTP_METHOD: { status: 405, message: 'Method not allowed.' },
  SVD_HTTP_RATE_LIMITED: { status: 429, message: 'Too many requests; try again later.' },
  SVD_HTTP_INTERNAL: { status: 500, message: 'Something went wrong on the server. The error was logged.' },
  SVD_AUTH_REQUIRED: { status: 401, message: 'Log in to continue.' },
  SVD_AUTH_BAD_CREDENTIALS: { status: 401, message: 'Wrong user name or password.' },
  SVD_AUTH_LOCKED: { status: 429, message: 'Too many failed attempts. Try again later.' },
  SVD_AUTH_THROTTLED: {
    status: 429,
    message: 'Too many failed sign-ins from here or overall. Try again in a few minutes.',
  },
  SVD_AUTH_TOTP_INVALID: { status: 401, message: 'The code is not valid. Check the time on your device.' },
  SVD_AUTH_STAGE: { status: 403, message: 'Finish the login steps first (password change or 2FA).' },
  SVD_AUTH_CSRF: { status: 403, message: 'The request lacks a valid CSRF token. Reload the page.' },
  SVD_AUTH_WEAK_PASSWORD: { status: 400, message: 'The password must have at least 12 characters.' },
  SVD_AUTH_SAME_PASSWORD: { status: 400, message: 'Choose a password different from the current one.' },
  SVD_AUTH_USER_EXISTS: { status: 409, message: 'A user with this name already exists.' },
  SVD_AUTH_PURPOSE_REQUIRED: {
    status: 400,
    message: 'This call reads personal data: give the purpose of the request (header X-Purpose).',
  },
  SVD_AUTH_API_KEY_INVALID: { status: 401, message: 'The API key is not valid or was revoked.' },
  SVD_AUTH_NOT_ENROLLED: { status: 400, message: 'Two-factor authentication is not being enrolled.' },
  SVD_AUTH_TOTP_NOT_ALLOWED: {
    status: 403,
    message:
      'Authenticator-app codes are switched off for your role: use your security key or a recovery code.',
  },
  SVD_AUTH_WEBAUTHN_UNAVAILABLE: {
    status: 400,
    message:
      "Security keys work only at the server's public address (setting publicUrl), or at http://localhost.",
  },
  SVD_AUTH_WEBAUTHN_CHALLENGE: {
    status: 400,
    message: 'The security key request expired or was already answered. Start again.',
  },
  SVD_AUTH_WEBAUTHN_FAILED: {
    status: 401,
    message: "The security key's answer could not be verified. Try again, or use another key.",
  },
  SVD_AUTH_WEBAUTHN_REGISTERED: { status: 409, message: 'This security key is already registered.' },
  SVD_AUTH_LAST_FACTOR: {
    status: 409,
    message: 'Your role requires a security key and this is your last one: add another before removing it.',
  },
  SVD_CONFIG_INVALID: { status: 500, message: 'The configuration is invalid.' },
  SVD_DB_LOCKED: { status: 500, message: 'The data directory is in use by another Sviedka process.' },
  SVD_CRYPTO_KEY: { status: 500, message: 'The encryption key is missing or invalid.' },
  SVD_CRYPTO_KEY_FILE_EXISTS: {
    status: 409,
    message: 'The master key file already exists; it is never overwritten.',
  },
  SVD_CRYPTO_KEY_FILE_WRITE: { status: 500, message: 'The master key file could not be written.' },
  SVD_CRYPTO_DECRYPT: { status: 500, message: 'A protected value could not be decrypted.' },
  SVD_JOBS_UNKNOWN_TYPE: { status: 400, message: 'Unknown job type.' },
  SVD_AUDIT_BROKEN: { status: 500, message: 'The audit chain is broken.' },
  SVD_AUDIT_ANCHOR_LOST: {
    status: 500,
    message: 'The recorded audit head is missing or was tampered with; the log end cannot be verified.',
  },
  SVD_AUDIT_HEAD_MALFORMED: { status: 400, message: 'This is not a signed audit head.' },
  SVD_AUDIT_NO_HEAD: { status: 404, message: 'No audit head has been recorded yet.' },
});
