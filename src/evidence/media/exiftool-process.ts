/**
 * Long-lived exiftool processes (`-stay_open True -@ -`): starting exiftool costs ~0.25 s of Perl start-up
 * and module loading on this hardware, more than reading a small photo, so the vault keeps a few running
 * and sends each file as one command.
 *
 * Protocol: each argument on its own line on stdin, then `-echo4` `{readyN}` and `-executeN`; exiftool
 * prints the output followed by `{readyN}` on stdout and, through -echo4, `{readyN}` on stderr, so both
 * streams of one command are known to be complete. N is a per-process counter starting at a random value,
 * so a file's metadata cannot forge the marker (JSON output escapes newlines inside values anyway).
 *
 * Failures: a command that runs past its timeout gets its process killed (SIGKILL) and a `timeout`
 * failure; a process that dies mid-command gives an `exit` failure; either way the next command starts a
 * fresh process. Commands wait in a queue, one in flight per process. Idle processes exit after a while
 * and are never what keeps Node running (their handles are unref'd while idle).
 */

import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { DEFAULT_TIMEOUT_MS, type RunSuccess } from './run-tool.js';
import { confine, programMissing } from './sandbox.js';
import type { ToolFailure } from './types.js';
import { failure } from './types.js';

export interface ExiftoolProcessOptions {
  /** The program (default `exiftool`); tests substitute a script that misbehaves. */
  command?: string;
  /** Arguments that start the stay-open loop (default `-stay_open True -@ -`). */
  startArgs?: readonly string[];
  /** Default per-command timeout in milliseconds. */
  timeoutMs?: number;
  /** Largest stdout accepted for one command, in bytes. */
  maxOutputBytes?: number;
  /** An idle process exits after this many milliseconds (default 30 s). */
  idleMs?: number;
}

interface Task {
  args: readonly string[];
  timeoutMs: number;
  resolve: (result: RunSuccess | ToolFailure) => void;
}

interface Running {
  child: ChildProcessWithoutNullStreams;
  stdout: Buffer[];
  stdoutLength: number;
  stderr: string;
  task?: Task & { marker: string; timer: NodeJS.Timeout };
  exited: boolean;
}

let prefix: string[] | undefined;

/**
 * exiftool polls a closed stdin every 10 ms instead of exiting, so a stay-open process would outlive a
 * parent that was killed. On Linux, util-linux's setpriv makes the kernel kill it with its parent.
 */
function deathSignalPrefix(): string[] {
  prefix ??=
    process.platform === 'linux' && existsSync('/usr/bin/setpriv')
      ? ['/usr/bin/setpriv', '--pdeathsig', 'KILL', '--']
      : [];
  return prefix;
}

const live = new Set<ChildProcessWithoutNullStreams>();
let exitHook = false;

function killOnExit(child: ChildProcessWithoutNullStreams): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!exitHook) {
    exitHook = true;
    // Where setpriv is missing, at least a normal exit takes the processes along.
    process.once('exit', () => {
      for (const c of live) c.kill('SIGKILL');
    });
  }
}

function setRef(child: ChildProcessWithoutNullStreams, ref: boolean): void {
  for (const handle of [child, child.stdin, child.stdout, child.stderr] as Array<{
    ref?: () => void;
    unref?: () => void;
  }>) {
    if (ref) handle.ref?.();
    else handle.unref?.();
  }
}

/** One exiftool process in stay-open mode, running one command at a time. */
export class ExiftoolProcess {
  readonly #command: string;
  readonly #startArgs: readonly string[];
  readonly #timeoutMs: number;
  readonly #maxOutput: number;
  readonly #idleMs: number;
  readonly #queue: Task[] = [];
  #running: Running | undefined;
  #counter = randomInt(1, 1_000_000_000);
  #idleTimer: NodeJS.Timeout | undefined;
  #closed = false;
  /** How many processes were started (tests watch restarts). */
  starts = 0;

  constructor(options: ExiftoolProcessOptions = {}) {
    this.#command = options.command ?? 'exiftool';
    this.#startArgs = options.startArgs ?? ['-stay_open', 'True', '-@', '-'];
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#maxOutput = options.maxOutputBytes ?? 64 * 1024 * 1024;
    this.#idleMs = options.idleMs ?? 30_000;
  }

  /** Commands waiting or running. */
  get load(): number {
    return this.#queue.length + (this.#running?.task ? 1 : 0);
  }

