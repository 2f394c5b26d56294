/**
 * Keys and sealing. A versioned master key lives outside the database (a 0600 key file in the data
 * directory, or supplied by environment / file path on servers). Per-purpose subkeys are derived
 * with libsodium's KDF. Fields are encrypted with XChaCha20-Poly1305 bound to their row id, so a
 * ciphertext copied into another row does not decrypt. Ciphertexts start with the key version byte,
 * which lets `sviedka keys rotate` find and re-encrypt values under old keys, resumably.
 */
import { createHmac, randomBytes as systemRandomBytes, timingSafeEqual } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import sodium from 'libsodium-wrappers';
import { AppError } from './errors.js';

/** Resolves once libsodium is ready; every function here assumes it was awaited at start-up. */
export async function cryptoReady(): Promise<void> {
  await sodium.ready;
}

/** Purposes of derived subkeys; each has its own 8-character KDF context. Never rename one. */
const purposes = {
  field: 'svdfield',
  blob: 'svdblob_',
  lookup: 'svdlookp',
  botRef: 'svdbotrf',
  audit: 'svdaudit',
} as const;
export type KeyPurpose = keyof typeof purposes;

export interface MasterKeySource {
  /** Key from the environment (base64, or `v2:base64,v1:base64` during a rotation). */
  masterKey?: string | undefined;
  /** Key file: one line per version, `v<version> <base64>`. */
  masterKeyFile?: string | undefined;
  dataDir: string;
}

function parseKeyLines(text: string, where: string, separator: RegExp = /\n/): Map<number, Uint8Array> {
  const keys = new Map<number, Uint8Array>();
  for (const [index, raw] of text.split(separator).entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const match =
      /^v?(\d+)[\s:]+([A-Za-z0-9+/=_-]+)$/.exec(line) ?? /^()([A-Za-z0-9+/=_-]{43,44})$/.exec(line);
    if (!match)
      throw new AppError('SVD_CRYPTO_KEY', { message: `${where}: entry ${index + 1} is malformed` });
    const version = match[1] ? Number.parseInt(match[1], 10) : 1;
    const key = Buffer.from(match[2]!, 'base64');
    if (key.length !== 32 || version < 1 || version > 255) {
      throw new AppError('SVD_CRYPTO_KEY', {
        message: `${where}: key v${version} must be 32 bytes of base64, version 1–255`,
      });
    }
    keys.set(version, new Uint8Array(key));
  }
  if (keys.size === 0) throw new AppError('SVD_CRYPTO_KEY', { message: `${where}: no key found` });
  return keys;
}

/** Versioned master keys and the operations derived from them. */
export class KeyRing {
  readonly current: number;
  readonly #keys: Map<number, Uint8Array>;
  readonly #subkeys = new Map<string, Uint8Array>();
  /** The file the ring came from, when rotation can append to it. */
  readonly file: string | undefined;

  constructor(keys: Map<number, Uint8Array>, file?: string) {
    this.#keys = keys;
    this.current = Math.max(...keys.keys());
    this.file = file;
  }

  /** Loads the ring from the environment or key file, creating a key file on first start. */
  static load(source: MasterKeySource): KeyRing {
    if (source.masterKey) return new KeyRing(parseKeyLines(source.masterKey, 'SVIEDKA_MASTER_KEY', /[\n,]/));
    const file = source.masterKeyFile ?? path.join(source.dataDir, 'keys', 'master.key');
    if (!existsSync(file)) {
      if (source.masterKeyFile) {
        throw new AppError('SVD_CRYPTO_KEY', {
          message: `master key file ${file} does not exist (make a new one with \`sviedka keys init --out ${file}\`, or give the path of the existing one)`,
        });
      }
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      writeKeyFile(file, new Map([[1, sodium.randombytes_buf(32)]]));
    }
    return new KeyRing(parseKeyLines(readFileSync(file, 'utf8'), file), file);
  }

  versions(): number[] {
    return [...this.#keys.keys()].sort((a, b) => a - b);
  }

  /** Derives (and caches) the 32-byte subkey for a purpose under a key version. */
  subkey(purpose: KeyPurpose, version = this.current): Uint8Array {
    const cacheKey = `${purpose}:${version}`;
    let key = this.#subkeys.get(cacheKey);
    if (!key) {
      const master = this.#keys.get(version);
      if (!master)
        throw new AppError('SVD_CRYPTO_KEY', { message: `key version ${version} is not available` });
      key = sodium.crypto_kdf_derive_from_key(32, 1, purposes[purpose], master);
      this.#subkeys.set(cacheKey, key);
    }
    return key;
  }

  /** Encrypts a field value bound to `rowId` (associated data). Output: version byte, nonce, ciphertext. */
  encryptField(plaintext: string | Uint8Array, rowId: string): Buffer {
    const nonce = sodium.randombytes_buf(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    const box = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
      plaintext,
      rowId,
      null,
      nonce,
      this.subkey('field'),
    );
    return Buffer.concat([Buffer.from([this.current]), nonce, box]);
  }

  /** Decrypts a field value; throws SVD_CRYPTO_DECRYPT if it was tampered with or bound to another row. */
  decryptField(ciphertext: Uint8Array, rowId: string): Buffer {
    const nonceBytes = sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
    const version = ciphertext[0];
    if (version === undefined || ciphertext.length < 1 + nonceBytes + 16)
      throw new AppError('SVD_CRYPTO_DECRYPT');
    try {
      return Buffer.from(
        sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
          null,
          ciphertext.subarray(1 + nonceBytes),
          rowId,
          ciphertext.subarray(1, 1 + nonceBytes),
          this.subkey('field', version),
        ),
      );
    } catch (cause) {
      throw new AppError('SVD_CRYPTO_DECRYPT', { cause });
    }
  }

