/**
 * Where files received by the bot go: the evidence vault's intake when the vault is wired in, or
 * else an inbox directory (`<data>/bot-inbox/`) that `sviedka bot import-inbox` moves into the vault
 * later. Inbox files are written atomically (temporary name, fsync, rename; the metadata file last),
 * so a crash never leaves a half file that looks complete. Nothing about the sender is written.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EvidenceIntake } from './model.js';

export interface StoredEvidence {
  receipt: string;
  sha256: string;
  size: number;
  itemId: string | null;
}

export interface EvidenceSink {
  readonly kind: 'vault' | 'inbox';
  store(
    stream: Readable,
    fileName: string | undefined,
    mediaType: string | undefined,
  ): Promise<StoredEvidence>;
}

/** A short code the citizen can quote; derived from the content hash when the vault gives none. */
export function receiptFromHash(sha256: string): string {
  return sha256.slice(0, 12).toUpperCase().match(/.{4}/g)!.join('-');
}

/** Sends files to the vault's intake (channel 'bot', not linked to the subscriber). */
export function vaultSink(evidence: EvidenceIntake): EvidenceSink {
  return {
    kind: 'vault',
    async store(stream, fileName, mediaType) {
      const result = await evidence.intake({
        stream,
        ...(fileName ? { fileName } : {}),
        ...(mediaType ? { declaredMediaType: mediaType } : {}),
        channel: 'bot',
        sourceLabel: 'Telegram bot',
        actor: { type: 'bot' },
      });
      return {
        receipt: result.receiptCode ?? receiptFromHash(result.sha256),
        sha256: result.sha256,
        size: result.size,
        itemId: result.itemId,
      };
    },
  };
}

export interface InboxMeta {
  id: string;
  sha256: string;
  size: number;
  fileName: string | null;
  mediaType: string | null;
  receipt: string;
  /** Day only: finer times help nobody and could be matched with Telegram's records. */
  receivedOn: string;
}

/** Keeps files in `dir` until the vault imports them. */
export function inboxSink(dir: string): EvidenceSink {
  return {
    kind: 'inbox',
    async store(stream, fileName, mediaType) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const id = randomUUID();
      const temporary = path.join(dir, `.${id}.part`);
      const hash = createHash('sha256');
      let size = 0;
      try {
        await pipeline(
          stream,
          async function* (source: AsyncIterable<Buffer>) {
            for await (const chunk of source) {
              hash.update(chunk);
              size += chunk.length;
              yield chunk;
            }
          },
          createWriteStream(temporary, { mode: 0o600 }),
        );
        const handle = await open(temporary, 'r');
        await handle.sync();
        await handle.close();
        const sha256 = hash.digest('hex');
        await rename(temporary, path.join(dir, `${id}.bin`));
        const meta: InboxMeta = {
          id,
          sha256,
          size,
          fileName: fileName ?? null,
          mediaType: mediaType ?? null,
          receipt: receiptFromHash(sha256),
          receivedOn: new Date().toISOString().slice(0, 10),
        };
        const metaTemporary = path.join(dir, `.${id}.json.part`);
        await writeFile(metaTemporary, JSON.stringify(meta), { mode: 0o600, flush: true });
        await rename(metaTemporary, path.join(dir, `${id}.json`));
        return { receipt: meta.receipt, sha256, size, itemId: null };
      } catch (error) {
        await rm(temporary, { force: true });
        await rm(path.join(dir, `${id}.bin`), { force: true });
        throw error;
      }
    },
  };
}

/** Moves every complete inbox entry into the vault; returns how many were imported. */
export async function importInbox(
  dir: string,
  evidence: EvidenceIntake,
  onItem?: (meta: InboxMeta, duplicate: boolean) => void,
): Promise<number> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return 0;
  }
  let imported = 0;
  for (const entry of entries.filter((e) => /^[0-9a-f-]{36}\.json$/.test(e)).sort()) {
    const meta = JSON.parse(await readFile(path.join(dir, entry), 'utf8')) as InboxMeta;
    const data = path.join(dir, `${meta.id}.bin`);
    const result = await evidence.intake({
      stream: createReadStream(data),
      ...(meta.fileName ? { fileName: meta.fileName } : {}),
      ...(meta.mediaType ? { declaredMediaType: meta.mediaType } : {}),
      channel: 'bot',
      sourceLabel: 'Telegram bot',
      actor: { type: 'bot' },
    });
    if (result.sha256 !== meta.sha256) throw new Error(`inbox file ${meta.id} changed since it was received`);
    onItem?.(meta, result.duplicate);
    await rm(path.join(dir, entry));
    await rm(data, { force: true });
    imported++;
  }
  return imported;
}
