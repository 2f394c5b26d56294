/**
 * Settings of the bot area, read from the environment (the platform configuration stays the
 * integrator's). Every entry names its variable so a bad value fails start-up with one clear line.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../platform/errors.js';
import './model.js';

export interface BotSettings {
  /** Bot token, or undefined when the bot is not configured (the API and web pages still work). */
  token: string | undefined;
  /** Bot API root without trailing slash (a local Bot API server or a test emulator). */
  apiRoot: string;
  /** The API root is a local Bot API server (`--local`): files up to 2 GB, absolute file paths. */
  localServer: boolean;
  publicKeyFile: string;
  secretKeyFile: string;
  /** Base64 keys from the environment override the files. */
  publicKey: string | undefined;
  secretKey: string | undefined;
  /** Default broadcast rate (messages per second). */
  rate: number;
  /** Paid broadcasts enabled in @BotFather: allows rates up to 1000/s (`allow_paid_broadcast`). */
  paidBroadcasts: boolean;
  /** How long a claimed delivery is leased before another worker may declare it unknown. */
  leaseSeconds: number;
  /** Timeout of one Bot API send; an unanswered request past it is an unknown outcome. */
  requestTimeoutMs: number;
  /** Per-recipient rows of a finished broadcast are deleted this long after it ends. */
  pruneAfterSeconds: number;
  /** Delete the citizen's message from the chat after its file was stored. */
  deleteEvidenceMessages: boolean;
  /** Where received files wait when the evidence vault is not available. */
  inboxDir: string;
  /** Run polling and the broadcast worker inside `sviedka serve`. */
  inServe: boolean;
  /** The citizen submission page (from the server's public URL), offered for files too large for the bot. */
  submitUrl?: string;
}

/** The bot settings with their variables and defaults, for the README table. */
export const botSettingsTable: ReadonlyArray<{ env: string; default: string; description: string }> = [
  { env: 'TELEGRAM_BOT_TOKEN', default: '', description: 'Bot token from @BotFather.' },
  {
    env: 'TELEGRAM_BOT_TOKEN_FILE',
    default: '',
    description: 'File holding the bot token (instead of the variable).',
  },
  {
    env: 'TELEGRAM_API_ROOT',
    default: 'https://api.telegram.org',
    description: 'Bot API address: a local Bot API server (files up to 2 GB) or a test server.',
  },
  {
    env: 'TELEGRAM_LOCAL_SERVER',
    default: 'false',
    description: 'The API root is a local Bot API server (--local).',
  },
  {
    env: 'SVIEDKA_BOT_PUBLIC_KEY / _FILE',
    default: '<data>/keys/broadcast.public',
    description: 'Public key sealing chat ids (the bot process needs only this).',
  },
  {
    env: 'SVIEDKA_BOT_SECRET_KEY / _FILE',
    default: '<data>/keys/broadcast.secret',
    description: 'Secret key opening chat ids (only the broadcast worker loads it).',
  },
  {
    env: 'SVIEDKA_BROADCAST_RATE',
    default: '30',
    description: 'Default broadcast rate, messages per second.',
  },
  {
    env: 'SVIEDKA_BROADCAST_PAID',
    default: 'false',
    description: 'Paid broadcasts are enabled for the bot: rates up to 1000/s with allow_paid_broadcast.',
  },
  { env: 'SVIEDKA_BROADCAST_LEASE_SECONDS', default: '30', description: 'Lease of a claimed delivery.' },
  { env: 'SVIEDKA_BROADCAST_TIMEOUT_MS', default: '10000', description: 'Timeout of one send request.' },
  {
    env: 'SVIEDKA_BROADCAST_PRUNE_AFTER_SECONDS',
    default: '172800',
    description: 'Per-recipient rows of a finished broadcast are deleted after this (counts are kept).',
  },
  {
    env: 'SVIEDKA_BOT_DELETE_EVIDENCE_MESSAGES',
    default: 'true',
    description: "Delete the citizen's message from the chat once its file is stored.",
  },
  {
    env: 'SVIEDKA_BOT_IN_SERVE',
    default: 'false',
    description: 'Run the bot and broadcast worker inside serve.',
  },
];

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (['true', '1', 'yes'].includes(value)) return true;
  if (['false', '0', 'no'].includes(value)) return false;
  throw new AppError('SVD_CONFIG_INVALID', { message: `invalid setting ${name}: must be true or false` });
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new AppError('SVD_CONFIG_INVALID', {
      message: `invalid setting ${name}: must be a whole number from ${min} to ${max}`,
    });
  return n;
}

