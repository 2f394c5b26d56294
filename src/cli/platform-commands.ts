/** Commands of the platform: serve, migrate, users, API keys, audit, keys. */

import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';
import { z } from 'zod';
import { seedDemo } from '../demo/seed.js';
import { formatSignedHead, parseSignedHead } from '../platform/audit/anchor.js';
import { createApiKeyRequestSchema, createUserRequestSchema, roleSchema } from '../platform/auth/model.js';
import { openDatabase } from '../platform/db/database.js';
import { migrate } from '../platform/db/migrate.js';
import { AppError } from '../platform/errors.js';
import { rotateKeys } from '../platform/keys.js';
import { terminalSafe } from '../platform/text-safety.js';
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

  const audit = program.command('audit').description('audit log');
  audit
    .command('verify')
    .description(
      'recompute the audit hash chain, compare it with the recorded head and record the new head; names the first broken row',
    )
    .option(
      '--head <signed-head>',
      'verify against a head printed earlier by `audit head` (the line, or a file holding it)',
    )
    .option('--new-anchor', 'the recorded head was lost: verify what is there and record a new one (audited)')
    .action(async (opts: { head?: string; newAnchor?: boolean }, command: Command) => {
      let given: ReturnType<typeof parseSignedHead>;
      if (opts.head !== undefined) {
        const text = existsSync(opts.head) ? readFileSync(opts.head, 'utf8') : opts.head;
        given = parseSignedHead(text);
        if (!given)
          throw new AppError('SVD_AUDIT_HEAD_MALFORMED', {
            message:
              'The --head value is not a signed audit head (svd-audit-head:v1:…) or a file holding one.',
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
    });
  audit
    .command('head')
    .description('print the signed head recorded by the last verification, to store off the machine')
    .option('--json', 'JSON output')
    .action(async (opts: { json?: boolean }, command: Command) => {
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
