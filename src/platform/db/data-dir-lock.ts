/**
 * An exclusive lock on an embedded data directory. PGlite keeps the whole cluster in one process;
 * a second process opening the same directory would corrupt it, so the second one must fail clearly.
 * The lock file holds the owner's pid; a lock left by a dead process is taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.js';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock on `dataDir` or throws SVD_DB_LOCKED naming the holder; returns the release function. */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, 'sviedka.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isFinite(holder) && processAlive(holder)) {
        throw new AppError('SVD_DB_LOCKED', {
          message: `The data directory ${dataDir} is in use by another Sviedka process (pid ${holder}). Stop it first, or use PostgreSQL (DATABASE_URL) for several processes.`,
        });
      }
      rmSync(file, { force: true });
    }
  }
  throw new AppError('SVD_DB_LOCKED');
}