  /** The current process id, if one is running. */
  get pid(): number | undefined {
    return this.#running && !this.#running.exited ? this.#running.child.pid : undefined;
  }

  /**
   * Runs one exiftool command (the arguments of one command line, without `exiftool` itself). Never
   * throws; arguments containing a newline cannot be sent over the protocol and are refused.
   */
  run(args: readonly string[], options: { timeoutMs?: number } = {}): Promise<RunSuccess | ToolFailure> {
    if (this.#closed) return Promise.resolve(failure('exiftool', 'exit', 'the exiftool process was closed'));
    if (args.some((a) => a.includes('\n') || a.includes('\r'))) {
      return Promise.resolve(
        failure(
          'exiftool',
          'unsupported',
          'an argument contains a line break (not possible with -stay_open)',
        ),
      );
    }
    return new Promise((resolve) => {
      this.#queue.push({ args, timeoutMs: options.timeoutMs ?? this.#timeoutMs, resolve });
      this.#next();
    });
  }

  /** Asks the process to exit and fails whatever is still queued. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#idleTimer);
    for (const task of this.#queue.splice(0))
      task.resolve(failure('exiftool', 'exit', 'the exiftool process was closed'));
    const running = this.#running;
    if (!running || running.exited) return;
    const exited = new Promise<void>((resolve) => running.child.once('exit', () => resolve()));
    if (running.task) running.child.kill('SIGKILL');
    else running.child.stdin.end('-stay_open\nFalse\n');
    const timer = setTimeout(() => running.child.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
  }

  #start(): Running {
    // Confined like every media tool (sandbox.ts); it reads any file but writes none, and lives long, so no
    // CPU-seconds limit (each task has its own timeout).
    const [confined, confinedArgs] = confine(this.#command, this.#startArgs, { limitCpu: false });
    const [program, ...args] = [...deathSignalPrefix(), confined, ...confinedArgs] as [string, ...string[]];
    const child = spawn(program, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C.UTF-8' },
      windowsHide: true,
    });
    this.starts++;
    killOnExit(child);
    const running: Running = { child, stdout: [], stdoutLength: 0, stderr: '', exited: false };
    child.stdout.on('data', (data: Buffer) => this.#onStdout(running, data));
    child.stderr.on('data', (data: Buffer) => {
      running.stderr += data.toString('utf8');
      this.#check(running);
    });
    child.stdin.on('error', () => {}); // EPIPE when it died; 'exit' reports it.
    child.on('error', (error: NodeJS.ErrnoException) => {
      const message =
        error.code === 'ENOENT'
          ? `${this.#command} is not installed (run scripts/setup-system.sh)`
          : `${this.#command} could not start: ${error.message}`;
      this.#finish(running, failure('exiftool', error.code === 'ENOENT' ? 'missing-tool' : 'exit', message));
      running.exited = true;
      if (this.#running === running) this.#running = undefined;
      this.#next();
    });
    child.on('exit', (code, signal) => {
      running.exited = true;
      if (this.#running === running) this.#running = undefined;
      const detail = running.stderr.trim().split('\n').slice(-3).join(' ').slice(0, 500);
      this.#finish(
        running,
        code === 127 || programMissing(running.stderr)
          ? failure(
              'exiftool',
              'missing-tool',
              `${this.#command} is not installed (run scripts/setup-system.sh)`,
            )
          : failure('exiftool', 'exit', `exiftool exited (${signal ?? code}) during the command: ${detail}`),
      );
      this.#next();
    });
    return running;
  }

  #onStdout(running: Running, data: Buffer): void {
    running.stdout.push(data);
    running.stdoutLength += data.length;
    if (running.task && running.stdoutLength > this.#maxOutput) {
      this.#finish(running, failure('exiftool', 'parse', 'exiftool printed more than the allowed output'));
      running.child.kill('SIGKILL');
      return;
    }
    this.#check(running);
  }

  /** Completes the command once both streams carry its marker. */
  #check(running: Running): void {
    const task = running.task;
    if (!task) return;
    const marker = `${task.marker}\n`;
    const tail = Buffer.concat(running.stdout.slice(-2)).toString('latin1');
    if (!tail.endsWith(marker)) return;
    const stdout = Buffer.concat(running.stdout, running.stdoutLength);
    if (stdout.length > marker.length && stdout[stdout.length - marker.length - 1] !== 0x0a) return;
    const stderrAt = running.stderr.lastIndexOf(marker);
    if (stderrAt < 0 || (stderrAt > 0 && running.stderr[stderrAt - 1] !== '\n')) return;
    const stderr = running.stderr.slice(0, stderrAt).trim();
    running.stdout = [];
    running.stdoutLength = 0;
    running.stderr = running.stderr.slice(stderrAt + marker.length);
    this.#finish(running, {
      ok: true,
      stdout: stdout.subarray(0, stdout.length - marker.length),
      stderr,
      exitCode: 0,
    });
    this.#next();
  }

  #finish(running: Running, result: RunSuccess | ToolFailure): void {
    const task = running.task;
    if (!task) return;
    running.task = undefined;
    clearTimeout(task.timer);
    task.resolve(result);
  }

  #next(): void {
    if (this.#running?.task) return;
    const task = this.#queue.shift();
    if (!task) {
      this.#idle();
      return;
    }
    clearTimeout(this.#idleTimer);
    let running = this.#running;
    if (!running || running.exited) {
      running = this.#start();
      this.#running = running;
    }
    setRef(running.child, true);
    this.#counter = (this.#counter % 2_000_000_000) + 1;
    const marker = `{ready${this.#counter}}`;
    const timer = setTimeout(() => {
      this.#finish(
        running,
        failure('exiftool', 'timeout', `exiftool did not finish within ${task.timeoutMs} ms`),
      );
      running.exited = true;
      if (this.#running === running) this.#running = undefined;
      running.child.kill('SIGKILL');
      this.#next();
    }, task.timeoutMs);
    running.stdout = [];
    running.stdoutLength = 0;
    running.stderr = '';
    running.task = { ...task, marker, timer };
    running.child.stdin.write(`${[...task.args, '-echo4', marker, `-execute${this.#counter}`].join('\n')}\n`);
  }

  #idle(): void {
    const running = this.#running;
    if (!running || running.exited) return;
    setRef(running.child, false);
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => {
      if (this.#running === running && !running.task && this.#queue.length === 0) {
        running.child.stdin.end('-stay_open\nFalse\n');
        this.#running = undefined;
      }
    }, this.#idleMs);
    this.#idleTimer.unref();
  }
}

/** A few {@link ExiftoolProcess}es; each command goes to the least busy one. */
export class ExiftoolPool {
  readonly #processes: ExiftoolProcess[];

  constructor(size: number = defaultPoolSize(), options: ExiftoolProcessOptions = {}) {
    this.#processes = Array.from({ length: Math.max(1, size) }, () => new ExiftoolProcess(options));
  }

  /** See {@link ExiftoolProcess.run}. */
  run(args: readonly string[], options: { timeoutMs?: number } = {}): Promise<RunSuccess | ToolFailure> {
    // The first idle process, so a second one starts only when the first is busy.
    let best = this.#processes[0]!;
    for (const p of this.#processes) {
      if (p.load === 0) {
        best = p;
        break;
      }
      if (p.load < best.load) best = p;
    }
    return best.run(args, options);
  }

  async close(): Promise<void> {
    await Promise.all(this.#processes.map((p) => p.close()));
  }
}

/** How metadata extraction runs exiftool (settings exiftoolProcesses and exiftoolStayOpen). */
export interface ExiftoolSettings {
  /** Long-lived processes in the shared pool; default min(2, cores). */
  processes?: number | undefined;
  /** false: a process per file instead of the long-lived ones. */
  stayOpen: boolean;
}

let settings: ExiftoolSettings = { stayOpen: true };

/** Applies the configuration; the shared pool is made with it when first used. */
export function configureExiftool(next: ExiftoolSettings): void {
  settings = next;
}

export function exiftoolSettings(): ExiftoolSettings {
  return settings;
}

function defaultPoolSize(): number {
  return settings.processes ?? Math.min(2, availableParallelism());
}

let shared: ExiftoolPool | undefined;

/** The process-wide pool used by metadata extraction (size: setting exiftoolProcesses, else ≤ 2). */
export function sharedExiftool(): ExiftoolPool {
  shared ??= new ExiftoolPool();
  return shared;
}

/** Stops the shared pool's processes (at shutdown; a later call starts new ones). */
export async function closeSharedExiftool(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.close();
}