/** Reads the bot settings from `env` for a data directory. */
export function loadBotSettings(dataDir: string, env: NodeJS.ProcessEnv = process.env): BotSettings {
  let token = env.TELEGRAM_BOT_TOKEN?.trim() || undefined;
  const tokenFile = env.TELEGRAM_BOT_TOKEN_FILE?.trim();
  if (!token && tokenFile) {
    if (!existsSync(tokenFile))
      throw new AppError('SVD_CONFIG_INVALID', {
        message: `invalid setting TELEGRAM_BOT_TOKEN_FILE: ${tokenFile} does not exist`,
      });
    token = readFileSync(tokenFile, 'utf8').trim() || undefined;
  }
  if (token && !/^\d+:[A-Za-z0-9_-]+$/.test(token))
    throw new AppError('SVD_CONFIG_INVALID', {
      message: 'invalid setting TELEGRAM_BOT_TOKEN: malformed token',
    });
  const apiRoot = (env.TELEGRAM_API_ROOT?.trim() || 'https://api.telegram.org').replace(/\/+$/, '');
  if (!/^https?:\/\//.test(apiRoot))
    throw new AppError('SVD_CONFIG_INVALID', {
      message: 'invalid setting TELEGRAM_API_ROOT: must be an http(s) URL',
    });
  const paidBroadcasts = bool(env, 'SVIEDKA_BROADCAST_PAID', false);
  const leaseSeconds = int(env, 'SVIEDKA_BROADCAST_LEASE_SECONDS', 30, 1, 3600);
  const requestTimeoutMs = int(env, 'SVIEDKA_BROADCAST_TIMEOUT_MS', 10_000, 100, 120_000);
  if (leaseSeconds * 1000 < requestTimeoutMs + 1000)
    throw new AppError('SVD_CONFIG_INVALID', {
      message:
        'invalid setting SVIEDKA_BROADCAST_LEASE_SECONDS: must exceed the send timeout by at least a second',
    });
  return {
    token,
    apiRoot,
    localServer: bool(env, 'TELEGRAM_LOCAL_SERVER', false),
    publicKeyFile: env.SVIEDKA_BOT_PUBLIC_KEY_FILE?.trim() || path.join(dataDir, 'keys', 'broadcast.public'),
    secretKeyFile: env.SVIEDKA_BOT_SECRET_KEY_FILE?.trim() || path.join(dataDir, 'keys', 'broadcast.secret'),
    publicKey: env.SVIEDKA_BOT_PUBLIC_KEY?.trim() || undefined,
    secretKey: env.SVIEDKA_BOT_SECRET_KEY?.trim() || undefined,
    rate: int(env, 'SVIEDKA_BROADCAST_RATE', 30, 1, paidBroadcasts ? 1000 : 30),
    paidBroadcasts,
    leaseSeconds,
    requestTimeoutMs,
    pruneAfterSeconds: int(env, 'SVIEDKA_BROADCAST_PRUNE_AFTER_SECONDS', 172_800, 0, 30 * 86_400),
    deleteEvidenceMessages: bool(env, 'SVIEDKA_BOT_DELETE_EVIDENCE_MESSAGES', true),
    inboxDir: path.join(dataDir, 'bot-inbox'),
    inServe: bool(env, 'SVIEDKA_BOT_IN_SERVE', false),
  };
}
