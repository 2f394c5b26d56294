/**
 * Commands of the bot area:
 *   sviedka bot [--no-worker]             long polling (+ the broadcast worker unless --no-worker)
 *   sviedka bot import-inbox              move files received while the vault was absent into it
 *   sviedka broadcast send|list|status|cancel|pause|resume|worker|prune
 * With the embedded database only one process can open the data directory, so `broadcast send --wait`
 * runs the worker itself there; with PostgreSQL it watches the workers that run elsewhere.
 * Declarations only: what each command does is in `bot-actions.ts`, loaded when it runs.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { lazyAction } from './program.js';

const actions = () => import('./bot-actions.js');

export function register(program: Command): void {
  const bot = program.command('bot').description('the Telegram bot');
  bot
    .command('run', { isDefault: true })
    .description('run the bot with long polling, and the broadcast worker')
    .option('--no-worker', 'do not run the broadcast worker here (the bot then never loads the secret key)')
    .action(lazyAction(async () => (await actions()).runBot));

  bot
    .command('import-inbox')
    .description('move files the bot kept in <data>/bot-inbox into the evidence vault')
    .action(lazyAction(async () => (await actions()).importInbox));

  const broadcast = program.command('broadcast').description('send instructions to subscriber segments');
  broadcast
    .command('send')
    .description('create a broadcast (the recipient list is fixed now) and, with --wait, follow it')
    .option('--segment <codes>', 'segment code(s), comma-separated; none means every subscriber')
    .option('--all-of', 'recipients must be in all the segments (default: any of them)')
    .option('--region <code>', 'only subscribers in this region')
    .option('--template <name>', 'instruction template (name or id)')
    .option('--text-file <file>', 'send this text to everyone, whatever their language')
    .addOption(
      new Option('--parse-mode <mode>', 'formatting of --text-file')
        .choices(['HTML', 'MarkdownV2', 'none'])
        .default('none'),
    )
    .option('--rate <n>', 'messages per second (default 30; up to 1000 with --paid)')
    .option('--paid', 'paid broadcast (allow_paid_broadcast); needs SVIEDKA_BROADCAST_PAID=true')
    .option('--resend-unknown', 'resend messages whose outcome is unknown (risk of duplicates)')
    .option('--wait', 'show progress until it ends (runs the worker here with the embedded database)')
    .option('--work', 'run the worker in this process even with PostgreSQL')
    .action(lazyAction(async () => (await actions()).send));

  broadcast
    .command('list')
    .description('list recent broadcasts')
    .action(lazyAction(async () => (await actions()).listBroadcasts));

  broadcast
    .command('status <id>')
    .description('progress of a broadcast: sent, failed, unknown, rate, ETA')
    .option('--json', 'JSON output')
    .action(lazyAction(async () => (await actions()).status));

  for (const [name, description] of [
    ['cancel', 'cancel a broadcast: nothing more is sent'],
    ['pause', 'pause a running broadcast'],
    ['resume', 'resume a paused broadcast'],
  ] as const) {
    broadcast
      .command(`${name} <id>`)
      .description(description)
      .action(
        lazyAction(async () => {
          const { controlBroadcast } = await actions();
          return (id: string, _opts: unknown, command: Command) => controlBroadcast(name, id, command);
        }),
      );
  }

  broadcast
    .command('worker')
    .description('run the broadcast worker (several may run against one PostgreSQL database)')
    .option('--exit-when-idle', 'exit once no broadcast is running')
    .action(lazyAction(async () => (await actions()).worker));

  broadcast
    .command('prune')
    .description('delete per-recipient rows of ended broadcasts, keeping counts')
    .option(
      '--older-than <seconds>',
      'ended at least this long ago (default SVIEDKA_BROADCAST_PRUNE_AFTER_SECONDS)',
    )
    .action(lazyAction(async () => (await actions()).prune));
}
