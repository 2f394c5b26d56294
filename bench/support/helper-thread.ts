/**
 * A bench's helper thread: the bench file runs itself again in a worker thread (through tsx's loader,
 * which worker threads do not inherit) to play a remote server, so its work does not share the event
 * loop being measured. The main thread asks it one thing at a time.
 */
import { Worker } from 'node:worker_threads';

export interface HelperThread<Command> {
  /** Sends a command and waits for the thread's one answer. */
  ask<T>(message: Command): Promise<T>;
  /** Sends `{ cmd: 'close' }`, waits for the answer and ends the thread. */
  close(): Promise<void>;
}

/** Starts `moduleUrl` (the calling bench's `import.meta.url`) in a thread; resolves with its first message. */
export async function startHelperThread<Ready, Command extends { cmd: string }>(
  moduleUrl: string,
): Promise<{ thread: HelperThread<Command>; ready: Ready }> {
  const worker = new Worker(
    `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(moduleUrl)}); });`,
    { eval: true, workerData: {} },
  );
  const ready = await new Promise<Ready>((resolve) => worker.once('message', resolve));
  const ask = <T>(message: Command): Promise<T> =>
    new Promise((resolve) => {
      worker.once('message', resolve);
      worker.postMessage(message);
    });
  return {
    ready,
    thread: {
      ask,
      async close() {
        await ask({ cmd: 'close' } as Command);
        await worker.terminate();
      },
    },
  };
}
