/**
 * The content-addressed, encrypted blob store on the local filesystem.
 *
 * Layout: `<root>/ab/cd/<sha256>` for stored blobs, `<root>/tmp/` for writes in progress. A blob file is
 * `SVDBLOB1` + a libsodium secretstream (XChaCha20-Poly1305) header + 64 KiB plaintext chunks, each
 * sealed on its own (the last one tagged FINAL, so truncation is detected). The stream is produced and
 * read by secretstream.ts, a byte-compatible implementation on OpenSSL (libsodium's WebAssembly build
 * was the ingest bottleneck); files are identical in format whichever implementation wrote them. Every blob has its own
 * random data key; the key is stored in the `blobs` row wrapped by the master key ring and bound to
 * the blob's SHA-256, so key rotation re-wraps 32-byte keys in the database and never rewrites files.
 *
 * One streaming pass hashes the plaintext (SHA-256, the blob's address) and encrypts it; nothing is
 * held in memory beyond one chunk and the pending write.
 *
 * Crash safety (neither a row without a file nor a final file without a row):
 *   1. write `tmp/<random>.part`, fsync, close;
 *   2. rename it to `tmp/<sha256>.<random>.staged` (now the hash is known);
 *   3. inside the caller's transaction: insert the row (the unique key decides duplicates); if it is new,
 *      hard-link the staged file to its final path and fsync the directory; the caller inserts its own
 *      rows in the same transaction. (`place()` does the link and fsync just before the transaction
 *      instead, so the database is not held while the disk syncs; the states a crash can leave are
 *      the same as a crash inside 3.);
 *   4. after COMMIT, unlink the staged name. After a ROLLBACK, unlink the final link if it is still our
 *      inode, then the staged name.
 * A crash before 3 leaves only files in tmp/. A crash inside 3 (after the link, before COMMIT) leaves
 * a final file with no row *and* a staged file with the same inode: the start-up sweep sees the staged
 * name, finds no row, and removes both links. A crash after COMMIT leaves a redundant staged link,
 * removed by the sweep because the row exists. So the sweep only reads tmp/, never the whole store.
 * With several processes on one store (PostgreSQL mode) another process may be between steps, so the
 * sweep leaves files younger than `sweepGraceMs` alone; an embedded data directory is locked to one
 * process and sweeps everything.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import {
  type FileHandle,
  link as linkFile,
  mkdir,
  open,
  readdir,
  rename,
  rm,
  stat,
  unlink,
  utimes,
} from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Kysely, Transaction } from 'kysely';
import type { KeyRing } from '../crypto.js';
import type { AnyDb, AnyTransaction } from '../db/database.js';
import { AppError } from '../errors.js';

// Its codes are registered wherever the store is loaded (tests load it without the catalogue).
export { blobErrors } from './errors.js';

import { registerEncryptedColumn } from '../keys.js';
import { SecretStreamPull, SecretStreamPush, TAG_FINAL, TAG_MESSAGE } from './secretstream.js';

const MAGIC = Buffer.from('SVDBLOB1', 'latin1');
/** Plaintext bytes per sealed chunk. */
export const BLOB_CHUNK = 64 * 1024;
const ABYTES = 17; // crypto_secretstream_xchacha20poly1305_ABYTES
const HEADERBYTES = 24;
/** Flush encrypted output to disk in batches of about this size. */
const WRITE_BATCH = 1024 * 1024;

export type BlobsTable = {
  sha256: string;
  size: number;
  data_key: Buffer;
  format: string;
  created_at: Date;
};
type BlobTables = { blobs: BlobsTable };

registerEncryptedColumn({
  table: 'blobs',
  idColumn: 'sha256',
  column: 'data_key',
  aad: (sha256) => `blobs.data_key:${sha256}`,
});

