/**
 * The light part of the command line, all that a command declaration may import: `--help` and argument
 * parsing load this, commander and the declarations, nothing else. A command's code (and the runtime,
 * the database, the area it works on) loads only when that command runs, through `lazyAction`.
 * `test/cli/startup.test.ts` checks that `--help` loads no runtime, no area and no heavy package.
 */
import { AppError } from '../platform/errors.js';
import { terminalSafe } from '../platform/text-safety.js';

/**
 * An action whose code is imported when its command runs: `.action(lazyAction(() =>
 * import('./evidence-actions.js').then((m) => m.add)))`. Commander passes the arguments, the options
 * and the command, as to any action.
 */
export function lazyAction<A extends unknown[]>(
  load: () => Promise<(...args: A) => Promise<void> | void>,
): (...args: unknown[]) => Promise<void> {
  return async (...args) => {
    const action = await load();
    await action(...(args as A));
  };
}

/**
 * Output to a terminal shows stored text safely: names, titles and notes come from imports, uploads and
 * the bot, and an escape sequence or bidi override in one must not move the cursor, recolour, retitle or
 * reorder the screen (text-safety.ts). Output to a file or a pipe is data and is written unchanged.
 */
export function protectTerminal(): void {
  if (!process.stdout.isTTY) return;
  const write = process.stdout.write.bind(process.stdout) as (chunk: unknown, ...rest: unknown[]) => boolean;
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) =>
    write(typeof chunk === 'string' ? terminalSafe(chunk) : chunk, ...rest)) as typeof process.stdout.write;
}

/** One clear line on stderr and a non-zero exit code; never a stack trace (SVIEDKA_DEBUG=1 shows it). */
export function failAndExit(error: unknown): never {
  if (error instanceof AppError) {
    process.stderr.write(`sviedka: ${terminalSafe(error.message)} (${error.code})\n`);
  } else if (error instanceof Error && (error as { code?: string }).code?.startsWith('commander.')) {
    process.exit((error as { exitCode?: number }).exitCode ?? 1);
  } else {
    // A configuration error (ConfigError) is one line naming the setting, shown as it is.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`sviedka: ${terminalSafe(message.split('\n')[0]!)}\n`);
    if (process.env.SVIEDKA_DEBUG) console.error(error);
  }
  process.exit(1);
}
