/** Output files of CLI commands appear whole or not at all: written to a temporary name, fsynced, renamed. */
import { createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** Writes to a temporary name next to `target`; `commit` fsyncs and renames, `abort` removes it. */
export async function atomicWriter(target: string) {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  const stream = createWriteStream(temp, { mode: 0o600 });
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  let failed: Error | undefined;
  stream.on('error', (error) => {
    failed = error;
  });
  const write = (text: string | Uint8Array) =>
    new Promise<void>((resolve, reject) => {
      if (failed) return reject(failed);
      if (stream.write(text)) resolve();
      else stream.once('drain', resolve);
    });
  const close = () => new Promise<void>((resolve) => stream.end(resolve));
  return {
    write,
    async commit() {
      await close();
      if (failed) throw failed;
      const handle = await open(temp, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, target);
    },
    async abort() {
      await close();
      await rm(temp, { force: true });
    },
  };
}
