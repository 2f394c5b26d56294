/**
 * Processing of one item after intake: type check from content, metadata records (one per tool), a
 * thumbnail and a metadata-stripped working copy, perceptual hashes and near-duplicate links. Each
 * step's failure is recorded as a processing event and the item stays.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { AuditActor } from '../../platform/audit/service.js';
import type { FsBlobStore } from '../../platform/blobs/index.js';
import type { CustodyLog } from '../custody-log.js';
import {
  detectType,
  extractMetadata,
  makeThumbnail,
  PhashIndex,
  perceptualHash,
  stripMetadataCopy,
} from '../media/index.js';
import { startOfToday } from '../receipts.js';
import type { ItemStore } from '../store/items.js';
import type { ProcessingStore } from '../store/processing.js';
import type { ItemRow } from '../store/tables.js';

/** Hamming distance up to which two perceptual hashes make a "possible duplicate". */
export const NEAR_DUPLICATE_DISTANCE = 10;

/**
 * When to date processing events of an item: a citizen's item is processed moments after the upload,
 * so its events are kept to the day too, or they would date the submission its own rows keep to the day.
 */
function processingTime(channel: string): Date | undefined {
  return channel === 'citizen' ? startOfToday() : undefined;
}

/** A capture time from metadata as an instant; a time without an offset is read as UTC. */
export function captureInstant(value: string | undefined | null): Date | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(value))
    return null;
  const date = new Date(/(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

export class Pipeline {
  #index: PhashIndex<string> | undefined;

  constructor(
    private readonly items: ItemStore,
    private readonly processing: ProcessingStore,
    private readonly blobs: FsBlobStore,
    private readonly custody: CustodyLog,
    /** Decrypted working files go under <dataDir>/work. */
    private readonly dataDir: string,
  ) {}

  /** Capture times for items processed before the column existed. */
  async backfillCaptureTimes(): Promise<number> {
    const seen = new Set<string>();
    let filled = 0;
    for (const row of await this.items.missingCaptureTimes()) {
      if (seen.has(row.item_id)) continue;
      const at = captureInstant(row.capture);
      if (!at) continue;
      seen.add(row.item_id);
      await this.items.setCapturedAt(row.item_id, at);
      filled++;
    }
    return filled;
  }

  // Processing

  async #phashIndex(): Promise<PhashIndex<string>> {
    if (!this.#index) {
      const index = new PhashIndex<string>();
      for await (const page of this.processing.allPhashes())
        for (const row of page) index.add(row.item_id, row.hash);
      this.#index = index;
    }
    return this.#index;
  }

  /** Rebuilds the in-memory near-duplicate index from the database (at start). */
  async loadIndex(): Promise<number> {
    this.#index = undefined;
    return (await this.#phashIndex()).size;
  }

  async #step(
    itemId: string,
    step: string,
    outcome: 'ok' | 'failed' | 'warning' | 'skipped',
    extra: { tool?: string; toolVersion?: string; code?: string; message?: string } = {},
  ): Promise<void> {
    await this.processing.insertProcessing({
      id: randomUUID(),
      item_id: itemId,
      step,
      outcome,
      tool: extra.tool ?? null,
      tool_version: extra.toolVersion ?? null,
      code: extra.code ?? null,
      message: extra.message?.slice(0, 2000) ?? null,
    });
  }

  /** Decrypts an item's original to a private temporary file for the tools to read. */
  async #plainCopy(item: ItemRow): Promise<{ file: string; dir: string }> {
    const dir = path.join(this.dataDir, 'work', randomUUID());
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const ext = (item.file_name ? path.extname(item.file_name) : '')
      .replace(/[^.A-Za-z0-9]/g, '')
      .slice(0, 10);
    const file = path.join(dir, `original${ext}`);
    await pipeline(this.blobs.get(item.sha256), createWriteStream(file, { mode: 0o600 }));
    return { file, dir };
  }

  async #storeDerived(
    item: ItemRow,
    purpose: 'thumbnail' | 'stripped',
    file: string,
    made: {
      tool: string;
      toolVersion: string;
      mediaType: string;
      width?: number | undefined;
      height?: number | undefined;
    },
  ): Promise<void> {
    const staged = await this.blobs.stage(createReadStream(file));
    const system: AuditActor = { type: 'system', label: 'evidence-processing' };
    try {
      await this.processing.transaction(async (trx) => {
        await staged.commit(trx);
        await this.processing.insertDerivative(trx, {
          id: randomUUID(),
          item_id: item.id,
          purpose,
          parent_sha256: item.sha256,
          sha256: staged.sha256,
          size: staged.size,
          media_type: made.mediaType,
          tool: made.tool,
          tool_version: made.toolVersion,
          width: made.width ?? null,
          height: made.height ?? null,
        });
        await this.custody.append(
          trx,
          item.id,
          'derived',
          system,
          {
            purpose,
            parentSha256: item.sha256,
            sha256: staged.sha256,
            tool: made.tool,
            toolVersion: made.toolVersion,
            metadataStripped: true,
          },
          processingTime(item.channel),
        );
      });
      await staged.finish();
    } catch (error) {
      await staged.abort();
      throw error;
    }
  }

  /**
   * Processes one item: type check from content, metadata records (one per tool), a thumbnail and a
   * metadata-stripped working copy, perceptual hashes and near-duplicate links. Each step's failure is
   * recorded as a processing event and the item stays. Safe to run again (finished steps are skipped).
   */
  async process(itemId: string): Promise<void> {
    const item = await this.items.item(this.items.db, itemId);
    if (!item || item.processing_state === 'done') return;
    const system: AuditActor = { type: 'system', label: 'evidence-processing' };
    const work = await this.#plainCopy(item);
    try {
      let kind = item.kind;
      let extension = 'bin';
      const detected = await detectType(work.file, item.file_name ?? undefined);
      if (!detected.ok) {
        if (!(await this.processing.hasProcessing(itemId, 'type')))
          await this.#step(itemId, 'type', 'failed', {
            tool: detected.tool,
            code: detected.code,
            message: detected.message,
          });
      } else {
        kind = detected.kind;
        extension = detected.extension;
        if (!(await this.processing.hasProcessing(itemId, 'type'))) {
          await this.#step(itemId, 'type', 'ok', { tool: 'file-type', message: detected.mediaType });
          if (detected.nameMismatch)
            await this.#step(itemId, 'type', 'warning', {
              tool: 'file-type',
              code: 'name-mismatch',
              message: `the name claims .${detected.nameExtension} but the content is ${detected.mediaType}`,
            });
          for (const warning of detected.warnings)
            await this.#step(itemId, 'type', 'warning', {
              tool: 'file-type',
              code: 'structure',
              message: warning,
            });
        }
        if (detected.mediaType !== item.media_type)
          await this.items.updateMediaType(itemId, detected.mediaType, kind);
      }
      if (item.size === 0) {
        await this.#step(itemId, 'metadata', 'skipped', { code: 'empty', message: 'the file has no bytes' });
        await this.items.setProcessingState(itemId, 'done');
        return;
      }

      if (!(await this.processing.hasProcessing(itemId, 'metadata'))) {
        const outcomes = await extractMetadata(work.file, kind as never);
        const records: Array<{ id: string; tool: string; toolVersion: string }> = [];
        for (const outcome of outcomes) {
          if (outcome.ok) {
            const id = randomUUID();
            await this.processing.insertMetadata({
              id,
              item_id: itemId,
              tool: outcome.tool,
              tool_version: outcome.toolVersion,
              data: outcome.data,
              summary: outcome.summary,
              warnings: outcome.warnings,
            });
            records.push({ id, tool: outcome.tool, toolVersion: outcome.toolVersion });
            await this.#step(itemId, 'metadata', outcome.warnings.length ? 'warning' : 'ok', {
              tool: outcome.tool,
              toolVersion: outcome.toolVersion,
              ...(outcome.warnings.length ? { message: outcome.warnings.join('; ') } : {}),
            });
          } else {
            await this.#step(itemId, 'metadata', 'failed', {
              tool: outcome.tool,
              code: outcome.code,
              message: outcome.message,
            });
          }
        }
        if (records.length) {
          await this.processing.transaction((trx) =>
            this.custody.append(
              trx,
              itemId,
              'metadata-extracted',
              system,
              { records },
              processingTime(item.channel),
            ),
          );
        }
        const captured = outcomes
          .map((outcome) => (outcome.ok ? captureInstant(outcome.summary.captureTime) : null))
          .find((at) => at !== null);
        if (captured) await this.items.setCapturedAt(itemId, captured);
      }

      if (kind === 'image' || kind === 'video') {
        const existing = new Set((await this.processing.derivatives(itemId)).map((d) => d.purpose));
        if (!existing.has('thumbnail')) {
          const out = path.join(work.dir, 'thumbnail.jpg');
          const made = await makeThumbnail(work.file, kind, out);
          if (made.ok) await this.#storeDerived(item, 'thumbnail', out, made);
          else
            await this.#step(itemId, 'thumbnail', 'failed', {
              tool: made.tool,
              code: made.code,
              message: made.message,
            });
        }
        if (!existing.has('stripped')) {
          const out = path.join(work.dir, `stripped.${extension}`);
          const made = await stripMetadataCopy(work.file, kind, out);
          if (made.ok) await this.#storeDerived(item, 'stripped', out, made);
          else
            await this.#step(itemId, 'stripped', 'failed', {
              tool: made.tool,
              code: made.code,
              message: made.message,
            });
        }
        if ((await this.processing.phashes(itemId)).length === 0) {
          const result = await perceptualHash(work.file, kind);
          if (!result.ok) {
            await this.#step(itemId, 'phash', 'failed', {
              tool: result.tool,
              code: result.code,
              message: result.message,
            });
          } else {
            await this.processing.insertPhashes(
              result.frames.map((frame) => ({
                item_id: itemId,
                frame_seconds: frame.timeSeconds,
                hash: frame.hash,
                algorithm: result.algorithm,
                tool: result.tool,
                tool_version: result.toolVersion,
              })),
            );
            await this.#step(itemId, 'phash', 'ok', {
              tool: result.tool,
              toolVersion: result.toolVersion,
              message: result.hash,
            });
            await this.#linkNearDuplicates(
              item,
              result.frames.map((frame) => frame.hash),
            );
          }
        }
      }
      await this.items.setProcessingState(itemId, 'done');
    } finally {
      await rm(work.dir, { recursive: true, force: true });
    }
  }

  async #linkNearDuplicates(item: ItemRow, hashes: string[]): Promise<void> {
    const itemId = item.id;
    const index = await this.#phashIndex();
    const best = new Map<string, number>();
    for (const hash of hashes) {
      for (const match of index.query(hash, NEAR_DUPLICATE_DISTANCE)) {
        if (match.id === itemId) continue;
        best.set(match.id, Math.min(best.get(match.id) ?? 99, match.distance));
      }
    }
    for (const hash of hashes) index.add(itemId, hash);
    if (best.size === 0) return;
    const system: AuditActor = { type: 'system', label: 'evidence-processing' };
    await this.processing.transaction(async (trx) => {
      for (const [other, distance] of best) {
        if (!(await this.processing.insertLink(trx, itemId, other, distance))) continue;
        const details = { link: 'possible-duplicate', distance, algorithm: 'dct-phash-64' };
        const otherChannel = (await this.items.item(trx, other))?.channel ?? '';
        await this.custody.append(
          trx,
          itemId,
          'linked',
          system,
          { ...details, itemId: other },
          processingTime(item.channel),
        );
        await this.custody.append(
          trx,
          other,
          'linked',
          system,
          { ...details, itemId },
          processingTime(otherChannel),
        );
      }
    });
  }
}
