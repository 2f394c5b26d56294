/**
 * A tus DataStore that never keeps a partial resumable upload in plaintext on disk.
 *
 * Files, per upload id in the store's directory:
 *   `<id>.info`  `SVDTUSI1` + the upload's description (size, tus metadata such as the file name or
 *                a citizen's note and contact, creation time, the upload's own random data key) as JSON,
 *                encrypted with KeyRing.encryptField (XChaCha20-Poly1305 under the master key ring's
 *                field subkey) and bound to `evidence.tus:<label>:<id>`, so it neither reads in clear nor
 *                decrypts when moved to another upload or store. Rewritten whole (temporary name, fsync,
 *                rename) when the length is declared later.
 *   `<id>.data`  `SVDTUSD1` + records. Each PATCH's bytes are cut into records of at most 64 KiB of
 *                plaintext: `[u32 BE plaintext length][12-byte random nonce][ciphertext][16-byte tag]`,
 *                ChaCha20-Poly1305 (OpenSSL) under the upload's data key, with the store label, the
 *                upload id, the record's index and its length as associated data, so records cannot be
 *                reordered, dropped in the middle, resized or moved between uploads unnoticed.
 *
 * The upload's offset is the sum of the plaintext lengths of the whole records. A crash (or a lost
 * connection) in the middle of a write leaves a torn last record; the next HEAD or PATCH (both call
 * getUpload under the tus lock) cuts the file back to the last whole record whose tag verifies, so the
 * client resumes from a true offset. Nonces are random rather than counters because a cut record's index
 * is used again for different bytes.
 *
 * A finished upload is read back with `read(id)`: a stream that decrypts record by record (constant
 * memory) into the evidence intake, which hashes and re-encrypts it into the blob store.
 *
 * Expiry counts from the last write (not from creation: a large video over Tor may take longer than a
 * day in total): `deleteExpired()` removes uploads untouched for `expiryMs`, stray temporaries, and the
 * plaintext leftovers of the previous file store (`<32 hex>` and `<32 hex>.json`); getUpload answers
 * 410 Gone for an expired upload before the sweep has run.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { DataStore, ERRORS, Upload } from '@tus/server';
import type { KeyRing } from '../../platform/crypto.js';
import { AppError } from '../../platform/errors.js';

// Its codes are registered wherever the store is loaded (tests load it without the catalogue).
export { tusStoreErrors } from './tus-errors.js';

const DATA_MAGIC = Buffer.from('SVDTUSD1', 'latin1');
const INFO_MAGIC = Buffer.from('SVDTUSI1', 'latin1');
/** Plaintext bytes per record (at most). */
export const RECORD_PLAINTEXT = 64 * 1024;
const RECORD_HEADER = 4 + 12;
const TAG = 16;
/** Encrypted records are written to disk in batches of about this size. */
const WRITE_BATCH = 1024 * 1024;
/** How many trailing records may be cut when their tags fail (records written after the last fsync). */
const MAX_TORN_RECORDS = 16;
const UPLOAD_ID = /^[A-Za-z0-9_-]{1,200}$/;
/** Files of @tus/file-store, which kept partial uploads in plaintext here before. */
const LEGACY_FILE = /^[0-9a-f]{32}(\.json)?$/;

export interface EncryptedTusStoreOptions {
  directory: string;
  keys: KeyRing;
  /** Distinguishes stores in the associated data (e.g. 'staff', 'citizen'). */
  label: string;
  /** An upload untouched this long is gone (default 24 h). */
  expiryMs?: number;
  /**
   * Whether getUpload returns the tus metadata (which the tus server echoes in HEAD answers). Off for
   * the citizen store: a note or contact must not be readable by whoever learns the upload's URL.
   * `metadata(id)` always returns it.
   */
  exposeMetadata?: boolean;
  /** Temporary files younger than this are left alone by the sweep (default 1 h). */
  sweepGraceMs?: number;
}

interface UploadInfo {
  format: 1;
  id: string;
  size?: number;
  metadata?: Record<string, string | null>;
  creationDate: string;
  dataKey: string;
}

