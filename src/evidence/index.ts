/**
 * The evidence vault area. Other areas (the Telegram bot, imports) hand files in through ONE call:
 *
 *   evidence.intake(input: {
 *     stream: Readable;               // the bytes, streamed (never buffered whole)
 *     fileName?: string;              // as received; the type is decided from the content, not the name
 *     declaredMediaType?: string;     // what the sender claimed (recorded, not trusted)
 *     channel: 'web' | 'citizen' | 'cli' | 'import' | 'bot';
 *     sourceLabel?: string;           // e.g. "seized server X", "Telegram bot"
 *     note?: string;
 *     incidentId?: string;            // link to an incident at once
 *     sealedContact?: string;         // optional submitter contact, sealed separately, never linked in clear
 *     receiptCode?: string;           // add to an existing citizen submission
 *     acquisition?: Record<string, unknown>; // e.g. relative path and file times for seized data
 *     collection?: string;            // compartment by name or id (default: see below)
 *     actor: Principal | { type: 'citizen' } | { type: 'bot' };
 *   }): Promise<{ itemId: string; sha256: string; size: number; mediaType: string; duplicate: boolean;
 *                 receiptCode?: string }>
 *
 * The same bytes again give the same item (`duplicate: true`) with a "received-again" custody event.
 * A new citizen submission (actor citizen, or channel 'citizen', or a sealedContact) returns a
 * `receiptCode` for adding more later. Errors are AppErrors: SVD_BLOB_TOO_LARGE (over the maximum,
 * default 4 GB, env SVIEDKA_EVIDENCE_MAX_BYTES), SVD_BLOB_INPUT (the stream failed),
 * SVD_EVIDENCE_RECEIPT_UNKNOWN, SVD_EVIDENCE_INCIDENT_UNKNOWN. Nothing is stored unless all succeeded.
 * Compartments: every item is in one collection. Staff and CLI intake default to "General"; citizens,
 * the bot and API keys go to the restricted submissions collection (env
 * SVIEDKA_EVIDENCE_SUBMISSIONS_COLLECTION, default "Citizen submissions"). Reads authorize on every item
 * they touch through AccessService (resource type 'evidence_collection'); a denial is "not found".
 * After storing, a typed job (`evidence.process`) extracts metadata, makes working copies, hashes
 * perceptually and links near-duplicates; run it with the job workers or `runtime.jobs.drain()`.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { FsBlobStore } from '../platform/blobs/index.js';
import { defineJob } from '../platform/jobs/queue.js';
import type { Platform } from '../platform/platform.js';
import { evidenceRoutes } from './routes.js';
import {
  EvidenceService,
  type IntakeInput,
  type IntakeResult,
  submissionsCollectionName,
} from './service.js';
import { EvidenceStore } from './store.js';
import { evidenceSummary } from './summary.js';
import { EncryptedTusStore } from './tus-encrypted-store.js';

export { exportToPath, exportZipStream } from './export.js';
export {
  type EvidenceActor,
  EvidenceService,
  GENERAL_COLLECTION,
  type IntakeInput,
  type IntakeResult,
  submissionsCollectionName,
} from './service.js';

export const processEvidenceJob = defineJob('evidence.process', z.object({ itemId: z.string().uuid() }), {
  maxAttempts: 3,
});

/** Default maximum size of one file: 4 GB (env SVIEDKA_EVIDENCE_MAX_BYTES). */
export function evidenceMaxBytes(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.SVIEDKA_EVIDENCE_MAX_BYTES);
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : 4 * 1024 ** 3;
}

/** Builds the evidence area: blob store, service, processing job, routes. */
export async function createEvidence(platform: Platform, _deps: Record<string, unknown> = {}) {
  const store = new EvidenceStore(platform.database.db);
  const embedded = platform.database.kind === 'pglite';
  const blobs = new FsBlobStore(
    platform.database.db,
    platform.keys,
    path.join(platform.config.dataDir, 'blobs'),
    {
      maxBytes: evidenceMaxBytes(),
      // An embedded data directory is locked to this process, so nothing in tmp/ can belong to another.
      sweepGraceMs: embedded ? 0 : 60 * 60 * 1000,
    },
  );
  await blobs.sweep();
  // Decrypted working files of processing that a crash interrupted (embedded: no other process).
  if (embedded) await rm(path.join(platform.config.dataDir, 'work'), { recursive: true, force: true });
  const service = new EvidenceService(store, blobs, platform.keys, platform.audit, {
    dataDir: platform.config.dataDir,
    maxBytes: blobs.maxBytes,
    logger: platform.logger,
    access: platform.access,
    submissionsCollection: submissionsCollectionName(),
    enqueueProcessing: (itemId, trx) => platform.jobs.enqueue(processEvidenceJob, { itemId }, { trx }),
  });
  platform.jobs.handle(processEvidenceJob, async ({ itemId }) => service.process(itemId));
  await service.seedTaxonomy();
  await service.ensureDefaultCollections();
  await service.backfillCaptureTimes();
  // Partial resumable uploads, encrypted at rest: analysts' and citizens' in separate directories.
  const uploads = {
    staff: new EncryptedTusStore({
      directory: path.join(platform.config.dataDir, 'uploads', 'tus'),
      keys: platform.keys,
      label: 'staff',
    }),
    citizen: new EncryptedTusStore({
      directory: path.join(platform.config.dataDir, 'uploads', 'citizen-tus'),
      keys: platform.keys,
      label: 'citizen',
      exposeMetadata: false,
    }),
  };
  const sweepUploads = () =>
    Promise.all([uploads.staff.deleteExpired(), uploads.citizen.deleteExpired()]).catch((error) =>
      platform.logger.warn({ err: error }, 'sweeping expired partial uploads failed'),
    );
  let uploadSweep: NodeJS.Timeout | undefined;
  return {
    service,
    blobs,
    intake: (input: IntakeInput): Promise<IntakeResult> => service.intake(input),
    uploads,
    routes: evidenceRoutes(service, platform, uploads),
    summary: evidenceSummary(platform.database.db as Kysely<unknown>, service),
    start: async () => {
      await service.loadIndex();
      await sweepUploads();
      uploadSweep = setInterval(sweepUploads, 3_600_000);
      uploadSweep.unref();
    },
    stop: () => clearInterval(uploadSweep),
  };
}

export type EvidenceArea = Awaited<ReturnType<typeof createEvidence>>;
