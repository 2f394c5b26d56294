/**
 * The source vault of web imports over the evidence area's download: the decrypted original is written
 * to a private work file (fsynced; removed by the caller when the run ends). The download itself is a
 * custody event of the item, with the purpose given here.
 */
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Principal } from '../platform/auth/model.js';
import type { SourceVault } from './service.js';

export type VaultDownload = (
  principal: Principal,
  itemId: string,
  purpose: string,
) => Promise<{ fileName: string | null; sha256: string; stream: Readable }>;

export function downloadVault(download: VaultDownload): SourceVault {
  return {
    async fetchToFile(principal, itemId, dir) {
      const { fileName, sha256, stream } = await download(principal, itemId, 'mapped import into a dataset');
      const name = path.basename(fileName ?? `${sha256.slice(0, 12)}.csv`);
      const file = path.join(dir, 'source');
      await pipeline(stream, createWriteStream(file, { mode: 0o600, flush: true }));
      return { path: file, name };
    },
  };
}
