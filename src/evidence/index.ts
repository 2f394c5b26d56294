/**
 * The evidence vault area. Other areas (the Telegram bot, imports) hand files in through ONE call,
 * `evidence.intake(input)` (see intake.ts for the contract): the same bytes again give the same item
 * (`duplicate: true`) with a "received-again" custody event when the uploader may see that item, and an
 * item of their own otherwise (answered like a fresh intake); a citizen submission returns a
 * `receiptCode` for adding more later; nothing is stored unless all succeeded.
 *
 * Where things are:
 *   intake.ts              streamed hashing and encryption into the blob store, the item's first records
 *   pipeline/              processing after intake, a declared list of steps (type, metadata, copies, …)
 *   items.ts               list, show, download, classify items; custody as the reader may see it
 *   compartments.ts        collections: who sees what, defaults, moving items
 *   taxonomy.ts            versioned classification codes
 *   custody-log.ts         appending to the per-item hash chain (mirrored in the audit log)
 *   verify.ts              fixity: re-hash blobs, check chains
 *   erasure.ts             erasing an item's content (bytes and derived data), the custody chain kept
 *   export/                packages for OHCHR / ICC
 *   citizen/               the citizen submission surface (/submit, its tus endpoint, its script)
 *   uploads/               partial resumable uploads, encrypted at rest
 *   routes/                the staff HTTP API
 *   store/                 the SQL, one file per concern
 * Incidents live in their own area (src/incidents/); the vault reaches them through EvidenceIncidents.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { AuditActor } from '../platform/audit/service.js';
import type { Principal } from '../platform/auth/model.js';
import { FsBlobStore } from '../platform/blobs/index.js';
import type { AnyTransaction } from '../platform/db/database.js';
import type { App } from '../platform/http/app.js';
import { defineJob } from '../platform/jobs/queue.js';
import { sealPlaintextColumn } from '../platform/keys.js';
import type { Platform } from '../platform/platform.js';
import { CitizenDailyBatch, citizenBatchJob } from './citizen/daily-batch.js';
import { CitizenUploads, citizenUploadLimits } from './citizen/upload-allowance.js';
import { Compartments } from './compartments.js';
import { CustodyLog } from './custody-log.js';
import { ItemErasure } from './erasure.js';
import type { ExportVault } from './export/package.js';
import { Intake, type IntakeInput, type IntakeResult, plaintextNotes } from './intake.js';
import { Items } from './items.js';
import { configureExiftool } from './media/exiftool-process.js';
import { Pipeline } from './pipeline/pipeline.js';
import type { EvidenceIncidents } from './ports.js';
import { CitizenBatchStore } from './store/citizen-batch.js';
import { CollectionStore } from './store/collections.js';
import { CustodyStore } from './store/custody.js';
import { ItemStore } from './store/items.js';
import { ProcessingStore } from './store/processing.js';
import { SubmissionStore } from './store/submissions.js';
import type { EvidenceTransaction } from './store/tables.js';
import { TaxonomyStore } from './store/taxonomy.js';
import { evidenceSummary } from './summary.js';
import { Taxonomy } from './taxonomy.js';
import { EncryptedTusStore } from './uploads/tus-encrypted-store.js';
import { VaultVerifier } from './verify.js';

export { GENERAL_COLLECTION } from './compartments.js';
export { decryptPackage, exportToPath, exportZipStream } from './export/package.js';
export type { EvidenceActor, IntakeInput, IntakeResult } from './intake.js';
export type { EvidenceIncidents } from './ports.js';

export const processEvidenceJob = defineJob('evidence.process', z.object({ itemId: z.string().uuid() }), {
  maxAttempts: 3,
});

/**
 * Incidents are built after the vault (they need it): the vault's calls go to the implementation
 * plugged in with `connectIncidents`.
 */