  /** Convenience: decrypts a field to a UTF-8 string. */
  decryptFieldText(ciphertext: Uint8Array, rowId: string): string {
    return this.decryptField(ciphertext, rowId).toString('utf8');
  }

  /** Key version a field ciphertext was made with. */
  static fieldVersion(ciphertext: Uint8Array): number {
    return ciphertext[0] ?? 0;
  }

  /**
   * Keyed lookup hash (HMAC-SHA256 under a purpose subkey of key version 1, which never rotates so
   * lookups stay stable). Use it where a value must be found without being stored in clear.
   */
  lookupHash(purpose: 'lookup' | 'botRef', value: string): string {
    const first = this.versions()[0]!;
    return createHmac('sha256', this.subkey(purpose, first)).update(value).digest('hex');
  }

  /** The audit-chain HMAC key (key version 1, never rotated, so old rows keep verifying). */
  auditKey(): Uint8Array {
    return this.subkey('audit', this.versions()[0]!);
  }

  /** Appends a new key version to the key file and returns the new ring (rotation, step 1). */
  static addVersion(ring: KeyRing): KeyRing {
    if (!ring.file) {
      throw new AppError('SVD_CRYPTO_KEY', {
        message:
          'the master key comes from SVIEDKA_MASTER_KEY: add a new version there (v2:<key>,v1:<key>) and run rotate again',
      });
    }
    const keys = new Map(ring.#keys);
    const next = ring.current + 1;
    if (next > 255) throw new AppError('SVD_CRYPTO_KEY', { message: 'no key versions left (255)' });
    keys.set(next, sodium.randombytes_buf(32));
    writeKeyFile(ring.file, keys);
    return new KeyRing(keys, ring.file);
  }
}

function keyFileText(keys: Map<number, Uint8Array>): string {
  const lines = [...keys.entries()]
    .sort(([a], [b]) => b - a)
    .map(([version, key]) => `v${version} ${Buffer.from(key).toString('base64')}`);
  return `# Sviedka master keys, newest first. Keep a copy offline; without it encrypted data is lost.\n${lines.join('\n')}\n`;
}

/**
 * Writes a new master key file holding one fresh key (v1), mode 0600, for a server whose key lives
 * outside the data directory (`sviedka keys init --out FILE`). Never replaces a file: an existing key
 * may be the only way to read a database. The key is written and synced under a temporary name, then
 * hard-linked to `file` (which fails if the name exists), so the file is either complete or absent.
 */
export function initKeyFile(file: string): void {
  if (existsSync(file))
    throw new AppError('SVD_CRYPTO_KEY_FILE_EXISTS', {
      message: `${file} already exists; a master key file is never overwritten (move it away first if it is really unused)`,
    });
  const temporary = `${file}.tmp-${process.pid}`;
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const descriptor = openSync(temporary, 'wx', 0o600);
    try {
      writeSync(descriptor, keyFileText(new Map([[1, new Uint8Array(systemRandomBytes(32))]])));
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    chmodSync(temporary, 0o600);
    linkSync(temporary, file);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && existsSync(file))
      throw new AppError('SVD_CRYPTO_KEY_FILE_EXISTS', {
        message: `${file} already exists; a master key file is never overwritten`,
      });
    throw new AppError('SVD_CRYPTO_KEY_FILE_WRITE', {
      message: `cannot write the master key file ${file}: ${(cause as Error).message}`,
      cause,
    });
  } finally {
    try {
      rmSync(temporary, { force: true });
    } catch {}
  }
}

function writeKeyFile(file: string, keys: Map<number, Uint8Array>): void {
  const text = keyFileText(keys);
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, text, { mode: 0o600 });
  renameSync(temporary, file);
  chmodSync(file, 0o600);
}

/** Generates an X25519 key pair for sealed boxes (base64 strings). */
export function generateSealKeyPair(): { publicKey: string; secretKey: string } {
  const pair = sodium.crypto_box_keypair();
  return {
    publicKey: Buffer.from(pair.publicKey).toString('base64'),
    secretKey: Buffer.from(pair.privateKey).toString('base64'),
  };
}

/** Seals `data` so only the holder of the matching secret key can open it (libsodium sealed box). */
export function sealFor(publicKey: Uint8Array, data: string | Uint8Array): Buffer {
  return Buffer.from(sodium.crypto_box_seal(data, publicKey));
}

/** Opens a sealed box; throws SVD_CRYPTO_DECRYPT on failure. */
export function openSealed(publicKey: Uint8Array, secretKey: Uint8Array, sealed: Uint8Array): Buffer {
  try {
    return Buffer.from(sodium.crypto_box_seal_open(sealed, publicKey, secretKey));
  } catch (cause) {
    throw new AppError('SVD_CRYPTO_DECRYPT', { cause });
  }
}

/** Random bytes from libsodium's CSPRNG. */
export function randomBytes(length: number): Buffer {
  return Buffer.from(sodium.randombytes_buf(length));
}

/** A random URL-safe token with `bytes` of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Compares two secrets in constant time (no early exit on the first different byte). */
export function constantTimeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const left = typeof a === 'string' ? Buffer.from(a) : Buffer.from(a);
  const right = typeof b === 'string' ? Buffer.from(b) : Buffer.from(b);
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}
