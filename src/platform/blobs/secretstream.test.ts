import { randomBytes } from 'node:crypto';
import sodium from 'libsodium-wrappers';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  hchacha20,
  poly1305,
  SecretStreamPull,
  SecretStreamPush,
  TAG_FINAL,
  TAG_MESSAGE,
  TAG_PUSH,
  TAG_REKEY,
} from './secretstream.js';

// Lengths on both paths: AEAD-compatible (mod 16 = 0 or 8) and the general one, and the empty message.
const LENGTHS = [0, 1, 8, 15, 16, 17, 24, 100, 1000, 4093, 65535, 65536];
const TAGS = [TAG_MESSAGE, TAG_PUSH, TAG_REKEY, TAG_MESSAGE, TAG_FINAL];

beforeAll(async () => {
  await sodium.ready;
});

describe('secretstream on OpenSSL', () => {
  it('poly1305 matches the RFC 8439 test vector', () => {
    const key = Buffer.from('85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b', 'hex');
    expect(poly1305(key, Buffer.from('Cryptographic Forum Research Group')).toString('hex')).toBe(
      'a8061dc1305136c6c22b8baf0c0127a9',
    );
  });

  it('hchacha20 matches the draft-irtf-cfrg-xchacha test vector', () => {
    const key = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
    const nonce = Buffer.from('000000090000004a0000000031415927', 'hex');
    expect(hchacha20(key, nonce).toString('hex')).toBe(
      '82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc',
    );
  });

  it('libsodium decrypts what it writes, for every length and tag, with and without additional data', () => {
    for (const withAd of [false, true]) {
      const key = sodium.crypto_secretstream_xchacha20poly1305_keygen();
      const push = new SecretStreamPush(key);
      const state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(push.header, key);
      LENGTHS.forEach((length, i) => {
        const message = randomBytes(length);
        const tag = TAGS[i % TAGS.length]!;
        const ad = withAd ? Buffer.from(`ad-${i}`) : null;
        const sealed = Buffer.concat(push.push(message, tag, ad ?? undefined));
        expect(sealed.length).toBe(length + 17);
        const opened = sodium.crypto_secretstream_xchacha20poly1305_pull(state, sealed, ad) as
          | { message: Uint8Array; tag: number }
          | false;
        expect(opened, `length ${length}`).not.toBe(false);
        if (!opened) return;
        expect(Buffer.from(opened.message).equals(message)).toBe(true);
        expect(opened.tag).toBe(tag);
      });
    }
  });

  it('decrypts what libsodium writes, and refuses altered, reordered or wrongly keyed messages', () => {
    const key = sodium.crypto_secretstream_xchacha20poly1305_keygen();
    const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
    const sealed = LENGTHS.map((length, i) => {
      const message = randomBytes(length);
      const tag = TAGS[i % TAGS.length]!;
      return {
        message,
        tag,
        bytes: Buffer.from(sodium.crypto_secretstream_xchacha20poly1305_push(state, message, null, tag)),
      };
    });
    const pull = new SecretStreamPull(header, key);
    for (const { message, tag, bytes } of sealed) {
      const opened = pull.pull(bytes);
      expect(opened).not.toBe(false);
      if (!opened) continue;
      expect(opened.message.equals(message)).toBe(true);
      expect(opened.tag).toBe(tag);
    }
    for (const index of [0, 2, 9]) {
      const bytes = Buffer.from(sealed[index]!.bytes);
      bytes[bytes.length >> 1]! ^= 1;
      const fresh = new SecretStreamPull(header, key);
      for (let i = 0; i < index; i++) fresh.pull(sealed[i]!.bytes);
      expect(fresh.pull(bytes)).toBe(false);
    }
    expect(new SecretStreamPull(header, key).pull(sealed[1]!.bytes)).toBe(false);
    expect(new SecretStreamPull(header, randomBytes(32)).pull(sealed[0]!.bytes)).toBe(false);
  });
});