/** A blob written and fsynced in tmp/, not yet visible. Commit it inside the transaction that uses it. */
export interface StagedBlob {
  readonly sha256: string;
  readonly size: number;
  /** The first bytes of the plaintext (for content type detection), up to `headBytes`. */
  readonly head: Buffer;
  /**
   * Links the file to its final path (and syncs the directory) before the transaction, so the
   * transaction does not wait for the disk. Optional: `commit` does it when it was not done. Until the
   * row commits, the final file is an orphan the sweep removes after a crash (its staged twin says so).
   */
  place(): Promise<void>;
  /** Inserts the row and links the file into place; `created` is false when the bytes were already stored. */
  commit(trx: AnyTransaction): Promise<{ created: boolean }>;
  /** Call after the transaction committed. */
  finish(): Promise<void>;
  /** Call when the transaction failed or was never started: removes everything this write left. */
  abort(): Promise<void>;
}

export interface PutResult {
  sha256: string;
  size: number;
  created: boolean;
}

export interface BlobVerifyResult {
  ok: boolean;
  /** Why not: missing file or row, decryption failure (damaged or altered), truncated, wrong hash. */
  problem?: 'missing' | 'no-record' | 'damaged' | 'truncated' | 'hash-mismatch';
  message?: string;
  size?: number;
}

/** The blob store interface: filesystem now, S3-compatible later. */
export interface BlobStore {
  stage(
    input: AsyncIterable<Uint8Array> | Readable,
    options?: { maxBytes?: number; headBytes?: number; at?: Date },
  ): Promise<StagedBlob>;
  put(input: AsyncIterable<Uint8Array> | Readable, options?: { maxBytes?: number }): Promise<PutResult>;
  /** The decrypted content; errors (missing, damaged) arrive as stream errors. */
  get(sha256: string): Readable;
  has(sha256: string): Promise<boolean>;
  verify(sha256: string): Promise<BlobVerifyResult>;
  sweep(): Promise<{ removed: number }>;
  /**
   * Destroys a blob in the caller's transaction: the row holding its wrapped data key is deleted, so
   * the file cannot be decrypted from then on (crypto-shredding). `removeFile()`, called after COMMIT,
   * unlinks the file; a crash in between leaves only ciphertext without a key.
   */
  destroy(trx: AnyTransaction, sha256: string): Promise<{ destroyed: boolean; removeFile(): Promise<void> }>;
}

export interface FsBlobStoreOptions {
  /** Default maximum plaintext size (bytes); 4 GB unless set. */
  maxBytes?: number;
  /** Files in tmp/ younger than this are left alone by the sweep (other processes may own them). */
  sweepGraceMs?: number;
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function inode(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).ino;
  } catch {
    return undefined;
  }
}

/** Filesystem blob store; see the module comment for the format and crash-safety argument. */
export class FsBlobStore implements BlobStore {
  readonly root: string;
  readonly tmpDir: string;
  readonly maxBytes: number;
  readonly #db: Kysely<BlobTables>;
  readonly #keys: KeyRing;
  readonly #graceMs: number;

  constructor(db: AnyDb, keys: KeyRing, root: string, options: FsBlobStoreOptions = {}) {
    this.#db = db.withTables<BlobTables>();
    this.#keys = keys;
    this.root = root;
    this.tmpDir = path.join(root, 'tmp');
    this.maxBytes = options.maxBytes ?? 4 * 1024 ** 3;
    this.#graceMs = options.sweepGraceMs ?? 60 * 60 * 1000;
  }