interface UploadState {
  info: UploadInfo;
  key: Buffer;
  /** Whole records in the data file. */
  records: number;
  /** Plaintext bytes in those records: the tus offset. */
  offset: number;
  /** The data file's length as of the last scan or write (-1: unknown, scan again). */
  fileLength: number;
  /** Last modification of the data file (ms since the epoch). */
  modified: number;
}

function isMissing(error: unknown): boolean {
  return (error as { code?: string })?.code === 'ENOENT';
}

async function fsyncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function readFully(handle: FileHandle, buffer: Buffer, length: number, position: number) {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}

/** The encrypted tus store; see the module comment for the format and the recovery rules. */
export class EncryptedTusStore extends DataStore {
  readonly directory: string;
  readonly expiryMs: number;
  readonly #keys: KeyRing;
  readonly #label: string;
  readonly #exposeMetadata: boolean;
  readonly #graceMs: number;
  readonly #states = new Map<string, UploadState>();
  readonly #writing = new Set<string>();

  constructor(options: EncryptedTusStoreOptions) {
    super();
    this.directory = options.directory;
    this.#keys = options.keys;
    this.#label = options.label;
    this.expiryMs = options.expiryMs ?? 24 * 3600 * 1000;
    this.#exposeMetadata = options.exposeMetadata ?? true;
    this.#graceMs = options.sweepGraceMs ?? 3600 * 1000;
    // No 'expiration': the tus server would count it from creation; this store counts from the last write.
    this.extensions = ['creation', 'creation-with-upload', 'creation-defer-length', 'termination'];
  }

