/** Commands of the platform: serve, migrate, users, API keys, audit, keys. */
import type { Command } from 'commander';
import { Option } from 'commander';
import { z } from 'zod';
import { seedDemo } from '../demo/seed.js';
import { readAuditHead, writeAuditHead } from '../platform/audit/head-file.js';
import { createApiKeyRequestSchema, createUserRequestSchema, roleSchema } from '../platform/auth/model.js';
import { openDatabase } from '../platform/db/database.js';
import { migrate } from '../platform/db/migrate.js';
import { AppError } from '../platform/errors.js';
import { rotateKeys } from '../platform/keys.js';
import { startServer } from '../server.js';
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

export function platformCommands(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP API, the web app and the background workers')
    .option('--port <port>', 'HTTP port (0 picks a free one)')
    .option('--host <host>', 'listen address')
    .option('--no-demo', 'do not seed demo data into an empty database')
    .option('--no-workers', 'do not run background job workers in this process')
    .action(
      async (opts: { port?: string; host?: string; demo: boolean; workers: boolean }, command: Command) => {
        const started = Date.now();
        const flags: Record<string, unknown> = { port: opts.port, host: opts.host };
        if (opts.demo === false) flags.demo = false;
        if (opts.workers === false) flags.workers = false;
        const config = configFrom(command, flags);
        const { openRuntime } = await import('../runtime.js');
        const runtime = await openRuntime(config);
        const initial = await runtime.auth.ensureInitialAdmin();
        if (config.demo) await seedDemo(runtime);
        const server = await startServer(runtime);
        process.stdout.write(`Sviedka — database: ${runtime.database.label}\n`);
        if (initial)
          process.stdout.write(
            `One-time admin password for '${initial.username}': ${initial.oneTimePassword}\n`,
          );
        process.stdout.write(`Listening on ${server.url}\n`);
        process.stdout.write(`Ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
        let stopping = false;
        const stop = async () => {
          if (stopping) return;
          stopping = true;
          await server.close();
          await runtime.close();
          process.exit(0);
        };
        process.on('SIGINT', () => void stop());
        process.on('SIGTERM', () => void stop());
      },
    );

  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async (_opts: unknown, command: Command) => {
      const config = configFrom(command);
      const database = await openDatabase(config);
      try {
        const applied = await migrate(database.db);
        process.stdout.write(
          applied.length ? `Applied migrations: ${applied.join(', ')}\n` : 'The database is up to date.\n',
        );
      } finally {
        await database.close();
      }
    });

  const user = program.command('user').description('manage user accounts');
  user
    .command('create <username>')
    .description('create a user; prints a one-time password')
    .addOption(new Option('--role <role>', 'role').choices(roleSchema.options).makeOptionMandatory())
    .option('--name <displayName>', 'display name')
    .addOption(
      new Option('--locale <locale>', 'interface language').choices(['be', 'ru', 'en']).default('be'),
    )
    .action(
      async (username: string, opts: { role: string; name?: string; locale: string }, command: Command) => {
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
      },
    );
  user
    .command('list')
    .description('list users')
    .option('--json', 'JSON output')
    .action(async (opts: { json?: boolean }, command: Command) => {
      await withRuntime(configFrom(command), async (runtime) => {
        const users = await runtime.auth.listUsers();
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
    });
  for (const [name, description] of [
    ['disable', 'disable a user and end their sessions'],
    ['enable', 'enable a disabled or locked user'],
    ['reset-2fa', 'remove 2FA; the user enrols again at next login'],
    ['reset-password', 'set a new one-time password'],
  ] as const) {
    user
      .command(`${name} <username>`)
      .description(description)
      .action(async (username: string, _opts: unknown, command: Command) => {
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
      });
  }

  const apikey = program.command('apikey').description('manage API keys of partner organizations');
  apikey
    .command('create')
    .description('create an API key; prints the secret once')
    .requiredOption('--name <name>', 'what the key is for')
    .requiredOption('--org <organization>', 'partner organization')
    .requiredOption('--scopes <scopes>', 'comma-separated: screening, registry:read, cases, evidence:submit')
    .option('--expires-in-days <days>', 'expiry')
    .action(
      async (
        opts: { name: string; org: string; scopes: string; expiresInDays?: string },
        command: Command,
      ) => {
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
      },
    );
  apikey
    .command('list')
    .description('list API keys')
    .action(async (_opts: unknown, command: Command) => {
      await withRuntime(configFrom(command), async (runtime) => {
        for (const k of await runtime.auth.listApiKeys()) {
          const state = k.revokedAt
            ? 'revoked'
            : k.expiresAt && new Date(k.expiresAt) < new Date()
              ? 'expired'
              : 'active';
          process.stdout.write(
            `${k.id} ${k.prefix} ${state.padEnd(8)} ${k.organization} / ${k.name} [${k.scopes.join(',')}]\n`,
          );
        }
      });
    });
  apikey
    .command('revoke <id>')
    .description('revoke an API key')
    .action(async (id: string, _opts: unknown, command: Command) => {
      const keyId = parseOrFail(z.string().uuid(), id);
      await withRuntime(configFrom(command), async (runtime) => {
        await runtime.auth.revokeApiKey(cliPrincipal(), keyId);
        process.stdout.write(`Revoked ${keyId}\n`);
      });
    });

  program
    .command('audit')
    .description('audit log')
    .command('verify')
    .description('recompute the audit hash chain and name the first broken row')
    .action(async (_opts: unknown, command: Command) => {
      await withRuntime(configFrom(command), async (runtime) => {
        const bar = progress('Verifying audit chain', undefined);
        const recorded = readAuditHead(runtime.config.dataDir);
        const result = await runtime.audit.verify((checked) => bar.update(checked), recorded);
        bar.stop();
        if (result.ok) {
          if (result.head) writeAuditHead(runtime.config.dataDir, result.head);
          process.stdout.write(
            `Audit chain OK: ${result.checked} rows; head ${result.head ? `#${result.head.seq} ${result.head.hash}` : '(empty)'}${recorded ? `; includes the head recorded at ${recorded.recordedAt}` : ''}\n`,
          );
          return;
        }
        throw new AppError('SVD_AUDIT_BROKEN', {
          message: `Audit chain BROKEN at row #${result.firstBroken!.seq}: ${result.firstBroken!.reason} (${result.checked} rows verified before it)`,
        });
      });
    });

  program
    .command('keys')
    .description('encryption keys')
    .command('rotate')
    .description('add a new master key version and re-encrypt everything under older ones (resumable)')
    .option('--resume-only', 'only finish an interrupted rotation, do not add a key version')
    .action(async (opts: { resumeOnly?: boolean }, command: Command) => {
      await withRuntime(configFrom(command), async (runtime) => {
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
    });
}
