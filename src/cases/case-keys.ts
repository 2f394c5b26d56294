/**
 * Per-case data keys. Each case has a random 32-byte key, stored wrapped by the master key ring
 * (bound to the case id, re-wrapped by key rotation); every subject-data column of the case is sealed
 * under it with XChaCha20-Poly1305, bound to its row and column. Destroying the wrapped key makes every
 * copy of those ciphertexts (backups, WAL, a stolen disk) unreadable: crypto-shredding.
 */
import sodium from 'libsodium-wrappers';
import { type KeyRing, randomBytes } from '../platform/crypto.js';
import { AppError } from '../platform/errors.js';
import { registerEncryptedColumn } from '../platform/keys.js';

registerEncryptedColumn({
  table: 'cases',
  idColumn: 'id',
  column: 'data_key',
  aad: (id) => `cases.data_key:${id}`,
});

/** An open case key: seals and opens values of one case. */
export interface CaseKey {
  seal(value: unknown, binding: string): Buffer;
  open<T>(sealed: Uint8Array, binding: string): T;
}

export class CaseKeys {
  constructor(private readonly ring: KeyRing) {}

  /** A fresh key for a new case: the wrapped form to store, and the open key to seal its first values. */
  create(caseId: string): { wrapped: Buffer; key: CaseKey } {
    const raw = randomBytes(32);
    return { wrapped: this.ring.encryptField(raw, `cases.data_key:${caseId}`), key: openKey(raw) };
  }

  /** Opens a case's stored key; a null key means the case was erased. */
  open(caseId: string, wrapped: Uint8Array | null): CaseKey {
    if (!wrapped) throw new AppError('SVD_CASES_ERASED');
    return openKey(this.ring.decryptField(wrapped, `cases.data_key:${caseId}`));
  }
}

function openKey(raw: Uint8Array): CaseKey {
  const nonceBytes = sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  return {
    seal(value, binding) {
      const nonce = sodium.randombytes_buf(nonceBytes);
      const box = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
        JSON.stringify(value),
        binding,
        null,
        nonce,
        raw,
      );
      return Buffer.concat([nonce, box]);
    },
    open<T>(sealed: Uint8Array, binding: string): T {
      try {
        const plain = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
          null,
          sealed.subarray(nonceBytes),
          binding,
          sealed.subarray(0, nonceBytes),
          raw,
        );
        return JSON.parse(Buffer.from(plain).toString('utf8')) as T;
      } catch (cause) {
        throw new AppError('SVD_CRYPTO_DECRYPT', { cause });
      }
    },
  };
}
