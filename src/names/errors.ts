/**
 * Error catalogue of the names area. Codes are stable and never reused: callers (the screening API,
 * the CLI) show them to users and may branch on them.
 */

export type NameErrorCode =
  | 'SVD_NAMES_EMPTY'
  | 'SVD_NAMES_TOO_LONG'
  | 'SVD_NAMES_CONTROL_CHARS'
  | 'SVD_NAMES_NO_LETTERS';

/** A rejected name: a stable code and a human-readable message. */
export interface NameError {
  readonly ok: false;
  readonly code: NameErrorCode;
  readonly message: string;
}

/** Longest name (in UTF-16 code units, after cleaning) that `normalizeName` accepts. */
export const MAX_NAME_LENGTH = 300;

const MESSAGES: Record<NameErrorCode, string> = {
  SVD_NAMES_EMPTY: 'The name is empty or contains only whitespace.',
  SVD_NAMES_TOO_LONG: `The name is longer than ${MAX_NAME_LENGTH} characters.`,
  SVD_NAMES_CONTROL_CHARS: 'The name contains control characters.',
  SVD_NAMES_NO_LETTERS: 'The name contains no letters.',
};

/** Builds the error object for `code`. */
export function nameError(code: NameErrorCode): NameError {
  return { ok: false, code, message: MESSAGES[code] };
}

/** Narrows a result of `normalizeName` to the error case. */
export function isNameError(value: unknown): value is NameError {
  return typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false;
}
