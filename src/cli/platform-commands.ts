/**
 * Commands of the platform: serve, migrate, users, API keys, audit, keys. Declarations only: what each
 * command does is in `platform-actions.ts`, loaded when the command runs (see `program.ts`).
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { locales, roles } from '../platform/auth/roles.js';
import { lazyAction } from './program.js';

const actions = () => import('./platform-actions.js');

export function platformCommands(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP API, the web app and the background workers')
    .option('--port <port>', 'HTTP port (0 picks a free one)')
    .option('--host <host>', 'listen address')
    .option('--no-demo', 'do not seed demo data into an empty database')
    .option('--no-workers', 'do not run background job workers in this process')
    .action(lazyAction(async () => (await actions()).serve));

  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(lazyAction(async () => (await actions()).migrate));

  const user = program.command('user').description('manage user accounts');
  user
    .command('create <username>')
    .description('create a user; prints a one-time password')
    .addOption(new Option('--role <role>', 'role').choices(roles).makeOptionMandatory())
    .option('--name <displayName>', 'display name')
    .addOption(new Option('--locale <locale>', 'interface language').choices(locales).default('be'))
    .action(lazyAction(async () => (await actions()).createUser));
  user
    .command('list')
    .description('list users')
    .option('--json', 'JSON output')
    .action(lazyAction(async () => (await actions()).listUsers));
  for (const [name, description] of [
    ['disable', 'disable a user and end their sessions'],
    ['enable', 'enable a disabled or locked user'],
    ['reset-2fa', 'remove 2FA; the user enrols again at next login'],
    ['reset-password', 'set a new one-time password'],
  ] as const) {
    user
      .command(`${name} <username>`)
      .description(description)
      .action(
        lazyAction(async () => {
          const { changeUser } = await actions();
          return (username: string, _opts: unknown, command: Command) => changeUser(name, username, command);
        }),
      );
  }

  const apikey = program.command('apikey').description('manage API keys of partner organizations');
  apikey
    .command('create')
    .description('create an API key; prints the secret once')
    .requiredOption('--name <name>', 'what the key is for')
    .requiredOption('--org <organization>', 'partner organization')
    .requiredOption('--scopes <scopes>', 'comma-separated: screening, registry:read, cases, evidence:submit')
    .option('--expires-in-days <days>', 'expiry')
    .action(lazyAction(async () => (await actions()).createApiKey));
  apikey
    .command('list')
    .description('list API keys')
    .action(lazyAction(async () => (await actions()).listApiKeys));
  apikey
    .command('revoke <id>')
    .description('revoke an API key')
    .action(lazyAction(async () => (await actions()).revokeApiKey));

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
    .action(lazyAction(async () => (await actions()).verifyAudit));
  audit
    .command('head')
    .description('print the signed head recorded by the last verification, to store off the machine')
    .option('--json', 'JSON output')
    .action(lazyAction(async () => (await actions()).auditHead));

  const keys = program.command('keys').description('encryption keys');
  keys
    .command('init')
    .description(
      'write a new master key file (mode 0600) for SVIEDKA_MASTER_KEY_FILE; never overwrites an existing file',
    )
    .requiredOption('--out <file>', 'where to write the key file (keep it outside the data directory)')
    .action(lazyAction(async () => (await actions()).initKeys));
  keys
    .command('rotate')
    .description('add a new master key version and re-encrypt everything under older ones (resumable)')
    .option('--resume-only', 'only finish an interrupted rotation, do not add a key version')
    .action(lazyAction(async () => (await actions()).rotate));
}