function deferredIncidents() {
  let target: EvidenceIncidents | undefined;
  const get = () => {
    if (!target) throw new Error('the incidents area is not connected to the evidence vault');
    return target;
  };
  const port: EvidenceIncidents = {
    require: (principal, ids, action) => get().require(principal, ids, action),
    exists: (trx, id) => get().exists(trx, id),
    link: (trx, incidentId, itemId) => get().link(trx, incidentId, itemId),
    ofItem: (itemId, visible) => get().ofItem(itemId, visible),
    collections: (ids) => get().collections(ids),
    forExport: (principal, id) => get().forExport(principal, id),
  };
  const connect = (implementation: EvidenceIncidents) => {
    target = implementation;
  };
  return { port, connect };
}

/** Builds the evidence area: blob store, services, processing job, routes. */
export async function createEvidence(platform: Platform) {
  const db = platform.database.db;
  configureExiftool({
    processes: platform.config.exiftoolProcesses,
    stayOpen: platform.config.exiftoolStayOpen,
  });
  const stores = {
    items: new ItemStore(db),
    collections: new CollectionStore(db),
    custody: new CustodyStore(db),
    processing: new ProcessingStore(db),
    submissions: new SubmissionStore(db),
    taxonomy: new TaxonomyStore(db),
  };
  const embedded = platform.database.kind === 'pglite';
  const blobs = new FsBlobStore(db, platform.keys, path.join(platform.config.dataDir, 'blobs'), {
    maxBytes: platform.config.evidenceMaxBytes,
    // An embedded data directory is locked to this process, so nothing in tmp/ can belong to another.
    sweepGraceMs: embedded ? 0 : 60 * 60 * 1000,
  });
  await blobs.sweep();
  // Decrypted working files of processing that a crash interrupted (embedded: no other process).
  if (embedded) await rm(path.join(platform.config.dataDir, 'work'), { recursive: true, force: true });
  const incidents = deferredIncidents();
  const custody = new CustodyLog(stores.custody, platform.audit);
  const compartments = new Compartments(
    stores.collections,
    stores.items,
    platform.access,
    platform.audit,
    custody,
    platform.config.evidenceSubmissionsCollection,
    platform.keys,
  );
  const taxonomy = new Taxonomy(stores.taxonomy, platform.audit);
  const enqueueProcessing = (itemId: string, trx: EvidenceTransaction) =>
    platform.jobs.enqueue(processEvidenceJob, { itemId }, { trx });
  const citizenBatch = new CitizenDailyBatch(
    new CitizenBatchStore(db),
    platform.audit,
    platform.jobs,
    enqueueProcessing,
  );
  platform.jobs.handle(citizenBatchJob, async () => {
    await citizenBatch.run();
    await citizenBatch.schedule();
  });
  const intake = new Intake(
    stores.items,
    stores.submissions,
    blobs,
    platform.keys,
    compartments,
    custody,
    incidents.port,
    platform.audit,
    {
      maxBytes: blobs.maxBytes,
      enqueueProcessing: (itemId, trx: EvidenceTransaction, citizen: boolean) =>
        citizen ? citizenBatch.hold(trx, itemId) : enqueueProcessing(itemId, trx),
    },
  );
  const items = new Items(
    stores.items,
    stores.processing,
    blobs,
    compartments,
    custody,
    taxonomy,
    incidents.port,
    platform.audit,
    platform.keys,
  );
  const pipeline = new Pipeline(stores.items, stores.processing, blobs, custody, platform.config.dataDir);
  const erasure = new ItemErasure(stores.items, stores.processing, stores.collections, blobs, custody);
  const verifier = new VaultVerifier(items, stores.items, stores.processing, blobs, custody, platform.audit);
  const exportVault: ExportVault = {
    items,
    itemStore: stores.items,
    compartments,
    custody,
    blobs,
    incidents: incidents.port,
  };
  platform.jobs.handle(processEvidenceJob, async ({ itemId }) => pipeline.process(itemId));
  await taxonomy.seedTaxonomy();
  await compartments.sealNames();
  await compartments.ensureDefaultCollections();
  await sealPlaintextColumn(db, platform.keys, plaintextNotes);
  await pipeline.backfillCaptureTimes();
  const citizenLimits = citizenUploadLimits(platform.config);
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
      expiryMs: citizenLimits.idleMs,
    }),
  };
  const citizenUploads = new CitizenUploads(uploads.citizen, citizenLimits);
  const sweepUploads = () =>
    Promise.all([uploads.staff.deleteExpired(), uploads.citizen.deleteExpired()]).catch((error) =>
      platform.logger.warn({ err: error }, 'sweeping expired partial uploads failed'),
    );
  let uploadSweep: NodeJS.Timeout | undefined;
  return {
    intake: (input: IntakeInput): Promise<IntakeResult> => intake.intake(input),
    intakeService: intake,
    items,
    pipeline,
    compartments,
    taxonomy,
    custody,
    verifier,
    /** Erasing an item's content (a case's subject photo at the end of retention), in the caller's transaction. */
    erase: (trx: AnyTransaction, itemId: string, actor: AuditActor, reason: string) =>
      erasure.erase(trx as EvidenceTransaction, itemId, actor, reason),
    exportVault,
    blobs,
    uploads,
    citizenUploads,
    citizenBatch,
    /** The vault as the incidents area needs it (its port IncidentsEvidence, checked where it is plugged). */
    forIncidents: {
      visibleCollections: (principal: Principal) => compartments.visibleCollections(principal),
      requireCollections: (principal: Principal, ids: Iterable<string>, action: string) =>
        compartments.requireCollections(principal, ids, action),
      collectionExists: async (id: string) =>
        (await stores.collections.collection(stores.collections.db, id)) !== undefined,
      requireItems: (principal: Principal, ids: Iterable<string>, action: string) =>
        compartments.requireItems(principal, ids, action),
      recordCustody: (
        trx: AnyTransaction,
        itemId: string,
        action: 'linked' | 'unlinked',
        actor: AuditActor,
        details: Record<string, unknown>,
      ) => custody.append(trx as EvidenceTransaction, itemId, action, actor, details),
      checkCodes: (trx: AnyTransaction, codes: string[]) => taxonomy.checkCodes(trx, codes),
      classify: (
        trx: AnyTransaction,
        incidentId: string,
        change: { add: string[]; remove: string[]; by: string | null },
      ) => taxonomy.classify(trx, 'incident', incidentId, change),
      codes: (incidentIds: string[]) => taxonomy.codes('incident', incidentIds),
    },
    summary: evidenceSummary(platform.database.db as Kysely<unknown>, compartments),
    search: (principal: Principal, text: string, limit: number) => items.search(principal, text, limit),
    /** Plugs in the incidents area (built after the vault, since it needs the vault). */
    connectIncidents: incidents.connect,
    routes: async (app: App) => {
      // The route modules load here, so commands that do not serve never load them.
      const [{ uploadRoutes }, { citizenRoutes }, { itemRoutes }, { catalogueRoutes }, { exportRoutes }] =
        await Promise.all([
          import('./routes/uploads.js'),
          import('./citizen/routes.js'),
          import('./routes/items.js'),
          import('./routes/catalogue.js'),
          import('./routes/export.js'),
        ]);
      await uploadRoutes(intake, uploads.staff)(app);
      await citizenRoutes(intake, uploads.citizen, citizenUploads, platform.logger)(app);
      await itemRoutes(items, compartments, verifier)(app);
      await catalogueRoutes(compartments, taxonomy)(app);
      await exportRoutes(exportVault, platform.audit)(app);
    },
    start: async () => {
      await pipeline.loadIndex();
      await sweepUploads();
      await citizenBatch.schedule();
      uploadSweep = setInterval(sweepUploads, 3_600_000);
      uploadSweep.unref();
    },
    stop: () => clearInterval(uploadSweep),
  };
}

export type EvidenceArea = Awaited<ReturnType<typeof createEvidence>>;
