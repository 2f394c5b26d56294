import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import sodium from 'libsodium-wrappers';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.js';
import { cryptoReady, KeyRing } from '../crypto.js';
import { migrate } from '../db/migrate.js';
import { isAppError } from '../errors.js';
import { checkKeys, rotateKeys } from '../keys.js';
import { type BlobsTable, FsBlobStore } from './fs-blob-store.js';

function sha(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

async function collect(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

function pieces(data: Buffer, size: number): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
    })(),
  );
}

describeEachDatabase('blob store', (ctx) => {
  let keys: KeyRing;
  let store: FsBlobStore;
  beforeAll(async () => {
    await cryptoReady();
    await migrate(ctx.database.db);
    keys = KeyRing.load({ dataDir: ctx.dataDir });
    await checkKeys(ctx.database.db, keys);
    store = new FsBlobStore(ctx.database.db, keys, path.join(ctx.dataDir, 'blobs'), { sweepGraceMs: 0 });
  });

  it('round-trips sizes around the chunk boundary, in odd input pieces', async () => {
    for (const size of [0, 1, 65535, 65536, 65537, 200_003]) {
      const data = Buffer.from(sodium.randombytes_buf(size));
      const result = await store.put(pieces(data, 7919));
      expect(result.sha256).toBe(sha(data));
      expect(result.size).toBe(size);
      const back = await collect(store.get(result.sha256));
      expect(back.equals(data)).toBe(true);
      expect((await store.verify(result.sha256)).ok).toBe(true);
      // The file is not the plaintext.
      if (size > 64)
        expect(readFileSync(store.pathOf(result.sha256)).includes(data.subarray(0, 64))).toBe(false);
    }
  });

  it('the same bytes twice give one blob', async () => {
    const data = Buffer.from('the same bytes');
    const first = await store.put(Readable.from([data]));
    const second = await store.put(Readable.from([data]));
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(readdirSync(store.tmpDir)).toEqual([]);
    expect(await text(store.get(first.sha256))).toBe('the same bytes');
  });

  it('enforces the maximum size while streaming and leaves nothing behind', async () => {
    const data = Buffer.alloc(300_000, 1);
    await expect(store.put(pieces(data, 65536), { maxBytes: 100_000 })).rejects.toSatisfy((error) =>
      isAppError(error, 'SVD_BLOB_TOO_LARGE'),
    );
    expect(readdirSync(store.tmpDir)).toEqual([]);
    expect(existsSync(store.pathOf(sha(data)))).toBe(false);
  });

  it('detects a flipped byte and a truncated file', async () => {
    const data = Buffer.from(sodium.randombytes_buf(150_000));
    const { sha256 } = await store.put(Readable.from([data]));
    const file = store.pathOf(sha256);
    const fd = openSync(file, 'r+');
    const one = Buffer.alloc(1);
    readSync(fd, one, 0, 1, 70_000);
    one[0] = one[0]! ^ 0x01;
    writeSync(fd, one, 0, 1, 70_000);
    closeSync(fd);
    const result = await store.verify(sha256);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/does not match sha256/);
    await expect(collect(store.get(sha256))).rejects.toSatisfy((error) =>
      isAppError(error, 'SVD_BLOB_CORRUPT'),
    );

    const other = Buffer.from(sodium.randombytes_buf(150_000));
    const put = await store.put(Readable.from([other]));
    const whole = readFileSync(store.pathOf(put.sha256));
    writeFileSync(store.pathOf(put.sha256), whole.subarray(0, 65536 + 17 + 32));
    expect((await store.verify(put.sha256)).problem).toBe('truncated');
  });

  it('a rolled-back commit leaves no final file; the sweep removes crash leftovers', async () => {
    const data = Buffer.from('rolled back');
    const staged = await store.stage(Readable.from([data]));
    await expect(
      ctx.database.db.transaction().execute(async (trx) => {
        await staged.commit(trx);
        expect(existsSync(store.pathOf(staged.sha256))).toBe(true);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await staged.abort();
    expect(existsSync(store.pathOf(staged.sha256))).toBe(false);
    expect(await store.has(staged.sha256)).toBe(false);

    // Simulated crash between link and COMMIT: a final file, a staged link, no row.
    const crash = await store.stage(Readable.from([Buffer.from('crash in the middle')]));
    await ctx.database.db
      .transaction()
      .execute(async (trx) => {
        await crash.commit(trx);
        throw new Error('process died');
      })
      .catch(() => {});
    expect(existsSync(store.pathOf(crash.sha256))).toBe(true);
    writeFileSync(path.join(store.tmpDir, 'stray.part'), 'half an upload');
    const old = new Date(Date.now() - 10_000);
    for (const name of readdirSync(store.tmpDir)) utimesSync(path.join(store.tmpDir, name), old, old);
    const { removed } = await store.sweep();
    expect(removed).toBeGreaterThanOrEqual(3);
    expect(existsSync(store.pathOf(crash.sha256))).toBe(false);
    expect(readdirSync(store.tmpDir)).toEqual([]);
  });

  it('reads blobs written by libsodium itself (files from before the OpenSSL implementation)', async () => {
    // Not 0: the empty blob is already stored by an earlier test.
    for (const size of [3, 65536, 65537, 150_001]) {
      const data = Buffer.from(sodium.randombytes_buf(size));
      const sha256 = sha(data);
      const key = sodium.crypto_secretstream_xchacha20poly1305_keygen();
      const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
      const parts: Uint8Array[] = [Buffer.from('SVDBLOB1', 'latin1'), header];
      for (let at = 0; ; at += 65536) {
        const last = at + 65536 >= size;
        parts.push(
          sodium.crypto_secretstream_xchacha20poly1305_push(
            state,
            data.subarray(at, Math.min(at + 65536, size)),
            null,
            last ? 3 : 0,
          ),
        );
        if (last) break;
      }
      mkdirSync(path.dirname(store.pathOf(sha256)), { recursive: true });
      writeFileSync(store.pathOf(sha256), Buffer.concat(parts));
      await ctx.database.db
        .withTables<{ blobs: BlobsTable }>()
        .insertInto('blobs')
        .values({
          sha256,
          size,
          data_key: keys.encryptField(Buffer.from(key), `blobs.data_key:${sha256}`),
          format: 'secretstream-xchacha20poly1305-64k-v1',
          created_at: new Date(),
        })
        .execute();
      expect((await collect(store.get(sha256))).equals(data)).toBe(true);
      expect(await store.verify(sha256)).toEqual({ ok: true, size });
    }
  });

  it('key rotation re-wraps data keys without touching blob files', async () => {
    const data = Buffer.from('rotate me');
    const { sha256 } = await store.put(Readable.from([data]));
    const before = readFileSync(store.pathOf(sha256));
    const { ring } = await rotateKeys(ctx.database.db, keys, { addVersion: true });
    const rotated = new FsBlobStore(ctx.database.db, ring, store.root);
    expect(await text(rotated.get(sha256))).toBe('rotate me');
    expect(readFileSync(store.pathOf(sha256)).equals(before)).toBe(true);
  });
});

describe('blob format', () => {
  it('is plain libsodium secretstream after the magic', async () => {
    await cryptoReady();
    expect(sodium.crypto_secretstream_xchacha20poly1305_ABYTES).toBe(17);
    expect(sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES).toBe(24);
    expect(sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL).toBe(3);
  });
});
