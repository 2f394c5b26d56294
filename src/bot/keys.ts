/**
 * The broadcast key pair. Chat ids are sealed to its public key: the internet-facing bot process
 * loads ONLY the public key (this module never reads the secret), so a compromised bot can add
 * subscribers but cannot read the list. The secret key is read by `broadcast-secret.ts`, which only
 * the broadcast worker imports.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateSealKeyPair } from '../platform/crypto.js';
import { AppError } from '../platform/errors.js';
import type { BotSettings } from './settings.js';

function decodeKey(value: string, where: string): Uint8Array {
  const bytes = Buffer.from(value.trim(), 'base64');
  if (bytes.length !== 32)
    throw new AppError('SVD_BOT_KEY', { message: `${where}: not a 32-byte base64 key` });
  return new Uint8Array(bytes);
}

function writeAtomically(file: string, text: string, mode: number): void {
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, text, { mode });
  renameSync(temporary, file);
  chmodSync(file, mode);
}

/**
 * The public key, creating the key pair on first use when neither file nor variable exists. The
 * secret generated then goes straight to its 0600 file and is dropped from memory.
 */
export function loadBroadcastPublicKey(settings: BotSettings): Uint8Array {
  if (settings.publicKey) return decodeKey(settings.publicKey, 'SVIEDKA_BOT_PUBLIC_KEY');
  if (!existsSync(settings.publicKeyFile)) {
    if (settings.secretKey || existsSync(settings.secretKeyFile))
      throw new AppError('SVD_BOT_KEY', {
        message: `the broadcast public key ${settings.publicKeyFile} is missing while a secret key exists`,
      });
    mkdirSync(path.dirname(settings.publicKeyFile), { recursive: true, mode: 0o700 });
    mkdirSync(path.dirname(settings.secretKeyFile), { recursive: true, mode: 0o700 });
    const pair = generateSealKeyPair();
    writeAtomically(settings.secretKeyFile, `${pair.secretKey}\n`, 0o600);
    writeAtomically(settings.publicKeyFile, `${pair.publicKey}\n`, 0o644);
  }
  return decodeKey(readFileSync(settings.publicKeyFile, 'utf8'), settings.publicKeyFile);
}
