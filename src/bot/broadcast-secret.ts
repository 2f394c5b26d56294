/**
 * The broadcast worker's secret key. Imported only by the worker (`worker.ts`); the bot process never
 * loads this module, so it can seal chat ids but never open them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { openSealed } from '../platform/crypto.js';
import { AppError } from '../platform/errors.js';
import { loadBroadcastPublicKey } from './keys.js';
import type { BotSettings } from './settings.js';

/** Opens sealed chat ids. */
export interface ChatOpener {
  open(sealed: Uint8Array): number;
}

/** Loads the key pair for the worker and returns an opener of sealed chat ids. */
export function loadChatOpener(settings: BotSettings): ChatOpener {
  const publicKey = loadBroadcastPublicKey(settings);
  let text = settings.secretKey;
  if (!text) {
    if (!existsSync(settings.secretKeyFile))
      throw new AppError('SVD_BOT_KEY', {
        message: `the broadcast secret key ${settings.secretKeyFile} is missing (give SVIEDKA_BOT_SECRET_KEY or _FILE)`,
      });
    text = readFileSync(settings.secretKeyFile, 'utf8');
  }
  const secretKey = new Uint8Array(Buffer.from(text.trim(), 'base64'));
  if (secretKey.length !== 32)
    throw new AppError('SVD_BOT_KEY', { message: 'the broadcast secret key is malformed' });
  return {
    open: (sealed) => Number(openSealed(publicKey, secretKey, sealed).toString('utf8')),
  };
}
