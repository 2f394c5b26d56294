/** What the platform commands do (declared in `platform-commands.ts`; loaded when one of them runs). */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { formatSignedHead, parseSignedHead } from '../platform/audit/anchor.js';
import { createApiKeyRequestSchema, createUserRequestSchema } from '../platform/auth/model.js';
import { initKeyFile } from '../platform/crypto.js';
import { openDatabase } from '../platform/db/database.js';
import { migrate as applyMigrations } from '../platform/db/migrate.js';
import { AppError } from '../platform/errors.js';
import { rotateKeys } from '../platform/keys.js';
import { terminalSafe } from '../platform/text-safety.js';
import { cliPrincipal, configFrom, progress, withRuntime } from './context.js';

function parseOrFail<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new AppError('SVD_HTTP_VALIDATION', {
      message: `${issue.path.join('.') || 'value'}: ${issue.message}`,
    });
  }
  return result.data;
}

export async function serve(
  opts: { port?: string; host?: string; demo: boolean; workers: boolean },
  command: Command,
): Promise<void> {
  const started = Date.now();
  const flags: Record<string, unknown> = { port: opts.port, host: opts.host };
  if (opts.demo === false) flags.demo = false;
  if (opts.workers === false) flags.workers = false;
  const config = configFrom(command, flags);
  // The database opens while the server's code loads: the embedded database's WebAssembly compiles on
  // other threads meanwhile, and its files are read between modules.
  const opening = openDatabase(config);
  const [{ openRuntime }, { startServer }, { seedDemo }] = await Promise.all([
    import('../runtime.js'),
    import('../server.js'),
    import('../demo/seed.js'),
  ]).catch(async (error: unknown) => {
    await (await opening.catch(() => undefined))?.close();
    throw error;
  });
  const database = await opening;
  // Given the database, the runtime leaves closing it to this command.
  const runtime = await openRuntime(config, { database }).catch(async (error: unknown) => {
    await database.close();
    throw error;
  });
  const initial = await runtime.auth.ensureInitialAdmin();
  if (config.demo) await seedDemo(runtime);
  const server = await startServer(runtime);
  process.stdout.write(`Sviedka — database: ${runtime.database.label}\n`);
  if (initial)
    process.stdout.write(`One-time admin password for '${initial.username}': ${initial.oneTimePassword}\n`);
  process.stdout.write(`Listening on ${server.url}\n`);
  process.stdout.write(`Ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    await runtime.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

export async function migrate(_opts: unknown, command: Command): Promise<void> {
  const config = configFrom(command);
  const database = await openDatabase(config);
  try {
    const applied = await applyMigrations(database.db);
    process.stdout.write(
      applied.length ? `Applied migrations: ${applied.join(', ')}\n` : 'The database is up to date.\n',
    );
  } finally {
    await database.close();
  }
}

export async function createUser(
  username: string,
  opts: { role: string; name?: string; locale: string },
  command: Command,
): Promise<void> {
  const input = parseOrFail(createUserRequestSchema, {
    username,
    displayName: opts.name ?? username,
    role: opts.role,
    locale: opts.locale,
  });
  await withRuntime(configFrom(command), async (runtime) => {
    const { user: created, oneTimePassword } = await runtime.auth.createUser(cliPrincipal(), input);
    process.stdout.write(
      `Created ${created.username} (${created.role}), id ${created.id}\nOne-time password: ${oneTimePassword}\n`,
    );
  });
}

export async function listUsers(opts: { json?: boolean }, command: Command): Promise<void> {
  await withRuntime(configFrom(command), async (runtime) => {
    const users = await runtime.auth.listUsersFor(cliPrincipal());
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(users, null, 2)}\n`);
      return;
    }
    for (const u of users) {
      const flags = [
        u.disabled ? 'disabled' : '',
        u.totpEnabled ? '2fa' : 'no-2fa',
        u.lockedUntil ? 'locked' : '',
      ].filter(Boolean);
      process.stdout.write(
        `${u.username.padEnd(24)} ${u.role.padEnd(9)} ${flags.join(',').padEnd(18)} ${u.id}\n`,
      );
    }
  });
}

/** `user disable|enable|reset-2fa|reset-password NAME`. */
export async function changeUser(
  name: 'disable' | 'enable' | 'reset-2fa' | 'reset-password',
  username: string,
  command: Command,
): Promise<void> {
  await withRuntime(configFrom(command), async (runtime) => {
    const found = (await runtime.auth.listUsers()).find((u) => u.username === username.toLowerCase());
    if (!found) throw new AppError('SVD_HTTP_NOT_FOUND', { message: `No user named ${username}.` });
    const principal = cliPrincipal();
    if (name === 'disable') await runtime.auth.disableUser(principal, found.id);
    if (name === 'enable') await runtime.auth.enableUser(principal, found.id);
    if (name === 'reset-2fa') await runtime.auth.resetTotp(principal, found.id);
    if (name === 'reset-password') {
      const { oneTimePassword } = await runtime.auth.resetPassword(principal, found.id);
      process.stdout.write(`One-time password: ${oneTimePassword}\n`);
    }
    process.stdout.write(`Done: ${name} ${found.username}\n`);
  });
}

export async function createApiKey(
  opts: { name: string; org: string; scopes: string; expiresInDays?: string },
  command: Command,
): Promise<void> {
  const input = parseOrFail(createApiKeyRequestSchema, {
    name: opts.name,
    organization: opts.org,
    scopes: opts.scopes
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    ...(opts.expiresInDays ? { expiresInDays: Number(opts.expiresInDays) } : {}),
  });
  await withRuntime(configFrom(command), async (runtime) => {
    const { apiKey, secret } = await runtime.auth.createApiKey(cliPrincipal(), input);
    process.stdout.write(
      `Created key ${apiKey.id} (${apiKey.prefix}) for ${apiKey.organization}\nSecret (shown once): ${secret}\n`,
    );
  });
}

