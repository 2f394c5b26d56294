/** Password hashing (argon2id), one-time passwords, recovery codes and TOTP. */
import { createHash } from 'node:crypto';
import argon2 from 'argon2';
import { Secret, TOTP } from 'otpauth';
import { randomBytes } from '../crypto.js';
import { AppError } from '../errors.js';

/**
 * argon2 is deliberately expensive; unbounded parallel logins would exhaust the CPU. At most
 * `ARGON2_CONCURRENCY` run at once, a bounded queue waits, and beyond it callers get "too many requests".
 */
const ARGON2_CONCURRENCY = 4;
const ARGON2_QUEUE = 200;
let running = 0;
const waiting: Array<() => void> = [];

async function limited<T>(work: () => Promise<T>): Promise<T> {
  if (running >= ARGON2_CONCURRENCY) {
    if (waiting.length >= ARGON2_QUEUE) throw new AppError('SVD_HTTP_RATE_LIMITED');
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password with argon2id (OWASP's recommended parameters). */
export function hashPassword(password: string): Promise<string> {
  return limited(() => argon2.hash(password, ARGON2_OPTIONS));
}

/** Verifies a password; false on any malformed hash. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  return limited(async () => {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  });
}

let dummyHash: Promise<string> | undefined;
/** Spends the same time as a real verification, so unknown user names are not revealed by timing. */
export async function verifyDummy(password: string): Promise<void> {
  dummyHash ??= hashPassword('dummy password for timing equalisation');
  await verifyPassword(await dummyHash, password);
}

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

function randomString(length: number): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  for (let i = 0; out.length < length; i++) {
    const value = bytes.readUInt16LE((i * 2) % bytes.length);
    // Rejection sampling keeps every character equally likely.
    if (value < 65536 - (65536 % ALPHABET.length)) out += ALPHABET[value % ALPHABET.length];
    if (i > length * 4) return out + randomString(length - out.length);
  }
  return out;
}

/** A one-time password of ~100 bits in readable groups (e.g. `k7m2p-...`). */
export function generateOneTimePassword(): string {
  return Array.from({ length: 4 }, () => randomString(5)).join('-');
}

/** Ten single-use recovery codes. */
export function generateRecoveryCodes(): string[] {
  return Array.from({ length: 10 }, () => `${randomString(5)}-${randomString(5)}`);
}

/** Recovery codes are high-entropy random strings, so a plain SHA-256 suffices to store them. */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(code.trim().toLowerCase()).digest('hex');
}

export const TOTP_PERIOD = 30;

/** A fresh TOTP secret (160 bits, base32). */
export function generateTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpFor(secretBase32: string, label = 'user') {
  return new TOTP({
    issuer: 'Sviedka',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** The otpauth:// URL and a locally rendered QR code SVG for enrolment. */
export async function totpEnrolment(secretBase32: string, username: string) {
  const otpauthUrl = totpFor(secretBase32, username).toString();
  // Loaded here: only enrolment draws a QR code, and every start would pay for loading it.
  const { default: QRCode } = await import('qrcode');
  const qrSvg = await QRCode.toString(otpauthUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { secret: secretBase32, otpauthUrl, qrSvg };
}

/**
 * Checks a 6-digit code (±1 period of clock drift). Returns the time step it matched, so the caller
 * can refuse a code already used (replay), or null.
 */
export function checkTotp(secretBase32: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(secretBase32).validate({ token: code, timestamp: now, window: 1 });
  if (delta === null) return null;
  return Math.floor(now / 1000 / TOTP_PERIOD) + delta;
}

/** The current code for a secret (tests and the CLI's self-check). */
export function currentTotp(secretBase32: string, now = Date.now()): string {
  return totpFor(secretBase32).generate({ timestamp: now });
}
