/**
 * Confinement of the media tools. Crafted files reach ffmpeg, ffprobe and exiftool, so each runs:
 * - without network and with a read-only view of the file system, writable only in the directories its
 *   output goes to (bubblewrap's `bwrap`: a new network, IPC and PID namespace, dying with its parent), when
 *   the system has bubblewrap and may create namespaces;
 * - under resource limits (`prlimit`): address space, CPU seconds and the size of any file it writes;
 * - ffmpeg and ffprobe also open only local files (`-protocol_whitelist`, which callers put before each input:
 *   a playlist inside a file cannot make them fetch a URL).
 * Without bubblewrap the limits still apply, and one process warning says the tools run unconfined.
 * sharp runs in-process (a native library, no subprocess): its inputs are bounded by the pipeline's pixel limit.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Only local files: ffmpeg's input option, placed before every `-i` and before ffprobe's input. */
export const LOCAL_FILES_ONLY = ['-protocol_whitelist', 'file'] as const;

export const TOOL_LIMITS = {
  /** Address space of one tool process. */
  addressSpaceBytes: 4 * 1024 ** 3,
  /** CPU time of one short-lived tool run (a long-running exiftool has per-task timeouts instead). */
  cpuSeconds: 600,
  /** Largest file a tool may write (a stripped copy of the largest accepted video fits). */
  fileSizeBytes: 64 * 1024 ** 3,
} as const;

export interface ConfineOptions {
  /** Directories the tool may write to (its output's directory); none by default. */
  writable?: readonly string[];
  /** Limit CPU seconds (off for long-running processes). */
  limitCpu?: boolean;
}

const BWRAP = '/usr/bin/bwrap';
const PRLIMIT = '/usr/bin/prlimit';
const BOX = [
  '--ro-bind',
  '/',
  '/',
  '--dev',
  '/dev',
  '--proc',
  '/proc',
  '--unshare-net',
  '--unshare-ipc',
  '--unshare-pid',
  '--die-with-parent',
  '--new-session',
];

let confinement: 'bubblewrap' | 'limits-only' | undefined;

/** Whether the tools run in bubblewrap here (probed once: installed, and namespaces allowed). */
export function confinementMode(): 'bubblewrap' | 'limits-only' {
  if (confinement) return confinement;
  const usable =
    process.platform === 'linux' &&
    existsSync(BWRAP) &&
    spawnSync(BWRAP, [...BOX, '--', 'true'], { timeout: 10_000, stdio: 'ignore' }).status === 0;
  confinement = usable ? 'bubblewrap' : 'limits-only';
  if (!usable)
    process.emitWarning(
      'media tools run without bubblewrap (install it, and allow user namespaces): they have network access and can write where the server can',
      { code: 'SVIEDKA_MEDIA_UNCONFINED' },
    );
  return confinement;
}

/** Whether bubblewrap's or prlimit's error output says the confined program does not exist. */
export function programMissing(stderr: string): boolean {
  return /(?:execvp|failed to execute) .*No such file or directory/.test(stderr);
}

/** The program and arguments that run `command args` confined. */
export function confine(
  command: string,
  args: readonly string[],
  options: ConfineOptions = {},
): [string, string[]] {
  const limits = existsSync(PRLIMIT)
    ? [
        PRLIMIT,
        `--as=${TOOL_LIMITS.addressSpaceBytes}`,
        `--fsize=${TOOL_LIMITS.fileSizeBytes}`,
        ...(options.limitCpu === false ? [] : [`--cpu=${TOOL_LIMITS.cpuSeconds}`]),
        '--',
      ]
    : [];
  const box =
    confinementMode() === 'bubblewrap'
      ? [BWRAP, ...BOX, ...(options.writable ?? []).flatMap((dir) => ['--bind', dir, dir]), '--']
      : [];
  const [program, ...rest] = [...box, ...limits, command, ...args];
  return [program!, rest];
}