export async function listApiKeys(_opts: unknown, command: Command): Promise<void> {
  await withRuntime(configFrom(command), async (runtime) => {
    for (const k of await runtime.auth.listApiKeys(cliPrincipal())) {
      const state = k.revokedAt
        ? 'revoked'
        : k.expiresAt && new Date(k.expiresAt) < new Date()
          ? 'expired'
          : 'active';
      process.stdout.write(
        `${k.id} ${k.prefix} ${state.padEnd(8)} ${terminalSafe(`${k.organization} / ${k.name}`)} [${k.scopes.join(',')}]\n`,
      );
    }
  });
}

export async function revokeApiKey(id: string, _opts: unknown, command: Command): Promise<void> {
  const keyId = parseOrFail(z.string().uuid(), id);
  await withRuntime(configFrom(command), async (runtime) => {
    await runtime.auth.revokeApiKey(cliPrincipal(), keyId);
    process.stdout.write(`Revoked ${keyId}\n`);
  });
}

export async function verifyAudit(
  opts: { head?: string; newAnchor?: boolean },
  command: Command,
): Promise<void> {
  let given: ReturnType<typeof parseSignedHead>;
  if (opts.head !== undefined) {
    const text = existsSync(opts.head) ? readFileSync(opts.head, 'utf8') : opts.head;
    given = parseSignedHead(text);
    if (!given)
      throw new AppError('SVD_AUDIT_HEAD_MALFORMED', {
        message: 'The --head value is not a signed audit head (svd-audit-head:v1:…) or a file holding one.',
      });
  }
  await withRuntime(configFrom(command), async (runtime) => {
    const bar = progress('Verifying audit chain', undefined);
    const result = await runtime.auditAnchor.verify(runtime.audit, {
      ...(given ? { given } : {}),
      ...(opts.newAnchor ? { newAnchor: { actor: cliPrincipal() } } : {}),
      onProgress: (checked) => bar.update(checked),
    });
    bar.stop();
    if (result.ok) {
      const head = result.head ? `#${result.head.seq} ${result.head.hash}` : '(empty)';
      const anchor = result.anchor
        ? `; includes the head ${result.anchor.source === 'given' ? 'given' : 'recorded'} at ${result.anchor.recordedAt} (#${result.anchor.seq})`
        : '';
      process.stdout.write(`Audit chain OK: ${result.checked} rows; head ${head}${anchor}\n`);
      if (result.recorded) process.stdout.write(`Recorded head: ${formatSignedHead(result.recorded)}\n`);
      return;
    }
    if (result.anchorProblem)
      throw new AppError('SVD_AUDIT_ANCHOR_LOST', {
        message: `AUDIT ANCHOR LOST — NOT VERIFIED: ${result.anchorProblem} (${result.checked} rows verified)`,
      });
    throw new AppError('SVD_AUDIT_BROKEN', {
      message: `Audit chain BROKEN at row #${result.firstBroken!.seq}: ${result.firstBroken!.reason} (${result.checked} rows verified before it)`,
    });
  });
}

export async function auditHead(opts: { json?: boolean }, command: Command): Promise<void> {
  await withRuntime(configFrom(command), async (runtime) => {
    const state = await runtime.auditAnchor.read();
    if (state.state === 'lost')
      throw new AppError('SVD_AUDIT_ANCHOR_LOST', {
        message: `AUDIT ANCHOR LOST: ${state.reason}. Run \`audit verify --head <copy>\` or \`audit verify --new-anchor\`.`,
      });
    if (state.state === 'none')
      throw new AppError('SVD_AUDIT_NO_HEAD', {
        message: 'No head recorded yet: run `audit verify` first.',
      });
    process.stdout.write(
      opts.json ? `${JSON.stringify(state.head, null, 2)}\n` : `${formatSignedHead(state.head)}\n`,
    );
  });
}

/** `keys init --out FILE`: a new key file for a server; opens no database. */
export async function initKeys(opts: { out: string }): Promise<void> {
  const file = path.resolve(opts.out);
  initKeyFile(file);
  process.stdout.write(
    `Wrote a new master key to ${file} (mode 0600).\nStart the server with SVIEDKA_MASTER_KEY_FILE=${file}. Keep a copy offline: without it encrypted data is lost.\n`,
  );
}

export async function rotate(opts: { resumeOnly?: boolean }, command: Command): Promise<void> {
  // Every area is opened first, as the server does: their start-up seals values still in plain text,
  // which the rotation then re-encrypts with the rest.
  const { areaNames } = await import('../areas.js');
  await withRuntime(configFrom(command), areaNames, async (runtime) => {
    const bar = progress('Re-encrypting', undefined);
    const result = await rotateKeys(runtime.database.db, runtime.keys, {
      addVersion: !opts.resumeOnly,
      onProgress: (p) => bar.update(p.done),
    });
    bar.stop();
    await runtime.audit.record({
      actor: cliPrincipal(),
      action: 'keys.rotate',
      details: {
        version: result.ring.current,
        newVersion: result.newVersion,
        reencrypted: result.reencrypted,
      },
    });
    process.stdout.write(
      `${result.newVersion ? `New key version v${result.ring.current}. ` : `Continued rotation to v${result.ring.current}. `}Re-encrypted ${result.reencrypted} value(s).\nKeep a copy of the key file offline; old versions stay in it so backups remain readable.\n`,
    );
  });
}
