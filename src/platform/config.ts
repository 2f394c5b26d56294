/**
 * Settings: defaults < optional JSON config file < environment < command-line flags, validated with Zod.
 * A bad or missing setting stops start-up with one line naming it (see `ConfigError`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const boolish = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])])
  .transform((value) => (typeof value === 'boolean' ? value : ['true', '1', 'yes'].includes(value)));
const intish = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const configSchema = z
  .object({
    dataDir: z.string().min(1),
    databaseUrl: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
    pgliteSharedBuffers: z.string().regex(/^\d+(kB|MB|GB)$/, 'must be a size such as 16MB'),
    host: z.string().min(1),
    port: intish(0, 65535),
    publicUrl: z.string().url().optional(),
    masterKey: z.string().optional(),
    masterKeyFile: z.string().optional(),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    sessionIdleMinutes: intish(1, 24 * 60),
    sessionAbsoluteHours: intish(1, 24 * 7),
    loginMaxFailures: intish(1, 100),
    lockoutMinutes: intish(1, 24 * 60),
    bodyLimitBytes: intish(1024, 64 * 1024 * 1024),
    apiKeyRatePerMinute: intish(1, 1_000_000),
    demo: boolish,
    workers: boolish,
    secureCookies: boolish,
    evidenceMaxBytes: intish(1, Number.MAX_SAFE_INTEGER),
    evidenceSubmissionsCollection: z.string().trim().min(1),
    citizenProofBits: intish(0, 30),
    citizenUploadIdleMinutes: intish(1, 24 * 60),
    citizenUploadStorageBytes: intish(1024 ** 2, 2 ** 50),
    exiftoolProcesses: intish(1, 64).optional(),
    exiftoolStayOpen: boolish,
    reportOfficerNames: boolish,
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

/** Every setting with its environment name, flag and default; the README table is generated from this. */
export const settings: ReadonlyArray<{
  key: keyof Config;
  env: string;
  flag?: string;
  default?: string | number | boolean;
  description: string;
}> = [
  {
    key: 'dataDir',
    env: 'SVIEDKA_DATA_DIR',
    flag: '--data',
    default: './data',
    description: 'Data directory: embedded database, blobs, keys (unless given elsewhere).',
  },
  {
    key: 'databaseUrl',
    env: 'DATABASE_URL',
    description: 'PostgreSQL URL; when set, PostgreSQL is used instead of the embedded database.',
  },
  {
    key: 'pgliteSharedBuffers',
    env: 'SVIEDKA_PGLITE_SHARED_BUFFERS',
    default: '16MB',
    description:
      "Embedded database's buffer cache (PostgreSQL shared_buffers; the operating system caches the files too).",
  },
  {
    key: 'host',
    env: 'SVIEDKA_HOST',
    flag: '--host',
    default: '127.0.0.1',
    description: 'Address the HTTP server listens on.',
  },
  {
    key: 'port',
    env: 'SVIEDKA_PORT',
    flag: '--port',
    default: 8080,
    description: 'HTTP port (0 picks a free one).',
  },
  {
    key: 'publicUrl',
    env: 'SVIEDKA_PUBLIC_URL',
    description:
      'Public base URL shown to users (e.g. https://sviedka.example.org). Also the WebAuthn relying party: its host name is the rpID and its origin the only one security keys and passkeys answer for (keys registered under one address do not work under another). Without it, keys work only at http://localhost.',
  },
  {
    key: 'masterKey',
    env: 'SVIEDKA_MASTER_KEY',
    description: 'Master key (base64, 32 bytes) for servers; overrides the key file.',
  },
  {
    key: 'masterKeyFile',
    env: 'SVIEDKA_MASTER_KEY_FILE',
    description: 'Path of the master key file; default <data>/keys/master.key.',
  },
  {
    key: 'logLevel',
    env: 'SVIEDKA_LOG_LEVEL',
    flag: '--log-level',
    default: 'info',
    description: 'Log level.',
  },
  {
    key: 'sessionIdleMinutes',
    env: 'SVIEDKA_SESSION_IDLE_MINUTES',
    default: 30,
    description: 'A session ends after this much inactivity.',
  },
  {
    key: 'sessionAbsoluteHours',
    env: 'SVIEDKA_SESSION_ABSOLUTE_HOURS',
    default: 12,
    description: 'A session ends this long after login, whatever the activity.',
  },
  {
    key: 'loginMaxFailures',
    env: 'SVIEDKA_LOGIN_MAX_FAILURES',
    default: 5,
    description: 'Failed logins before a temporary lockout.',
  },
  {
    key: 'lockoutMinutes',
    env: 'SVIEDKA_LOCKOUT_MINUTES',
    default: 15,
    description: 'Length of the lockout.',
  },
  {
    key: 'bodyLimitBytes',
    env: 'SVIEDKA_BODY_LIMIT_BYTES',
    default: 1048576,
    description: 'Largest accepted JSON body.',
  },
  {
    key: 'apiKeyRatePerMinute',
    env: 'SVIEDKA_API_KEY_RATE_PER_MINUTE',
    default: 600,
    description:
      'Calls one API key may make per minute (bursts of a tenth of it); more get 429 with Retry-After.',
  },
  {
    key: 'demo',
    env: 'SVIEDKA_DEMO',
    flag: '--no-demo',
    default: true,
    description:
      'Seed synthetic demo data into an empty database (default false when DATABASE_URL is set or the host is not a loopback address).',
  },
  {
    key: 'workers',
    env: 'SVIEDKA_WORKERS',
    flag: '--no-workers',
    default: true,
    description: 'Run background job workers in the serve process.',
  },
  {
    key: 'secureCookies',
    env: 'SVIEDKA_SECURE_COOKIES',
    default: false,
    description: 'Mark cookies Secure (set true behind HTTPS; default true when publicUrl is https).',
  },
  {
    key: 'evidenceMaxBytes',
    env: 'SVIEDKA_EVIDENCE_MAX_BYTES',
    default: 4 * 1024 ** 3,
    description: 'Largest evidence file accepted (4 GB).',
  },
  {
    key: 'evidenceSubmissionsCollection',
    env: 'SVIEDKA_EVIDENCE_SUBMISSIONS_COLLECTION',
    default: 'Citizen submissions',
    description: "Restricted collection for citizens', the bot's and partners' submissions.",
  },
  {
    key: 'citizenProofBits',
    env: 'SVIEDKA_CITIZEN_PROOF_BITS',
    default: 18,
    description:
      "Proof of work the submission page's script solves on its form token before the first resumable upload (leading zero bits of SHA-256; each bit doubles the work; 0 turns it off); one bit more each time the open citizen uploads double past 1,000.",
  },
  {
    key: 'citizenUploadIdleMinutes',
    env: 'SVIEDKA_CITIZEN_UPLOAD_IDLE_MINUTES',
    default: 15,
    description: "A citizen's unfinished resumable upload that receives nothing for this long is removed.",
  },
  {
    key: 'citizenUploadStorageBytes',
    env: 'SVIEDKA_CITIZEN_UPLOAD_STORAGE_BYTES',
    default: 16 * 1024 ** 3,
    description:
      "Bytes all citizens' unfinished resumable uploads may hold together (16 GB; each open upload counts 64 KB besides its bytes); beyond it transfers wait (503, Retry-After).",
  },
  {
    key: 'exiftoolProcesses',
    env: 'SVIEDKA_EXIFTOOL_PROCESSES',
    description: 'Long-lived exiftool processes for metadata extraction; default min(2, cores).',
  },
  {
    key: 'exiftoolStayOpen',
    env: 'SVIEDKA_EXIFTOOL_STAY_OPEN',
    default: true,
    description: 'Keep exiftool processes running between files (false: one process per file).',
  },
  {
    key: 'reportOfficerNames',
    env: 'SVIEDKA_REPORT_OFFICER_NAMES',
    default: false,
    description:
      "Verification reports name the officers (their display names) beside role and id. Off: role and id only, so a report in a partner's or a court's hands does not name staff.",
  },
];

