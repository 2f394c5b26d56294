/** Captures what is written to stdout (fd 1), where the HTTP layer's logger writes. */
import fs from 'node:fs';
import { vi } from 'vitest';

/** Captures what the HTTP layer's logger writes to stdout (fd 1), at 'trace'. */
export function captureStdout() {
  const lines: string[] = [];
  const originalWriteSync = fs.writeSync;
  const originalWrite = fs.write;
  const text = (data: unknown) =>
    typeof data === 'string' ? data : Buffer.from(data as Uint8Array).toString('utf8');
  const length = (data: unknown) =>
    typeof data === 'string' ? Buffer.byteLength(data) : (data as Uint8Array).length;
  const writeSync = vi.spyOn(fs, 'writeSync').mockImplementation(((
    fd: number,
    data: unknown,
    ...rest: unknown[]
  ) => {
    if (fd !== 1) return (originalWriteSync as (...args: unknown[]) => number)(fd, data, ...rest);
    lines.push(text(data));
    return length(data);
  }) as typeof fs.writeSync);
  const write = vi.spyOn(fs, 'write').mockImplementation(((fd: number, data: unknown, ...rest: unknown[]) => {
    if (fd !== 1) return (originalWrite as (...args: unknown[]) => void)(fd, data, ...rest);
    lines.push(text(data));
    (rest.at(-1) as (error: null, written: number) => void)(null, length(data));
  }) as typeof fs.write);
  return {
    text: () => lines.join(''),
    restore: () => {
      writeSync.mockRestore();
      write.mockRestore();
    },
  };
}
