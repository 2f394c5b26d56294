/**
 * An exclusive lock on an embedded data directory. PGlite keeps the whole cluster in one process;
 * a second process opening the same directory would corrupt it, so the second one must fail clearly.
 * The lock file holds the owner's pid; a lock left by a dead process is taken over.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * Takes the lock on `dataDir` or throws SVD_DB_LOCKED naming the holder; returns the release function.
 * The lock file appears with the pid already in it (written to a private file, then hard-linked into
 * place, which fails if the lock exists), so no process ever reads an empty lock. A stale lock is moved
 * aside by an atomic rename; if what was moved turns out to be a live process's fresh lock (two
 * take-overs racing), it is put back and this process gives up.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, 'sviedka.lock');
  const mine = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(mine, String(process.pid), { mode: 0o600, flag: 'wx' });
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(mine, file);
        let released = false;
        return () => {
          if (released) return;
          released = true;
          if (readPid(file) === process.pid) rmSync(file, { force: true });
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = readPid(file);
      if (holder !== undefined && processAlive(holder)) throw locked(dataDir, holder);
      // Stale (its process is gone): move it aside, then check that what was moved is that stale lock.
      const aside = `${file}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
      try {
        renameSync(file, aside);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw error;
      }
      const moved = readPid(aside);
      if (moved !== undefined && moved !== holder && processAlive(moved)) {
        try {
          linkSync(aside, file);
        } finally {
          rmSync(aside, { force: true });
        }
        throw locked(dataDir, moved);
      }
      rmSync(aside, { force: true });
    }
    throw new AppError('SVD_DB_LOCKED');
  } finally {
    rmSync(mine, { force: true });
  }
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isFinite(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function locked(dataDir: string, holder: number): AppError {
  return new AppError('SVD_DB_LOCKED', {
    message: `The data directory ${dataDir} is in use by another Sviedka process (pid ${holder}). Stop it first, or use PostgreSQL (DATABASE_URL) for several processes.`,
  });
}
