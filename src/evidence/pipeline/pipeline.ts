/**
 * Processing of one item after intake: decrypts the original to a private scratch directory, runs the
 * declared steps (steps.ts) and writes everything they produced — processing events, metadata records,
 * working copies, perceptual hashes, near-duplicate links, the custody events and their audit rows —
 * in ONE transaction: a crash or a failed write leaves the item unprocessed, never half-processed, and
 * the job runs it again.
 */

import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FsBlobStore } from '../../platform/blobs/index.js';
import { type CustodyLog, PROCESSING_ACTOR } from '../custody-log.js';
import {
  detectType,
  extractMetadata,
  type MediaKind,
  makeThumbnail,
  PhashIndex,
  perceptualHash,
  stripMetadataCopy,
} from '../media/index.js';
import { startOfToday } from '../receipts.js';
import type { ItemStore } from '../store/items.js';
import type { ProcessingStore } from '../store/processing.js';
import type { EvidenceTransaction, ItemRow } from '../store/tables.js';
import { captureInstant } from './capture-time.js';
import { ProcessingRecords } from './records.js';
import { type MediaTools, PROCESSING_STEPS, type StepContext } from './steps.js';

/** Hamming distance up to which two perceptual hashes make a "possible duplicate". */
export const NEAR_DUPLICATE_DISTANCE = 10;

/** The media functions run in this process. */
export const IN_PROCESS_TOOLS: MediaTools = {
  detectType,
  extractMetadata,
  makeThumbnail: (file, kind, out) => makeThumbnail(file, kind, out),
  stripMetadataCopy: (file, kind, out) => stripMetadataCopy(file, kind, out),
  perceptualHash: (file, kind) => perceptualHash(file, kind),
};

/**
 * When to date processing records of an item: a citizen's item is processed moments after the upload,
 * so its records are kept to the day too, or they would date the submission its own rows keep to the day.
 */
function processingDay(channel: string): Date | undefined {
  return channel === 'citizen' ? startOfToday() : undefined;
}

export class Pipeline {
  #index: Promise<PhashIndex<string>> | undefined;

  constructor(
    private readonly items: ItemStore,
    private readonly processing: ProcessingStore,
    private readonly blobs: FsBlobStore,
    private readonly custody: CustodyLog,
    /** Decrypted working files go under <dataDir>/work. */
    private readonly dataDir: string,
    private readonly tools: MediaTools = IN_PROCESS_TOOLS,
  ) {}