  /** Where a blob's file lives. */
  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new AppError('SVD_BLOB_NOT_FOUND');
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async stage(
    input: AsyncIterable<Uint8Array> | Readable,
    options: {
      maxBytes?: number;
      headBytes?: number;
      /**
       * The time the blob's row and file carry instead of now (a citizen's submission: the start of its
       * day), so neither the database nor the file system dates it more finely. The file's and its
       * directories' modification and access times are set to it (the inode change time cannot be).
       */
      at?: Date;
    } = {},
  ): Promise<StagedBlob> {
    const maxBytes = options.maxBytes ?? this.maxBytes;
    const headBytes = options.headBytes ?? 0;
    await mkdir(this.tmpDir, { recursive: true, mode: 0o700 });
    const random = randomUUID();
    const partPath = path.join(this.tmpDir, `${random}.part`);
    const handle = await open(partPath, 'wx', 0o600);
    const dataKey = randomBytes(32);
    const stream = new SecretStreamPush(dataKey);
    const hash = createHash('sha256');
    const chunk = Buffer.allocUnsafe(BLOB_CHUNK);
    let filled = 0;
    let size = 0;
    const head: Buffer[] = [];
    let headLength = 0;
    let batch: Uint8Array[] = [MAGIC, stream.header];
    let batchLength = MAGIC.length + HEADERBYTES;
    let position = 0;
    let pending: Promise<unknown> = Promise.resolve();
    const flush = async () => {
      const buffers = batch;
      const at = position;
      position += batchLength;
      batch = [];
      batchLength = 0;
      // One write in flight while the next batch is being encrypted.
      await pending;
      pending = handle.writev(buffers, at);
    };
    const seal = (bytes: Uint8Array, tag: number) => {
      for (const piece of stream.push(bytes, tag)) batch.push(piece);
      batchLength += bytes.length + ABYTES;
    };
    try {
      for await (const piece of input as AsyncIterable<Uint8Array>) {
        const bytes = typeof piece === 'string' ? Buffer.from(piece) : piece;
        size += bytes.length;
        if (size > maxBytes) {
          throw new AppError('SVD_BLOB_TOO_LARGE', {
            message: `The file is larger than the maximum of ${maxBytes} bytes.`,
            details: { maxBytes },
          });
        }
        hash.update(bytes);
        if (headLength < headBytes) {
          const take = bytes.subarray(0, headBytes - headLength);
          head.push(Buffer.from(take));
          headLength += take.length;
        }
        let offset = 0;
        while (offset < bytes.length) {
          const n = Math.min(BLOB_CHUNK - filled, bytes.length - offset);
          if (n === BLOB_CHUNK && filled === 0) {
            // Whole chunk available in the input: no copy.
            seal(bytes.subarray(offset, offset + n), TAG_MESSAGE);
          } else {
            chunk.set(bytes.subarray(offset, offset + n), filled);
            filled += n;
            if (filled === BLOB_CHUNK) {
              seal(chunk, TAG_MESSAGE);
              filled = 0;
            }
          }
          offset += n;
          if (batchLength >= WRITE_BATCH) await flush();
        }
      }
      seal(chunk.subarray(0, filled), TAG_FINAL);
      await flush();
      await pending;
      await handle.sync();
      await handle.close();
    } catch (error) {
      if (input instanceof Readable) input.destroy();
      await pending.catch(() => {});
      await handle.close().catch(() => {});
      await rm(partPath, { force: true });
      if (error instanceof AppError) throw error;
      throw new AppError('SVD_BLOB_INPUT', {
        cause: error,
        message: `The upload could not be read: ${(error as Error).message}`,
      });
    }
    const sha256 = hash.digest('hex');
    const stagedPath = path.join(this.tmpDir, `${sha256}.${random}.staged`);
    await rename(partPath, stagedPath);
    if (options.at) await utimes(stagedPath, options.at, options.at);
    const finalPath = this.pathOf(sha256);
    const tmpDir = this.tmpDir;
    /** Sets the directories this write changed back to `options.at`. */
    const backdate = async (...directories: string[]) => {
      if (options.at)
        for (const directory of directories) await utimes(directory, options.at, options.at).catch(() => {});
    };
    const wrapped = this.#keys.encryptField(dataKey, `blobs.data_key:${sha256}`);
    let linked: number | undefined;
    /** Whether this write's file is at the final path (placed before the transaction, or in it). */
    const link = async (replaceOrphan: boolean): Promise<boolean> => {
      await mkdir(path.dirname(finalPath), { recursive: true, mode: 0o700 });
      try {
        await linkFile(stagedPath, finalPath);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        if (!replaceOrphan) return false;
        // A file with no row (the row insert succeeded): an orphan from a crash. Replace it.
        await unlink(finalPath);
        await linkFile(stagedPath, finalPath);
      }
      linked = await inode(stagedPath);
      await backdate(path.dirname(finalPath), path.dirname(path.dirname(finalPath)), this.root);
      await fsyncDir(path.dirname(finalPath));
      return true;
    };
    let placed = false;
    let created = false;
    return {
      sha256,
      size,
      head: Buffer.concat(head),
      async place() {
        placed = await link(false);
      },
      async commit(trx) {
        const inserted = await (trx as Transaction<BlobTables>)
          .insertInto('blobs')
          .values({
            sha256,
            size,
            data_key: wrapped,
            format: 'secretstream-xchacha20poly1305-64k-v1',
            created_at: options.at ?? new Date(),
          })
          .onConflict((oc) => oc.column('sha256').doNothing())
          .returning('sha256')
          .executeTakeFirst();
        created = inserted !== undefined;
        if (created && !placed) await link(true);
        return { created };
      },
      async finish() {
        // Placed before the transaction but the bytes were already stored: the file is not this row's.
        if (placed && !created && (await inode(finalPath)) === linked) await rm(finalPath, { force: true });
        await rm(stagedPath, { force: true });
        await backdate(tmpDir);
      },
      async abort() {
        if (linked !== undefined && (await inode(finalPath)) === linked) await rm(finalPath, { force: true });
        await rm(stagedPath, { force: true });
      },
    };
  }

