import { execFile } from 'node:child_process';
import { confine, programMissing } from './sandbox.js';
import type { MediaTool, ToolFailure } from './types.js';
import { failure } from './types.js';

export interface RunOptions {
  /** Milliseconds before the process is killed (SIGKILL). */
  timeoutMs?: number;
  /** Largest stdout accepted, in bytes. */
  maxBuffer?: number;
  /** Directories the tool may write to (see sandbox.ts); none by default. */
  writable?: readonly string[];
}

export interface RunSuccess {
  ok: true;
  stdout: Buffer;
  stderr: string;
  exitCode: number;
}

/** Default timeout: generous for a 2-core machine reading a large video, short enough to not hang ingest. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * Runs a program without a shell, confined (sandbox.ts: no network, read-only file system but for
 * `writable`, resource limits), and collects its output. A non-zero exit is returned as a success with
 * `exitCode` when `allowNonZero` is set, because exiftool exits 1 for files it reads only partly yet
 * still prints useful JSON.
 */
export function runTool(
  tool: MediaTool,
  command: string,
  args: readonly string[],
  options: RunOptions & { allowNonZero?: boolean } = {},
): Promise<RunSuccess | ToolFailure> {
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const [program, confinedArgs] = confine(command, args, { writable: options.writable ?? [] });
  return new Promise((resolve) => {
    execFile(
      program,
      confinedArgs,
      {
        encoding: 'buffer',
        timeout,
        killSignal: 'SIGKILL',
        maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024,
        windowsHide: true,
        env: { ...process.env, LC_ALL: 'C.UTF-8' },
      },
      (error, stdout, stderr) => {
        const errText = stderr.toString('utf8').trim();
        if (!error) {
          resolve({ ok: true, stdout, stderr: errText, exitCode: 0 });
          return;
        }
        const e = error as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null };
        if (e.code === 'ENOENT' || programMissing(errText)) {
          resolve(failure(tool, 'missing-tool', `${command} is not installed (run scripts/setup-system.sh)`));
        } else if (e.killed || e.signal === 'SIGKILL') {
          resolve(failure(tool, 'timeout', `${command} did not finish within ${timeout} ms`));
        } else if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          resolve(failure(tool, 'parse', `${command} printed more than the allowed output`));
        } else if (typeof e.code === 'number' && options.allowNonZero) {
          resolve({ ok: true, stdout, stderr: errText, exitCode: e.code });
        } else {
          const detail = errText.split('\n').slice(-3).join(' ').slice(0, 500);
          resolve(failure(tool, 'exit', `${command} exited with ${String(e.code)}: ${detail || e.message}`));
        }
      },
    );
  });
}

/** ffmpeg and ffprobe read `proto:` prefixes; `file:` pins a path to the local file protocol. */
export function ffmpegInput(absPath: string): string {
  return `file:${absPath}`;
}