export class ConfigError extends Error {}

/** Whether a listening address reaches only this machine. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    bare === 'localhost' || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare) || bare === '::ffff:127.0.0.1'
  );
}

/**
 * Whether the master key file lies inside the data directory on a server (PostgreSQL, or listening
 * beyond this machine): then a copy of the data directory (a backup, a seized disk) holds the key that
 * decrypts it. `keyFile` is the resolved key file path, or undefined when the key comes from the
 * environment.
 */
export function keyInsideDataDir(config: Config, keyFile: string | undefined): boolean {
  if (!keyFile || (!config.databaseUrl && isLoopback(config.host))) return false;
  const relative = path.relative(config.dataDir, path.resolve(keyFile));
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** Builds the configuration; throws ConfigError whose message is one line naming the bad setting. */
export function loadConfig(
  options: {
    flags?: Partial<Record<keyof Config, unknown>>;
    env?: NodeJS.ProcessEnv;
    configFile?: string;
  } = {},
): Config {
  const env = options.env ?? process.env;
  const merged: Record<string, unknown> = {};
  /** Settings given by the file, the environment or a flag (not left to their defaults). */
  const given = new Set<string>();
  for (const setting of settings) if (setting.default !== undefined) merged[setting.key] = setting.default;
  const file = options.configFile ?? env.SVIEDKA_CONFIG;
  if (file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ConfigError(`config file ${file}: ${(error as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ConfigError(`config file ${file}: must be a JSON object`);
    }
    Object.assign(merged, parsed);
    for (const key of Object.keys(parsed)) given.add(key);
  }
  for (const setting of settings) {
    const value = env[setting.env];
    if (value !== undefined && value !== '') {
      merged[setting.key] = value;
      given.add(setting.key);
    }
  }
  for (const [key, value] of Object.entries(options.flags ?? {}))
    if (value !== undefined) {
      merged[key] = value;
      given.add(key);
    }
  // Safer defaults for a server (PostgreSQL, or listening beyond this machine): no demo data unless
  // asked for; Secure cookies when the public address is https.
  if (!given.has('demo') && (merged.databaseUrl || !isLoopback(String(merged.host)))) merged.demo = false;
  if (!given.has('secureCookies') && /^https:/i.test(String(merged.publicUrl ?? '')))
    merged.secureCookies = true;
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = String(issue.path[0] ?? '');
    const setting = settings.find((s) => s.key === key);
    const name = setting
      ? `${key} (${[setting.env, setting.flag].filter(Boolean).join(', ')})`
      : key || 'config';
    throw new ConfigError(`invalid setting ${name}: ${issue.message}`);
  }
  const config = result.data;
  config.dataDir = path.resolve(config.dataDir);
  return config;
}
