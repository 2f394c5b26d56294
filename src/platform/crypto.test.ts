import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  constantTimeEqual,
  cryptoReady,
  generateSealKeyPair,
  initKeyFile,
  KeyRing,
  openSealed,
  sealFor,
} from './crypto.js';

beforeAll(cryptoReady);

describe('key ring', () => {
  it('creates a 0600 key file on first start and reloads the same key', () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'svd-keys-'));
    const ring = KeyRing.load({ dataDir });
    const file = path.join(dataDir, 'keys', 'master.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const sealed = ring.encryptField('secret value', 'row-1');
    expect(KeyRing.load({ dataDir }).decryptFieldText(sealed, 'row-1')).toBe('secret value');
    expect(readFileSync(file, 'utf8')).toMatch(/^v1 /m);
  });

  it('keys init writes a new 0600 key file that loads, and never overwrites one', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'svd-keys-'));
    const file = path.join(dir, 'etc', 'master.key');
    initKeyFile(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const before = readFileSync(file, 'utf8');
    const ring = KeyRing.load({ dataDir: path.join(dir, 'data'), masterKeyFile: file });
    expect(ring.versions()).toEqual([1]);
    expect(() => initKeyFile(file)).toThrow(expect.objectContaining({ code: 'SVD_CRYPTO_KEY_FILE_EXISTS' }));
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(readdirSync(path.dirname(file))).toEqual(['master.key']);
    writeFileSync(path.join(dir, 'plain-file'), '');
    expect(() => initKeyFile(path.join(dir, 'plain-file', 'master.key'))).toThrow(
      expect.objectContaining({ code: 'SVD_CRYPTO_KEY_FILE_WRITE' }),
    );
  });

  it('binds a field to its row id and detects tampering', () => {
    const ring = KeyRing.load({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'svd-keys-')) });
    const sealed = ring.encryptField('chat 12345', 'row-1');
    expect(sealed.toString('latin1')).not.toContain('12345');
    expect(() => ring.decryptField(sealed, 'row-2')).toThrow(/could not be decrypted/);
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 1]! ^= 1;
    expect(() => ring.decryptField(flipped, 'row-1')).toThrow();
  });

  it('keeps old versions readable after adding a new one', () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'svd-keys-'));
    const ring = KeyRing.load({ dataDir });
    const old = ring.encryptField('v1 data', 'r');
    const rotated = KeyRing.addVersion(ring);
    expect(rotated.current).toBe(2);
    expect(KeyRing.fieldVersion(rotated.encryptField('x', 'r'))).toBe(2);
    expect(KeyRing.load({ dataDir }).decryptFieldText(old, 'r')).toBe('v1 data');
  });

  it('accepts a key from the environment and rejects malformed keys', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(KeyRing.load({ dataDir: '/nonexistent', masterKey: key }).current).toBe(1);
    expect(KeyRing.load({ dataDir: '/nonexistent', masterKey: `v2:${key},v1:${key}` }).current).toBe(2);
    expect(() => KeyRing.load({ dataDir: '/nonexistent', masterKey: 'short' })).toThrow(/malformed|32 bytes/);
    expect(() => KeyRing.load({ dataDir: '/x', masterKeyFile: '/nonexistent/key' })).toThrow(
      /does not exist \(make a new one with `sviedka keys init --out \/nonexistent\/key`/,
    );
  });

  it('seals for a public key; only the secret key opens', () => {
    const pair = generateSealKeyPair();
    const pub = Buffer.from(pair.publicKey, 'base64');
    const sealed = sealFor(pub, '424242');
    expect(openSealed(pub, Buffer.from(pair.secretKey, 'base64'), sealed).toString()).toBe('424242');
    const other = generateSealKeyPair();
    expect(() => openSealed(pub, Buffer.from(other.secretKey, 'base64'), sealed)).toThrow();
  });

  it('compares secrets in constant time', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
  });
});
