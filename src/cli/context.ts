/** Shared plumbing of CLI commands: configuration from global flags, the runtime, errors, progress. */
import { userInfo } from 'node:os';
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import pino from 'pino';
import type { Principal } from '../platform/auth/model.js';
import { type Config, ConfigError, loadConfig } from '../platform/config.js';
import { AppError } from '../platform/errors.js';
import { terminalSafe } from '../platform/text-safety.js';
import { openRuntime, type Runtime } from '../runtime.js';

/** Configuration from the root program's global options plus a command's own flags. */
export function configFrom(command: Command, flags: Partial<Record<keyof Config, unknown>> = {}): Config {
  const globals = command.optsWithGlobals() as { data?: string; config?: string; logLevel?: string };
  return loadConfig({
    configFile: globals.config,
    flags: { dataDir: globals.data, logLevel: globals.logLevel, ...flags },
  });
}

/** Opens the runtime for a command, runs `work`, always closes. CLI logs go to stderr, warnings only. */
export async function withRuntime<T>(config: Config, work: (runtime: Runtime) => Promise<T>): Promise<T> {
  const logger = pino(
    { level: config.logLevel === 'info' ? 'warn' : config.logLevel, base: undefined },
    pino.destination(2),
  );
  const runtime = await openRuntime(config, { logger });
  try {
    return await work(runtime);
  } finally {
    await runtime.close();
  }
}

/** The CLI acts as a system principal named after the operating-system user, for the audit log. */
export function cliPrincipal(): Principal {
  let name = 'unknown';
  try {
    name = userInfo().username;
  } catch {}
  return { type: 'system', label: `cli:${name}` };
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

/** One clear line on stderr and a non-zero exit code; never a stack trace. */
export function failAndExit(error: unknown): never {
  if (error instanceof AppError) {
    process.stderr.write(`sviedka: ${terminalSafe(error.message)} (${error.code})\n`);
  } else if (error instanceof ConfigError) {
    process.stderr.write(`sviedka: ${terminalSafe(error.message)}\n`);
  } else if (error instanceof Error && (error as { code?: string }).code?.startsWith('commander.')) {
    process.exit((error as { exitCode?: number }).exitCode ?? 1);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`sviedka: ${terminalSafe(message.split('\n')[0]!)}\n`);
    if (process.env.SVIEDKA_DEBUG) console.error(error);
  }
  process.exit(1);
}

/** A progress display: a bar with rate and ETA on a terminal, a plain line every few seconds otherwise. */
export function progress(label: string, total: number | undefined) {
  const tty = process.stderr.isTTY;
  let value = 0;
  let lastPrint = 0;
  const started = Date.now();
  const bar = tty
    ? new SingleBar(
        {
          format: `${label} [{bar}] {percentage}% | {value}/{total} | {rate}/s | ETA {eta_formatted}`,
          stream: process.stderr,
          hideCursor: true,
        },
        Presets.shades_classic,
      )
    : undefined;
  bar?.start(total ?? 0, 0, { rate: '0' });
  return {
    update(next: number, newTotal?: number) {
      value = next;
      const rate = (value / Math.max((Date.now() - started) / 1000, 0.001)).toFixed(0);
      if (bar) {
        if (newTotal !== undefined) bar.setTotal(newTotal);
        bar.update(value, { rate });
      } else if (Date.now() - lastPrint > 2000) {
        lastPrint = Date.now();
        process.stderr.write(`${label}: ${value}${total ? `/${newTotal ?? total}` : ''} (${rate}/s)\n`);
      }
    },
    stop() {
      bar?.stop();
    },
  };
}