  #path(id: string, kind: 'info' | 'data'): string {
    if (!UPLOAD_ID.test(id)) throw ERRORS.FILE_NOT_FOUND;
    return path.join(this.directory, `${id}.${kind}`);
  }

  #infoBinding(id: string): string {
    return `evidence.tus:${this.#label}:${id}`;
  }

  #aad(id: string, index: number, length: number): Buffer {
    const name = Buffer.from(`${this.#label}:${id}\0`, 'utf8');
    const numbers = Buffer.alloc(12);
    numbers.writeBigUInt64BE(BigInt(index), 0);
    numbers.writeUInt32BE(length, 8);
    return Buffer.concat([DATA_MAGIC, name, numbers]);
  }

  #seal(state: UploadState, index: number, plaintext: Buffer): Buffer[] {
    const header = Buffer.allocUnsafe(RECORD_HEADER);
    header.writeUInt32BE(plaintext.length, 0);
    const nonce = randomBytes(12);
    nonce.copy(header, 4);
    const cipher = createCipheriv('chacha20-poly1305', state.key, nonce, { authTagLength: TAG });
    cipher.setAAD(this.#aad(state.info.id, index, plaintext.length), { plaintextLength: plaintext.length });
    const body = cipher.update(plaintext);
    cipher.final();
    return [header, body, cipher.getAuthTag()];
  }

  /** Decrypts one record (`record` = header, ciphertext, tag); throws SVD_EVIDENCE_UPLOAD_DAMAGED. */
  #open(state: UploadState, index: number, record: Buffer): Buffer {
    const length = record.readUInt32BE(0);
    try {
      const decipher = createDecipheriv('chacha20-poly1305', state.key, record.subarray(4, RECORD_HEADER), {
        authTagLength: TAG,
      });
      decipher.setAAD(this.#aad(state.info.id, index, length), { plaintextLength: length });
      decipher.setAuthTag(record.subarray(RECORD_HEADER + length, RECORD_HEADER + length + TAG));
      const plaintext = decipher.update(record.subarray(RECORD_HEADER, RECORD_HEADER + length));
      decipher.final();
      return plaintext;
    } catch (cause) {
      throw new AppError('SVD_EVIDENCE_UPLOAD_DAMAGED', {
        message: `Partial upload ${state.info.id}: record ${index} does not decrypt.`,
        cause,
      });
    }
  }

  async #writeInfo(info: UploadInfo): Promise<void> {
    const file = this.#path(info.id, 'info');
    const temporary = path.join(this.directory, `${info.id}.${randomUUID()}.tmp`);
    const sealed = this.#keys.encryptField(JSON.stringify(info), this.#infoBinding(info.id));
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(Buffer.concat([INFO_MAGIC, sealed]));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
    await fsyncDirectory(this.directory);
  }

  async #readInfo(id: string): Promise<UploadInfo> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.#path(id, 'info'));
    } catch (error) {
      if (isMissing(error)) throw ERRORS.FILE_NOT_FOUND;
      throw error;
    }
    if (!bytes.subarray(0, INFO_MAGIC.length).equals(INFO_MAGIC))
      throw new AppError('SVD_EVIDENCE_UPLOAD_DAMAGED', {
        message: `Partial upload ${id}: bad description.`,
      });
    let info: UploadInfo;
    try {
      info = JSON.parse(
        this.#keys.decryptFieldText(bytes.subarray(INFO_MAGIC.length), this.#infoBinding(id)),
      ) as UploadInfo;
    } catch (cause) {
      throw new AppError('SVD_EVIDENCE_UPLOAD_KEY', {
        message: `Partial upload ${id} cannot be decrypted with the configured keys (wrong or missing master key version).`,
        cause,
      });
    }
    if (info.format !== 1 || info.id !== id)
      throw new AppError('SVD_EVIDENCE_UPLOAD_DAMAGED', {
        message: `Partial upload ${id}: bad description.`,
      });
    return info;
  }

  /**
   * The upload's state, scanning the data file when it changed since this process last saw it. With
   * `recover`, a torn tail is cut off the file (callers hold the tus lock, or are the writer).
   */
  async #state(id: string, recover: boolean): Promise<UploadState> {
    let state = this.#states.get(id);
    if (!state) {
      const info = await this.#readInfo(id);
      state = {
        info,
        key: Buffer.from(info.dataKey, 'base64'),
        records: 0,
        offset: 0,
        fileLength: -1,
        modified: 0,
      };
    }
    let size: number;
    try {
      const stats = await stat(this.#path(id, 'data'));
      size = stats.size;
      state.modified = stats.mtimeMs;
    } catch (error) {
      if (isMissing(error)) throw ERRORS.FILE_NO_LONGER_EXISTS;
      throw error;
    }
    if (size !== state.fileLength) await this.#scan(state, recover);
    this.#states.set(id, state);
    return state;
  }

  /** Walks the record headers; verifies the trailing records' tags; cuts a torn tail when `recover`. */
  async #scan(state: UploadState, recover: boolean): Promise<void> {
    const id = state.info.id;
    const handle = await open(this.#path(id, 'data'), recover ? 'r+' : 'r');
    try {
      const size = (await handle.stat()).size;
      if (size < DATA_MAGIC.length) {
        // Creation itself was cut short.
        if (recover) {
          await handle.truncate(0);
          await handle.write(DATA_MAGIC, 0, DATA_MAGIC.length, 0);
          await handle.sync();
        }
        Object.assign(state, { records: 0, offset: 0, fileLength: recover ? DATA_MAGIC.length : -1 });
        return;
      }
      const magic = Buffer.alloc(DATA_MAGIC.length);
      await readFully(handle, magic, magic.length, 0);
      if (!magic.equals(DATA_MAGIC))
        throw new AppError('SVD_EVIDENCE_UPLOAD_DAMAGED', {
          message: `Partial upload ${id}: bad data file.`,
        });
      const starts: number[] = [];
      const lengths: number[] = [];
      const header = Buffer.alloc(RECORD_HEADER);
      let position = DATA_MAGIC.length;
      while (position + RECORD_HEADER + TAG <= size) {
        await readFully(handle, header, RECORD_HEADER, position);
        const length = header.readUInt32BE(0);
        if (length === 0 || length > RECORD_PLAINTEXT) break;
        const end = position + RECORD_HEADER + length + TAG;
        if (end > size) break;
        starts.push(position);
        lengths.push(length);
        position = end;
      }
      // Records after the last fsync may be garbage after a power loss: keep the tail only if it verifies.
      const record = Buffer.allocUnsafe(RECORD_HEADER + RECORD_PLAINTEXT + TAG);
      let cut = 0;
      while (starts.length > 0) {
        const index = starts.length - 1;
        const length = RECORD_HEADER + lengths[index]! + TAG;
        await readFully(handle, record, length, starts[index]!);
        try {
          this.#open(state, index, record.subarray(0, length));
          break;
        } catch (error) {
          if (++cut > MAX_TORN_RECORDS) throw error;
          position = starts.pop()!;
          lengths.pop();
        }
      }
      if (position < size && recover) {
        await handle.truncate(position);
        await handle.sync();
      }
      state.records = starts.length;
      state.offset = lengths.reduce((sum, length) => sum + length, 0);
      state.fileLength = recover || position === size ? position : -1;
    } finally {
      await handle.close();
    }
  }

  override async create(upload: Upload): Promise<Upload> {
    const dataPath = this.#path(upload.id, 'data');
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    const dataKey = randomBytes(32);
    const info: UploadInfo = {
      format: 1,
      id: upload.id,
      ...(upload.size !== undefined ? { size: upload.size } : {}),
      ...(upload.metadata ? { metadata: upload.metadata } : {}),
      creationDate: upload.creation_date ?? new Date().toISOString(),
      dataKey: dataKey.toString('base64'),
    };
    const handle = await open(dataPath, 'wx', 0o600);
    try {
      await handle.write(DATA_MAGIC, 0, DATA_MAGIC.length, 0);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await this.#writeInfo(info);
    this.#states.set(upload.id, {
      info,
      key: dataKey,
      records: 0,
      offset: 0,
      fileLength: DATA_MAGIC.length,
      modified: Date.now(),
    });
    upload.creation_date = info.creationDate;
    upload.storage = { type: 'encrypted-file', path: dataPath };
    return upload;
  }

  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    if (this.#writing.has(id)) throw ERRORS.INVALID_OFFSET;
    this.#writing.add(id);
    try {
      const state = await this.#state(id, true);
      if (offset !== state.offset) throw ERRORS.INVALID_OFFSET;
      const handle = await open(this.#path(id, 'data'), 'r+');
      try {
        let position = state.fileLength;
        const pending = Buffer.allocUnsafe(RECORD_PLAINTEXT);
        let filled = 0;
        let batch: Buffer[] = [];
        let batchBytes = 0;
        let batchRecords = 0;
        let batchPlaintext = 0;
        const seal = () => {
          for (const piece of this.#seal(state, state.records + batchRecords, pending.subarray(0, filled))) {
            batch.push(piece);
            batchBytes += piece.length;
          }
          batchRecords++;
          batchPlaintext += filled;
          filled = 0;
        };
        const flush = async () => {
          if (batchBytes === 0) return;
          // Until this write is known complete, the file's length is not ours to trust: scan again.
          state.fileLength = -1;
          const { bytesWritten } = await handle.writev(batch, position);
          if (bytesWritten !== batchBytes) throw ERRORS.FILE_WRITE_ERROR;
          position += batchBytes;
          state.records += batchRecords;
          state.offset += batchPlaintext;
          state.fileLength = position;
          batch = [];
          batchBytes = 0;
          batchRecords = 0;
          batchPlaintext = 0;
        };
        let failure: unknown;
        try {
          for await (const chunk of readable) {
            let data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
            while (data.length > 0) {
              const take = Math.min(data.length, RECORD_PLAINTEXT - filled);
              data.copy(pending, filled, 0, take);
              filled += take;
              data = data.subarray(take);
              if (filled === RECORD_PLAINTEXT) {
                seal();
                if (batchBytes >= WRITE_BATCH) await flush();
              }
            }
          }
        } catch (error) {
          failure = error;
        }
        // Whatever arrived before an interruption is kept: the client resumes after it.
        if (filled > 0) seal();
        await flush();
        await handle.sync();
        state.modified = Date.now();
        if (failure) throw failure;
        return state.offset;
      } finally {
        await handle.close();
      }
    } finally {
      this.#writing.delete(id);
    }
  }

  override async getUpload(id: string): Promise<Upload> {
    // While a write is in progress its state is current; the file's tail is not torn but growing.
    const writing = this.#writing.has(id);
    const state = (writing ? this.#states.get(id) : undefined) ?? (await this.#state(id, !writing));
    if (Date.now() - state.modified > this.expiryMs) throw ERRORS.FILE_NO_LONGER_EXISTS;
    const { info } = state;
    return new Upload({
      id,
      offset: state.offset,
      ...(info.size !== undefined ? { size: info.size } : {}),
      ...(this.#exposeMetadata && info.metadata ? { metadata: info.metadata } : {}),
      creation_date: info.creationDate,
      storage: { type: 'encrypted-file', path: this.#path(id, 'data') },
    });
  }

  /** The upload's tus metadata, without reading its data (e.g. for an ownership check). */
  async metadata(id: string): Promise<Record<string, string | null>> {
    const state = this.#states.get(id);
    return { ...((state ? state.info : await this.#readInfo(id)).metadata ?? {}) };
  }

  /**
   * The plaintext of the upload's whole records, decrypted record by record (constant memory). Errors
   * (a record that does not decrypt, a length other than the declared size) arrive as stream errors.
   */
  read(id: string): Readable {
    const store = this;
    async function* records(): AsyncGenerator<Buffer> {
      const state = await store.#state(id, true);
      const handle = await open(store.#path(id, 'data'), 'r');
      try {
        const record = Buffer.allocUnsafe(RECORD_HEADER + RECORD_PLAINTEXT + TAG);
        let position = DATA_MAGIC.length;
        let total = 0;
        for (let index = 0; index < state.records; index++) {
          const got = await readFully(handle, record, record.length, position);
          const length = got >= RECORD_HEADER ? record.readUInt32BE(0) : 0;
          if (length === 0 || length > RECORD_PLAINTEXT || got < RECORD_HEADER + length + TAG)
            throw new AppError('SVD_EVIDENCE_UPLOAD_DAMAGED', {
              message: `Partial upload ${id}: record ${index} is cut short.`,
            });
          const plaintext = store.#open(state, index, record.subarray(0, RECORD_HEADER + length + TAG));
          position += RECORD_HEADER + length + TAG;
          total += length;
          yield plaintext;
        }
        if (state.info.size !== undefined && total !== state.info.size)
          throw new AppError('SVD_EVIDENCE_UPLOAD_DAMAGED', {
            message: `Partial upload ${id}: ${total} of ${state.info.size} bytes present.`,
          });
      } finally {
        await handle.close();
      }
    }
    return Readable.from(records(), { objectMode: false });
  }

  override async remove(id: string): Promise<void> {
    let found = false;
    for (const kind of ['data', 'info'] as const) {
      const file = this.#path(id, kind);
      try {
        await stat(file);
        found = true;
        await rm(file, { force: true });
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    }
    this.#states.delete(id);
    if (!found) throw ERRORS.FILE_NOT_FOUND;
  }

  override async declareUploadLength(id: string, length: number): Promise<void> {
    const state = await this.#state(id, true);
    const info = { ...state.info, size: length };
    await this.#writeInfo(info);
    state.info = info;
  }

  /**
   * The sweep: removes uploads untouched for `expiryMs`, temporaries older than the grace period and
   * plaintext leftovers of the previous file store. Returns how many uploads (and leftovers) went.
   */
  override async deleteExpired(now = Date.now()): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (error) {
      if (isMissing(error)) return 0;
      throw error;
    }
    let removed = 0;
    const ids = new Set<string>();
    for (const name of names) {
      const file = path.join(this.directory, name);
      if (LEGACY_FILE.test(name)) {
        await rm(file, { force: true });
        removed++;
        continue;
      }
      if (name.endsWith('.tmp')) {
        const stats = await stat(file).catch(() => undefined);
        if (stats && now - stats.mtimeMs > this.#graceMs) await rm(file, { force: true });
        continue;
      }
      const match = /^([A-Za-z0-9_-]{1,200})\.(info|data)$/.exec(name);
      if (match) ids.add(match[1]!);
    }
    for (const id of ids) {
      if (this.#writing.has(id)) continue;
      const times = await Promise.all(
        (['data', 'info'] as const).map((kind) =>
          stat(this.#path(id, kind)).then(
            (stats) => stats.mtimeMs,
            () => undefined,
          ),
        ),
      );
      const [data, info] = times;
      // A description without data (or the reverse) is a creation cut short: gone after the grace period.
      const lastWrite = data ?? info ?? 0;
      const limit = data !== undefined && info !== undefined ? this.expiryMs : this.#graceMs;
      if (now - lastWrite > limit) {
        await this.remove(id).catch(() => {});
        removed++;
      }
    }
    return removed;
  }

  override getExpiration(): number {
    return 0;
  }
}