  async put(
    input: AsyncIterable<Uint8Array> | Readable,
    options: { maxBytes?: number } = {},
  ): Promise<PutResult> {
    const staged = await this.stage(input, options);
    try {
      const { created } = await this.#db.transaction().execute((trx) => staged.commit(trx));
      await staged.finish();
      return { sha256: staged.sha256, size: staged.size, created };
    } catch (error) {
      await staged.abort();
      throw error;
    }
  }

  async #dataKey(sha256: string): Promise<Buffer | undefined> {
    const row = await this.#db
      .selectFrom('blobs')
      .select(['data_key'])
      .where('sha256', '=', sha256)
      .executeTakeFirst();
    return row ? this.#keys.decryptField(row.data_key, `blobs.data_key:${sha256}`) : undefined;
  }

  /** Decrypted chunks of a blob; throws AppError SVD_BLOB_* when missing, damaged or truncated. */
  async *#chunks(sha256: string): AsyncGenerator<Buffer> {
    const key = await this.#dataKey(sha256);
    if (!key) throw new AppError('SVD_BLOB_NOT_FOUND', { details: { sha256, problem: 'no-record' } });
    let handle: FileHandle;
    try {
      handle = await open(this.pathOf(sha256), 'r');
    } catch {
      throw new AppError('SVD_BLOB_NOT_FOUND', { details: { sha256, problem: 'missing' } });
    }
    try {
      const start = Buffer.alloc(MAGIC.length + HEADERBYTES);
      const { bytesRead } = await handle.read(start, 0, start.length, 0);
      if (bytesRead < start.length || !start.subarray(0, MAGIC.length).equals(MAGIC)) {
        throw new AppError('SVD_BLOB_CORRUPT', { details: { sha256, problem: 'damaged', chunk: 0 } });
      }
      let stream: SecretStreamPull;
      try {
        stream = new SecretStreamPull(start.subarray(MAGIC.length), key);
      } catch (cause) {
        throw new AppError('SVD_BLOB_CORRUPT', { cause, details: { sha256, problem: 'damaged', chunk: 0 } });
      }
      let position = start.length;
      const buffer = Buffer.alloc(BLOB_CHUNK + ABYTES);
      for (let index = 1; ; index++) {
        const { bytesRead: n } = await handle.read(buffer, 0, buffer.length, position);
        if (n === 0) {
          throw new AppError('SVD_BLOB_CORRUPT', { details: { sha256, problem: 'truncated', chunk: index } });
        }
        position += n;
        const result = stream.pull(buffer.subarray(0, n));
        if (!result) {
          throw new AppError('SVD_BLOB_CORRUPT', { details: { sha256, problem: 'damaged', chunk: index } });
        }
        if (result.message.length) yield result.message;
        if (result.tag === TAG_FINAL) {
          const extra = await handle.read(Buffer.alloc(1), 0, 1, position);
          if (extra.bytesRead > 0)
            throw new AppError('SVD_BLOB_CORRUPT', {
              details: { sha256, problem: 'damaged', chunk: index + 1 },
            });
          return;
        }
        if (n < buffer.length) {
          throw new AppError('SVD_BLOB_CORRUPT', { details: { sha256, problem: 'truncated', chunk: index } });
        }
      }
    } finally {
      await handle.close();
    }
  }

  get(sha256: string): Readable {
    return Readable.from(this.#chunks(sha256), { objectMode: false, highWaterMark: BLOB_CHUNK * 4 });
  }

  async has(sha256: string): Promise<boolean> {
    const row = await this.#db
      .selectFrom('blobs')
      .select('sha256')
      .where('sha256', '=', sha256)
      .executeTakeFirst();
    return row !== undefined && (await inode(this.pathOf(sha256))) !== undefined;
  }

  async verify(sha256: string): Promise<BlobVerifyResult> {
    const hash = createHash('sha256');
    let size = 0;
    try {
      for await (const piece of this.#chunks(sha256)) {
        hash.update(piece);
        size += piece.length;
      }
    } catch (error) {
      if (error instanceof AppError && error.details) {
        const problem = error.details.problem as BlobVerifyResult['problem'];
        const messages: Record<string, string> = {
          missing: 'the blob file is missing',
          'no-record': 'the blob has no record (no key)',
          damaged: `blob content does not match sha256 (chunk ${String(error.details.chunk)} fails authentication: altered or damaged)`,
          truncated: `blob content does not match sha256 (file truncated at chunk ${String(error.details.chunk)})`,
        };
        return { ok: false, problem, message: messages[problem ?? ''] ?? error.message };
      }
      return { ok: false, problem: 'damaged', message: `blob cannot be read: ${(error as Error).message}` };
    }
    const actual = hash.digest('hex');
    if (actual !== sha256) {
      return {
        ok: false,
        problem: 'hash-mismatch',
        message: `blob content does not match sha256 (got ${actual})`,
        size,
      };
    }
    return { ok: true, size };
  }

  async sweep(): Promise<{ removed: number }> {
    let names: string[];
    try {
      names = await readdir(this.tmpDir);
    } catch {
      return { removed: 0 };
    }
    let removed = 0;
    const now = Date.now();
    for (const name of names) {
      const file = path.join(this.tmpDir, name);
      const info = await stat(file).catch(() => undefined);
      if (!info || now - info.mtimeMs < this.#graceMs) continue;
      const staged = /^([0-9a-f]{64})\.[0-9a-f-]+\.staged$/.exec(name);
      if (staged) {
        const sha256 = staged[1]!;
        const row = await this.#db
          .selectFrom('blobs')
          .select('sha256')
          .where('sha256', '=', sha256)
          .executeTakeFirst();
        if (!row) {
          const finalPath = this.pathOf(sha256);
          if ((await inode(finalPath)) === info.ino) {
            await rm(finalPath, { force: true });
            removed++;
          }
        }
      }
      await rm(file, { force: true });
      removed++;
    }
    return { removed };
  }

  async destroy(
    trx: AnyTransaction,
    sha256: string,
  ): Promise<{ destroyed: boolean; removeFile(): Promise<void> }> {
    const file = this.pathOf(sha256);
    const row = await (trx as Transaction<BlobTables>)
      .deleteFrom('blobs')
      .where('sha256', '=', sha256)
      .returning('sha256')
      .executeTakeFirst();
    // The file as it is now: the same bytes written again after COMMIT get a new file (a new inode),
    // which must not be removed.
    const before = row ? await inode(file) : undefined;
    return {
      destroyed: row !== undefined,
      removeFile: async () => {
        if (before === undefined || (await inode(file)) !== before) return;
        await rm(file, { force: true });
        await fsyncDir(path.dirname(file));
      },
    };
  }

  /** Plain read of the raw encrypted file (tests, backups). */
  rawStream(sha256: string): Readable {
    return createReadStream(this.pathOf(sha256));
  }
}