  /** The in-memory near-duplicate index, loaded once (concurrent callers share the loading). */
  #phashIndex(): Promise<PhashIndex<string>> {
    this.#index ??= (async () => {
      const index = new PhashIndex<string>();
      for await (const page of this.processing.allPhashes())
        for (const row of page) index.add(row.item_id, row.hash);
      return index;
    })().catch((error) => {
      this.#index = undefined;
      throw error;
    });
    return this.#index;
  }

  /** Rebuilds the in-memory near-duplicate index from the database (at start). */
  async loadIndex(): Promise<number> {
    this.#index = undefined;
    return (await this.#phashIndex()).size;
  }

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

  /**
   * Processes one item through every step that applies and writes the results in one transaction.
   * Safe to run again: an item already done is left alone, and steps an older run stored are skipped.
   */
  async process(itemId: string): Promise<void> {
    const found = await this.processing.itemToProcess(itemId);
    if (!found || found.item.processing_state === 'done') return;
    const { item, done } = found;
    const index = await this.#phashIndex();
    const work = await this.#plainCopy(item);
    const records = new ProcessingRecords(processingDay(item.channel));
    const context: StepContext = {
      item,
      file: work.file,
      dir: work.dir,
      done,
      records,
      tools: this.tools,
      kind: item.kind as MediaKind,
      extension: 'bin',
      stage: async (file) => {
        const staged = await this.blobs.stage(createReadStream(file));
        await staged.place().catch(async (error) => {
          await staged.abort();
          throw error;
        });
        return staged;
      },
      nearDuplicates: (hashes) => {
        const best = new Map<string, number>();
        for (const hash of hashes)
          for (const match of index.query(hash, NEAR_DUPLICATE_DISTANCE))
            if (match.id !== itemId) best.set(match.id, Math.min(best.get(match.id) ?? 99, match.distance));
        // Added at once, so an item processed concurrently finds this one.
        for (const hash of hashes) index.add(itemId, hash);
        return [...best].map(([other, distance]) => ({ itemId: other, distance }));
      },
    };
    try {
      for (const step of PROCESSING_STEPS) {
        if (!step.applies(context)) continue;
        if ((await step.run(context)) === 'stop') break;
      }
      await this.items.transaction((trx) => this.#write(trx, item, records));
    } catch (error) {
      await records.abort();
      throw error;
    } finally {
      await rm(work.dir, { recursive: true, force: true });
    }
    await Promise.all(records.derivatives.map((copy) => copy.staged.finish()));
  }

  async #write(trx: EvidenceTransaction, item: ItemRow, records: ProcessingRecords): Promise<void> {
    const day = records.day;
    for (const copy of records.derivatives) await copy.staged.commit(trx);
    await this.processing.insertDerivatives(
      trx,
      records.derivatives.map((copy) => ({
        id: randomUUID(),
        item_id: item.id,
        purpose: copy.purpose,
        parent_sha256: item.sha256,
        sha256: copy.staged.sha256,
        size: copy.staged.size,
        media_type: copy.mediaType,
        tool: copy.tool,
        tool_version: copy.toolVersion,
        width: copy.width,
        height: copy.height,
        created_at: records.nextTime(),
      })),
    );
    await this.processing.insertMetadata(
      trx,
      records.metadata.map((record) => ({
        id: record.id,
        item_id: item.id,
        tool: record.tool,
        tool_version: record.toolVersion,
        data: record.data,
        summary: record.summary,
        warnings: record.warnings,
        created_at: records.nextTime(),
      })),
    );
    if (records.phashes) {
      const { frames, algorithm, tool, toolVersion } = records.phashes;
      await this.processing.insertPhashes(
        frames.map((frame) => ({
          item_id: item.id,
          frame_seconds: frame.timeSeconds,
          hash: frame.hash,
          algorithm,
          tool,
          tool_version: toolVersion,
        })),
        trx,
      );
    }
    await this.processing.insertProcessing(
      trx,
      records.events.map(({ id, step, outcome, tool, toolVersion, code, message, at }) => ({
        id,
        item_id: item.id,
        step,
        outcome,
        tool,
        tool_version: toolVersion,
        code,
        message,
        at,
      })),
    );
    await this.custody.appendMany(
      trx,
      item.id,
      records.custody.map((event) => ({
        action: event.action,
        actor: PROCESSING_ACTOR,
        details: event.details,
        ...(day ? { at: day } : {}),
      })),
    );
    for (const link of records.links) {
      const other = await this.items.item(trx, link.itemId);
      // Items holding the very same bytes were matched at intake (and recorded there for those who may
      // see both): a "possible duplicate" between them would tell an uploader a hidden copy exists.
      if (other?.sha256 === item.sha256) continue;
      if (!(await this.processing.insertLink(trx, item.id, link.itemId, link.distance, records.nextTime())))
        continue;
      const details = { link: 'possible-duplicate', distance: link.distance, algorithm: link.algorithm };
      await this.custody.append(
        trx,
        item.id,
        'linked',
        PROCESSING_ACTOR,
        { ...details, itemId: link.itemId },
        day,
      );
      await this.custody.append(
        trx,
        link.itemId,
        'linked',
        PROCESSING_ACTOR,
        { ...details, itemId: item.id },
        processingDay(other?.channel ?? ''),
      );
    }
    await this.items.finishProcessing(trx, item.id, {
      ...(records.mediaType ?? {}),
      ...(records.capturedAt ? { capturedAt: records.capturedAt } : {}),
    });
  }
}
