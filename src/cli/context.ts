/**
 * Shared plumbing of CLI command actions: configuration from global flags, the runtime, progress.
 * Heavy (it loads the runtime): import it from an action module, never from a declaration.
 */
import { userInfo } from 'node:os';
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import pino from 'pino';
import type { AreaName } from '../areas.js';
import type { Principal } from '../platform/auth/model.js';
import { type Config, loadConfig } from '../platform/config.js';
import { openRuntime, type Runtime } from '../runtime.js';

/** Configuration from the root program's global options plus a command's own flags. */
export function configFrom(command: Command, flags: Partial<Record<keyof Config, unknown>> = {}): Config {
  const globals = command.optsWithGlobals() as { data?: string; config?: string; logLevel?: string };
  return loadConfig({
    configFile: globals.config,
    flags: { dataDir: globals.data, logLevel: globals.logLevel, ...flags },
  });
}

/**
 * Opens the runtime for a command, runs `work`, always closes. CLI logs go to stderr, warnings only.
 * A command names the areas it works on (`withRuntime(config, ['bot'], work)`): only those and what
 * they depend on are loaded and started; without a list it gets the platform alone.
 */
export async function withRuntime<T>(
  config: Config,
  work: (runtime: Runtime<never>) => Promise<T>,
): Promise<T>;
export async function withRuntime<T, N extends AreaName>(
  config: Config,
  areas: readonly N[],
  work: (runtime: Runtime<N>) => Promise<T>,
): Promise<T>;
export async function withRuntime<T>(
  config: Config,
  areasOrWork: readonly AreaName[] | ((runtime: Runtime<never>) => Promise<T>),
  maybeWork?: (runtime: Runtime<AreaName>) => Promise<T>,
): Promise<T> {
  const areas = typeof areasOrWork === 'function' ? [] : areasOrWork;
  const work = (typeof areasOrWork === 'function' ? areasOrWork : maybeWork!) as (
    runtime: Runtime<AreaName>,
  ) => Promise<T>;
  const logger = pino(
    { level: config.logLevel === 'info' ? 'warn' : config.logLevel, base: undefined },
    pino.destination(2),
  );
  const runtime = await openRuntime(config, { logger, areas });
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
