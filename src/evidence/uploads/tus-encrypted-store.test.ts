import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Upload } from '@tus/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { cryptoReady, KeyRing } from '../../platform/crypto.js';
import { EncryptedTusStore, RECORD_PLAINTEXT } from './tus-encrypted-store.js';

function ring(): KeyRing {
  return new KeyRing(new Map([[1, new Uint8Array(randomBytes(32))]]));
}

function directory(): string {
  return mkdtempSync(path.join(tmpdir(), 'sviedka-tus-'));
}

/** A readable that delivers `data` in pieces of the given sizes, cycling through them. */
function pieces(data: Buffer, sizes: number[]): Readable {
  return Readable.from(
    (function* () {
      let at = 0;
      for (let i = 0; at < data.length; i++) {
        const size = sizes[i % sizes.length]!;
        yield data.subarray(at, at + size);
        at += size;
      }
    })(),
  );
}

async function collect(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/** Text with a recognisable marker every few bytes, so plaintext on disk would be found. */
function markedData(length: number): Buffer {
  const marker = Buffer.from('PLAINTEXT-EVIDENCE-MARKER|');
  const data = Buffer.alloc(length);
  for (let i = 0; i < length; i += marker.length) marker.copy(data, i);
  return data;
}

async function createUpload(store: EncryptedTusStore, size: number | undefined, metadata = {}) {
  const id = randomBytes(16).toString('hex');
  await store.create(new Upload({ id, offset: 0, ...(size !== undefined ? { size } : {}), metadata }));
  return id;
}

beforeAll(async () => {
  await cryptoReady();
});

describe('encrypted tus store', () => {
  it('round-trips across many PATCHes of odd sizes, counting plaintext bytes as the offset', async () => {
    const store = new EncryptedTusStore({ directory: directory(), keys: ring(), label: 'test' });
    const data = randomBytes(3 * RECORD_PLAINTEXT + 1_234_567);
    const id = await createUpload(store, data.length);
    const patchSizes = [1, 7, RECORD_PLAINTEXT - 1, RECORD_PLAINTEXT + 1, 3, 333_333, 1_000_003];
    let offset = 0;
    for (let i = 0; offset < data.length; i++) {
      const size = Math.min(patchSizes[i % patchSizes.length]!, data.length - offset);
      // Each PATCH body itself arrives in odd network-sized pieces.
      const next = await store.write(
        pieces(data.subarray(offset, offset + size), [1000, 17, 65_536]),
        id,
        offset,
      );
      expect(next).toBe(offset + size);
      offset = next;
      expect((await store.getUpload(id)).offset).toBe(offset);
    }
    const upload = await store.getUpload(id);
    expect(upload.offset).toBe(data.length);
    expect(upload.size).toBe(data.length);
    expect((await collect(store.read(id))).equals(data)).toBe(true);
  });

  it('a fresh store instance with the same keys finds the same offset and bytes', async () => {
    const keys = ring();
    const dir = directory();
    const first = new EncryptedTusStore({ directory: dir, keys, label: 'test' });
    const data = randomBytes(500_000);
    const id = await createUpload(first, data.length, { filename: 'clip.mp4' });
    await first.write(pieces(data.subarray(0, 123_457), [4096]), id, 0);
    const second = new EncryptedTusStore({ directory: dir, keys, label: 'test' });
    const upload = await second.getUpload(id);
    expect(upload.offset).toBe(123_457);
    expect(upload.metadata).toEqual({ filename: 'clip.mp4' });
    await second.write(pieces(data.subarray(123_457), [50_000]), id, 123_457);
    expect((await collect(second.read(id))).equals(data)).toBe(true);
    // The same label is part of the binding: another store's label does not open it.
    const other = new EncryptedTusStore({ directory: dir, keys, label: 'citizen' });
    await expect(other.getUpload(id)).rejects.toMatchObject({ code: 'SVD_EVIDENCE_UPLOAD_KEY' });
  });

  it('keeps neither the plaintext nor the metadata in clear on disk', async () => {
    const dir = directory();
    const store = new EncryptedTusStore({
      directory: dir,
      keys: ring(),
      label: 'test',
      exposeMetadata: false,
    });
    const data = markedData(700_000);
    const id = await createUpload(store, data.length, {
      filename: 'IMG_20240809_my-name.jpg',
      contact: 'signal: +000 TEST CONTACT',
    });
    await store.write(pieces(data.subarray(0, 400_000), [9999]), id, 0);
    const files = readdirSync(dir);
    expect(files.sort()).toEqual([`${id}.data`, `${id}.info`]);
    for (const name of files) {
      const bytes = readFileSync(path.join(dir, name));
      for (const needle of [
        'PLAINTEXT-EVIDENCE',
        'MARKER',
        'IMG_2024',
        'my-name',
        'TEST CONTACT',
        'filename',
      ]) {
        expect(bytes.includes(Buffer.from(needle)), `${name} contains ${needle}`).toBe(false);
        // Nor base64 of it (tus metadata travels base64-encoded).
        expect(
          bytes.includes(Buffer.from(Buffer.from(needle).toString('base64').slice(0, 8))),
          `${name} contains base64 of ${needle}`,
        ).toBe(false);
      }
    }
    // The citizen store does not hand the metadata to the tus server (which echoes it in HEAD)...
    expect((await store.getUpload(id)).metadata).toBeUndefined();
    // ...but the finishing hook gets it.
    expect(await store.metadata(id)).toMatchObject({ contact: 'signal: +000 TEST CONTACT' });
  });

  it('cuts a torn last record back to the last whole one, and the upload resumes from a true offset', async () => {
    const keys = ring();
    const dir = directory();
    const store = new EncryptedTusStore({ directory: dir, keys, label: 'test' });
    const data = randomBytes(5 * RECORD_PLAINTEXT + 999);
    const id = await createUpload(store, data.length);
    const firstPart = 2 * RECORD_PLAINTEXT + 100;
    await store.write(pieces(data.subarray(0, firstPart), [8192]), id, 0);
    const dataFile = path.join(dir, `${id}.data`);
    const whole = statSync(dataFile).size;

    // A crash in the middle of the next write: half a record reached the disk.
    const torn = Buffer.alloc(4 + 12 + 3000);
    torn.writeUInt32BE(RECORD_PLAINTEXT, 0);
    appendFileSync(dataFile, torn);
    const restarted = new EncryptedTusStore({ directory: dir, keys, label: 'test' });
    expect((await restarted.getUpload(id)).offset).toBe(firstPart);
    expect(statSync(dataFile).size).toBe(whole);

    // A whole-looking last record whose bytes are garbage (written after the last fsync, then lost).
    const garbage = Buffer.alloc(4 + 12 + 500 + 16, 0x5a);
    garbage.writeUInt32BE(500, 0);
    appendFileSync(dataFile, garbage);
    expect((await restarted.getUpload(id)).offset).toBe(firstPart);
    expect(statSync(dataFile).size).toBe(whole);

    // A real record cut in the middle: the offset falls back to the record before it.
    await restarted.write(pieces(data.subarray(firstPart, firstPart + 1000), [1000]), id, firstPart);
    truncateSync(dataFile, statSync(dataFile).size - 10);
    expect((await restarted.getUpload(id)).offset).toBe(firstPart);

    // A stale offset is refused; the true one continues.
    await expect(
      restarted.write(pieces(data.subarray(0, 10), [10]), id, firstPart + 1000),
    ).rejects.toMatchObject({
      status_code: 409,
    });
    await restarted.write(pieces(data.subarray(firstPart), [77_777]), id, firstPart);
    expect((await collect(restarted.read(id))).equals(data)).toBe(true);
  });

  it('keeps what arrived before a connection broke off', async () => {
    const store = new EncryptedTusStore({ directory: directory(), keys: ring(), label: 'test' });
    const data = randomBytes(300_000);
    const id = await createUpload(store, data.length);
    const broken = Readable.from(
      (async function* () {
        yield data.subarray(0, 100_000);
        yield data.subarray(100_000, 150_001);
        throw new Error('connection reset');
      })(),
    );
    await expect(store.write(broken, id, 0)).rejects.toThrow('connection reset');
    expect((await store.getUpload(id)).offset).toBe(150_001);
    await store.write(pieces(data.subarray(150_001), [10_000]), id, 150_001);
    expect((await collect(store.read(id))).equals(data)).toBe(true);
  });

  it('fails clearly with the wrong key, and on an altered record', async () => {
    const dir = directory();
    const store = new EncryptedTusStore({ directory: dir, keys: ring(), label: 'test' });
    const data = randomBytes(200_000);
    const id = await createUpload(store, data.length);
    await store.write(pieces(data, [65_000]), id, 0);

    const wrong = new EncryptedTusStore({ directory: dir, keys: ring(), label: 'test' });
    const refused = await wrong.getUpload(id).catch((error) => error);
    expect(refused).toMatchObject({ code: 'SVD_EVIDENCE_UPLOAD_KEY', status: 500 });
    expect(String(refused.message)).toMatch(/cannot be decrypted with the configured keys/);
    await expect(collect(wrong.read(id))).rejects.toMatchObject({ code: 'SVD_EVIDENCE_UPLOAD_KEY' });

    // Flip one byte inside the first record's ciphertext: reading fails, naming the record.
    const dataFile = path.join(dir, `${id}.data`);
    const bytes = readFileSync(dataFile);
    bytes[8 + 16 + 10]! ^= 1;
    writeFileSync(dataFile, bytes);
    const fresh = await collect(store.read(id)).catch((error) => error);
    expect(fresh).toMatchObject({ code: 'SVD_EVIDENCE_UPLOAD_DAMAGED' });
    expect(String(fresh.message)).toMatch(/record 0 does not decrypt/);
  });

  it('declares a deferred length later; remove deletes both files', async () => {
    const dir = directory();
    const store = new EncryptedTusStore({ directory: dir, keys: ring(), label: 'test' });
    const id = await createUpload(store, undefined);
    expect((await store.getUpload(id)).sizeIsDeferred).toBe(true);
    await store.write(pieces(Buffer.from('hello '), [3]), id, 0);
    await store.declareUploadLength(id, 11);
    await store.write(pieces(Buffer.from('world'), [5]), id, 6);
    const upload = await store.getUpload(id);
    expect([upload.offset, upload.size]).toEqual([11, 11]);
    expect((await collect(store.read(id))).toString()).toBe('hello world');
    await store.remove(id);
    expect(readdirSync(dir)).toEqual([]);
    await expect(store.getUpload(id)).rejects.toMatchObject({ status_code: 404 });
    await expect(store.remove(id)).rejects.toMatchObject({ status_code: 404 });
  });

  it('sweeps uploads untouched for a day, stray temporaries and plaintext leftovers of the old store', async () => {
    const dir = directory();
    const store = new EncryptedTusStore({ directory: dir, keys: ring(), label: 'test' });
    const stale = await createUpload(store, 100);
    await store.write(pieces(Buffer.alloc(50, 1), [50]), stale, 0);
    const fresh = await createUpload(store, 100);
    const dayAndHourAgo = (Date.now() - 25 * 3600 * 1000) / 1000;
    for (const kind of ['data', 'info'])
      utimesSync(path.join(dir, `${stale}.${kind}`), dayAndHourAgo, dayAndHourAgo);
    // An expired upload is gone for the client even before the sweep runs.
    await expect(store.getUpload(stale)).rejects.toMatchObject({ status_code: 410 });
    const legacy = randomBytes(16).toString('hex');
    writeFileSync(path.join(dir, legacy), 'plaintext partial upload');
    writeFileSync(path.join(dir, `${legacy}.json`), '{"metadata":{"filename":"x"}}');
    const oldTemporary = path.join(dir, `${fresh}.1234.tmp`);
    writeFileSync(oldTemporary, 'x');
    utimesSync(oldTemporary, dayAndHourAgo, dayAndHourAgo);
    const newTemporary = path.join(dir, `${fresh}.5678.tmp`);
    writeFileSync(newTemporary, 'x');

    expect(await store.deleteExpired()).toBe(3);
    expect(readdirSync(dir).sort()).toEqual([`${fresh}.5678.tmp`, `${fresh}.data`, `${fresh}.info`].sort());
    expect((await store.getUpload(fresh)).offset).toBe(0);
    // Writing resets the clock: an upload written to an hour ago is kept.
    await store.write(pieces(Buffer.alloc(10, 2), [10]), fresh, 0);
    expect(await store.deleteExpired(Date.now() + 23 * 3600 * 1000)).toBe(0);
    expect(await store.deleteExpired(Date.now() + 25 * 3600 * 1000)).toBe(1);
  });
});
