/**
 * The evidence vault's rules: intake (every channel goes through `intake`), processing (type,
 * metadata, working copies, perceptual hashes, near-duplicate links), chain of custody, taxonomy,
 * incidents and verification. No HTTP and no SQL here.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileTypeFromBuffer } from 'file-type';
import type { Transaction } from 'kysely';
import type pino from 'pino';
import type { AuditActor, AuditService } from '../platform/audit/service.js';
import type { AccessService } from '../platform/auth/access.js';
import type { Principal } from '../platform/auth/model.js';
import { actorOf } from '../platform/auth/service.js';
import type { FsBlobStore } from '../platform/blobs/index.js';
import { type KeyRing, randomBytes } from '../platform/crypto.js';
import { AppError } from '../platform/errors.js';
import { registerEncryptedColumn } from '../platform/keys.js';
import { type CustodyRecord, checkCustodyChain } from './custody.js';
import {
  detectType,
  extractMetadata,
  kindOf,
  type MetadataSummary,
  makeThumbnail,
  PhashIndex,
  perceptualHash,
  stripMetadataCopy,
} from './media/index.js';
import type {
  Channel,
  Collection,
  CustodyAction,
  CustodyEvent,
  Incident,
  IncidentInput,
  IncidentUpdate,
  ItemDetail,
  ItemSummary,
  ListIncidentsQuery,
  ListItemsQuery,
  TaxonomyCode,
  VerifyReport,
} from './model.js';
import type { EvidenceStore, EvidenceTables, IncidentRow, ItemRow, Visible } from './store.js';
import { TAXONOMY_VERSIONS } from './taxonomy-data.js';

registerEncryptedColumn({
  table: 'evidence_submissions',
  idColumn: 'id',
  column: 'contact',
  aad: (id) => `evidence_submissions.contact:${id}`,
});
registerEncryptedColumn({
  table: 'incident_persons',
  idColumn: 'id',
  column: 'name',
  aad: (id) => `incident_persons.name:${id}`,
});

/** Who hands in or touches evidence. Citizens and the bot have no account and no identifier. */
export type EvidenceActor = Principal | { type: 'citizen' } | { type: 'bot' };

/** The one intake contract shared by every channel (web, citizen page, CLI, import, Telegram bot). */
export interface IntakeInput {
  stream: Readable;
  fileName?: string;
  declaredMediaType?: string;
  channel: Channel;
  sourceLabel?: string;
  note?: string;
  incidentId?: string;
  /** Optional submitter contact, sealed separately, never linked in clear. */
  sealedContact?: string;
  /** Add to an existing citizen submission. */
  receiptCode?: string;
  /** E.g. relative path and file times for seized data. */
  acquisition?: Record<string, unknown>;
  /**
   * The collection (compartment) of a new item, by id or by name. Default: "General" for staff and
   * the command line; the submissions collection (restricted) for citizens, the bot and API keys.
   * The caller must be able to see it. Bytes already held stay in their collection.
   */
  collection?: string;
  /** A finished resumable upload: its result is kept for a day so the uploader can recover it. */
  tusUpload?: { id: string; owner: string };
  actor: EvidenceActor;
}

export interface IntakeResult {
  itemId: string;
  sha256: string;
  size: number;
  mediaType: string;
  duplicate: boolean;
  receiptCode?: string;
}

/** Hamming distance up to which two perceptual hashes make a "possible duplicate". */
export const NEAR_DUPLICATE_DISTANCE = 10;

const RECEIPT_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';

/** A receipt code: 20 characters from an unambiguous alphabet (~98 bits), in groups of five. */
function newReceiptCode(): string {
  const bytes = randomBytes(20);
  let out = '';
  for (let i = 0; i < 20; i++) {
    out += RECEIPT_ALPHABET[bytes[i]! % RECEIPT_ALPHABET.length];
    if (i % 5 === 4 && i < 19) out += '-';
  }
  return out;
}

function normalizeReceipt(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * When to date processing events of an item: a citizen's item is processed moments after the upload,
 * so its events are kept to the day too, or they would date the submission its own rows keep to the day.
 */
function processingTime(channel: string): Date | undefined {
  return channel === 'citizen' ? new Date(`${today()}T00:00:00.000Z`) : undefined;
}

function actorFor(actor: EvidenceActor): AuditActor {
  if (actor.type === 'citizen') return { type: 'citizen', id: null, label: null };
  if (actor.type === 'bot') return { type: 'bot', id: null, label: 'telegram-bot' };
  return actorOf(actor);
}

function looksLikeText(head: Buffer): boolean {
  if (head.length === 0 || head.includes(0)) return false;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let drop = 0; drop <= 3; drop++) {
    try {
      decoder.decode(head.subarray(0, head.length - drop));
      return true;
    } catch {}
  }
  return false;
}

/** Media type from the first bytes (magic numbers), never from the name or the sender's claim. */
async function mediaTypeOf(head: Buffer): Promise<string> {
  if (head.length === 0) return 'application/x-empty';
  const found = await fileTypeFromBuffer(head).catch(() => undefined);
  if (found) return found.mime;
  return looksLikeText(head) ? 'text/plain' : 'application/octet-stream';
}

/** The unrestricted collection new staff evidence goes to unless another is chosen. */
export const GENERAL_COLLECTION = 'General';

/**
 * The collection for citizens', the bot's and partners' submissions (env
 * SVIEDKA_EVIDENCE_SUBMISSIONS_COLLECTION, default "Citizen submissions"); created restricted if missing.
 */
export function submissionsCollectionName(env: NodeJS.ProcessEnv = process.env): string {
  return env.SVIEDKA_EVIDENCE_SUBMISSIONS_COLLECTION?.trim() || 'Citizen submissions';
}

/** A capture time from metadata as an instant; a time without an offset is read as UTC. */
export function captureInstant(value: string | undefined | null): Date | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(value))
    return null;
  const date = new Date(/(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

function isAdmin(principal: Principal): boolean {
  return principal.type === 'system' || (principal.type === 'user' && principal.role === 'admin');
}

/** Analysts and reviewers see unrestricted collections without a grant; partners and API keys do not. */
function isStaff(principal: Principal): boolean {
  return principal.type === 'user' && principal.role !== 'partner';
}

function cursorOf(at: Date, id: string): string {
  return Buffer.from(`${new Date(at).toISOString()}|${id}`).toString('base64url');
}

function parseCursor(cursor: string | undefined): { at: Date; id: string } | undefined {
  if (!cursor) return undefined;
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  if (!id || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(date.getTime()))
    throw new AppError('SVD_HTTP_VALIDATION', { message: 'bad cursor' });
  return { at: date, id };
}

export interface EvidenceServiceOptions {
  dataDir: string;
  maxBytes: number;
  logger: pino.Logger;
  access: AccessService;
  /** Name of the restricted collection for submissions (see submissionsCollectionName). */
  submissionsCollection?: string;
  enqueueProcessing: (itemId: string, trx: Transaction<EvidenceTables>) => Promise<unknown>;
}

export class EvidenceService {
  #index: PhashIndex<string> | undefined;

  constructor(
    readonly store: EvidenceStore,
    readonly blobs: FsBlobStore,
    readonly keys: KeyRing,
    readonly audit: AuditService,
    readonly options: EvidenceServiceOptions,
  ) {}

  /** Appends a custody event and mirrors it in the platform audit log, in the caller's transaction. */
  async custody(
    trx: Transaction<EvidenceTables>,
    itemId: string,
    action: CustodyAction,
    actor: AuditActor,
    details: Record<string, unknown> = {},
    at?: Date,
  ): Promise<void> {
    const event = await this.store.appendCustody(trx, {
      itemId,
      action,
      actorType: actor.type,
      actorId: actor.id ?? null,
      actorLabel: actor.label ?? null,
      details,
      ...(at ? { at } : {}),
    });
    await this.audit.record(
      {
        actor,
        action: `evidence.custody.${action}`,
        target: { type: 'evidence_item', id: itemId },
        details: { seq: event.seq, hash: event.hash, ...details },
        ...(at ? { at } : {}),
      },
      trx,
    );
  }

  // Compartments

  /** Creates "General" and the submissions collection when missing (a renamed one is made anew). */
  async ensureDefaultCollections(): Promise<void> {
    await this.store.transaction(async (trx) => {
      await this.store.insertCollection(trx, {
        id: randomUUID(),
        name: GENERAL_COLLECTION,
        description: "Evidence collected by the organization's staff.",
        restricted: false,
        created_by: 'system',
      });
      await this.store.insertCollection(trx, {
        id: randomUUID(),
        name: this.#submissionsName(),
        description: 'Files sent by citizens, the Telegram bot and partners: restricted until reviewed.',
        restricted: true,
        created_by: 'system',
      });
    });
  }

  #submissionsName(): string {
    return this.options.submissionsCollection ?? submissionsCollectionName();
  }

  /**
   * The collections a principal may see: administrators and the system all; analysts and reviewers
   * the unrestricted ones plus restricted ones granted to them; partners and API keys only granted ones.
   */
  async visibleCollections(principal: Principal): Promise<Visible> {
    if (isAdmin(principal)) return 'all';
    const granted = await this.options.access.visible(principal, 'evidence_collection');
    const ids = new Set(granted === 'all' ? [] : granted);
    if (isStaff(principal)) for (const id of await this.store.openCollectionIds()) ids.add(id);
    return [...ids];
  }

  /** Throws "not found" (audited by AccessService) unless every collection is visible. */
  async #requireCollections(principal: Principal, ids: Iterable<string>, action: string): Promise<void> {
    if (isAdmin(principal)) return;
    const open = isStaff(principal) ? new Set(await this.store.openCollectionIds()) : new Set<string>();
    const needed = [...new Set(ids)].filter((id) => !open.has(id));
    if (needed.length) await this.options.access.require(principal, 'evidence_collection', needed, action);
  }

  /**
   * Authorizes a call on ALL the items it touches, as a set: any missing or invisible item makes the
   * whole call "not found" (a denial is audited).
   */
  async requireItems(principal: Principal, ids: Iterable<string>, action: string): Promise<void> {
    const unique = [...new Set(ids)];
    const found = await this.store.itemCollections(unique);
    if (found.size !== unique.length) throw new AppError('SVD_HTTP_NOT_FOUND');
    await this.#requireCollections(principal, found.values(), action);
  }

  /** As requireItems, for incidents (an incident without a collection is open to staff). */
  async requireIncidents(principal: Principal, ids: Iterable<string>, action: string): Promise<void> {
    const unique = [...new Set(ids)];
    const found = await this.store.incidentCollections(unique);
    if (found.size !== unique.length) throw new AppError('SVD_HTTP_NOT_FOUND');
    const open = [...found].filter(([, collection]) => collection === null).map(([id]) => id);
    if (open.length && !isAdmin(principal) && !isStaff(principal)) {
      await this.audit.record({
        actor: actorOf(principal),
        action,
        outcome: 'denied',
        target: { type: 'incident', id: open[0]! },
        details: { denied: open },
      });
      throw new AppError('SVD_HTTP_NOT_FOUND');
    }
    const restricted = [...found.values()].filter((id): id is string => id !== null);
    await this.#requireCollections(principal, restricted, action);
  }

  /** The collection a new item goes to, checked against what the actor may see. */
  async #intakeCollection(input: IntakeInput): Promise<string> {
    const outside = input.actor.type === 'citizen' || input.actor.type === 'bot';
    const wanted = outside
      ? this.#submissionsName()
      : (input.collection ??
        (input.actor.type === 'apikey' || input.channel === 'citizen' || input.channel === 'bot'
          ? this.#submissionsName()
          : GENERAL_COLLECTION));
    const row = /^[0-9a-f-]{36}$/i.test(wanted)
      ? await this.store.collection(this.store.db, wanted.toLowerCase())
      : await this.store.collectionByName(this.store.db, wanted);
    if (!row) {
      // The defaults are recreated when missing; a named one that does not exist is "not found".
      if (input.collection === undefined) {
        await this.ensureDefaultCollections();
        const made = await this.store.collectionByName(this.store.db, wanted);
        if (made) return made.id;
      }
      throw new AppError('SVD_HTTP_NOT_FOUND');
    }
    // The default destination of an API key is the restricted submissions collection: allowed to write.
    if (!outside && input.collection !== undefined)
      await this.#requireCollections(input.actor as Principal, [row.id], 'evidence.intake');
    return row.id;
  }

  /** Collections the principal may see, with item counts. */
  async listCollections(principal: Principal): Promise<Collection[]> {
    const visible = await this.visibleCollections(principal);
    return (await this.store.collections())
      .filter((row) => visible === 'all' || visible.includes(row.id))
      .map((row) => ({
        id: row.id,
        name: row.name,
        description: row.description,
        restricted: row.restricted,
        createdAt: new Date(row.created_at).toISOString(),
        itemCount: Number(row.item_count ?? 0),
      }));
  }

  /** A new collection (administrators; the route enforces it). */
  async createCollection(
    principal: Principal,
    input: { name: string; description: string; restricted: boolean },
  ): Promise<Collection> {
    const id = randomUUID();
    await this.store.transaction(async (trx) => {
      const inserted = await this.store.insertCollection(trx, {
        id,
        name: input.name,
        description: input.description,
        restricted: input.restricted,
        created_by: actorOf(principal).label ?? null,
      });
      if (!inserted) throw new AppError('SVD_EVIDENCE_COLLECTION_EXISTS');
      await this.audit.record(
        {
          actor: actorOf(principal),
          action: 'evidence.collection.create',
          target: { type: 'evidence_collection', id },
          details: { name: input.name, restricted: input.restricted },
        },
        trx,
      );
    });
    return (await this.listCollections(principal)).find((c) => c.id === id)!;
  }

  /** Moves an item to another collection (administrators): a "transferred" custody event. */
  async moveItem(principal: Principal, itemId: string, collectionId: string, note?: string): Promise<void> {
    await this.requireItems(principal, [itemId], 'evidence.item.move');
    await this.store.transaction(async (trx) => {
      const target = await this.store.collection(trx, collectionId);
      if (!target) throw new AppError('SVD_HTTP_NOT_FOUND');
      await this.#requireCollections(principal, [collectionId], 'evidence.item.move');
      const item = await this.store.item(trx, itemId);
      if (!item || item.collection_id === collectionId) return;
      const from = await this.store.collection(trx, item.collection_id);
      await this.store.setItemCollection(trx, itemId, collectionId);
      await this.custody(trx, itemId, 'transferred', actorOf(principal), {
        fromCollection: { id: item.collection_id, name: from?.name ?? null },
        toCollection: { id: collectionId, name: target.name },
        ...(note ? { note } : {}),
      });
    });
  }

  /**
   * Custody events as the principal may read them: a reference to an item or incident it cannot see
   * (e.g. a near-duplicate in a restricted collection) is replaced by null and the event marked
   * `redacted` (the stored chain is unchanged; `verify` checks it on the server).
   */
  async redactCustody(principal: Principal, events: CustodyEvent[]): Promise<CustodyEvent[]> {
    if (isAdmin(principal)) return events;
    const itemIds = new Set<string>();
    const incidentIds = new Set<string>();
    for (const event of events) {
      if (typeof event.details.itemId === 'string') itemIds.add(event.details.itemId);
      if (typeof event.details.incidentId === 'string') incidentIds.add(event.details.incidentId);
    }
    if (itemIds.size === 0 && incidentIds.size === 0) return events;
    const visible = await this.visibleCollections(principal);
    const sees = (collection: string | null | undefined) =>
      collection === null ||
      (collection !== undefined && (visible === 'all' || visible.includes(collection)));
    const items = await this.store.itemCollections([...itemIds]);
    const incidents = await this.store.incidentCollections([...incidentIds]);
    return events.map((event) => {
      const details = { ...event.details };
      let redacted = false;
      if (typeof details.itemId === 'string' && !sees(items.get(details.itemId) ?? undefined)) {
        details.itemId = null;
        redacted = true;
      }
      if (typeof details.incidentId === 'string' && !sees(incidents.get(details.incidentId))) {
        details.incidentId = null;
        redacted = true;
      }
      return redacted ? { ...event, details: { ...details, redacted: true } } : event;
    });
  }

  /** Capture times for items processed before the column existed. */
  async backfillCaptureTimes(): Promise<number> {
    const seen = new Set<string>();
    let filled = 0;
    for (const row of await this.store.missingCaptureTimes()) {
      if (seen.has(row.item_id)) continue;
      const at = captureInstant(row.capture);
      if (!at) continue;
      seen.add(row.item_id);
      await this.store.setCapturedAt(row.item_id, at);
      filled++;
    }
    return filled;
  }

  /** Whether a citizen's receipt code is known: checked before a resumable upload starts. */
  async receiptKnown(code: string): Promise<boolean> {
    const hash = this.keys.lookupHash('lookup', `receipt:${normalizeReceipt(code)}`);
    return Boolean(await this.store.submissionByReceipt(this.store.db, hash));
  }

  /**
   * Receives one file from any channel: streams it into the blob store (hash + encrypt in one pass),
   * records the item (or, for bytes already held, a "received again" custody event), links it to an
   * incident and/or a citizen receipt, and queues processing. Nothing is committed unless all of it is.
   */
  async intake(input: IntakeInput): Promise<IntakeResult> {
    const actor = actorFor(input.actor);
    const citizen = input.actor.type === 'citizen' || input.channel === 'citizen';
    const staged = await this.blobs.stage(input.stream, {
      maxBytes: this.options.maxBytes,
      headBytes: 64 * 1024,
    });
    try {
      const mediaType = await mediaTypeOf(staged.head);
      const collectionId = await this.#intakeCollection(input);
      if (input.incidentId && input.actor.type !== 'citizen' && input.actor.type !== 'bot')
        await this.requireIncidents(input.actor, [input.incidentId], 'evidence.intake');
      const result = await this.store.transaction(async (trx) => {
        await staged.commit(trx);
        // Citizens' submissions carry the day only: exact times can be matched against network logs.
        const at = citizen ? new Date(`${today()}T00:00:00.000Z`) : new Date();
        if (input.incidentId && !(await this.store.incident(trx, input.incidentId))) {
          throw new AppError('SVD_EVIDENCE_INCIDENT_UNKNOWN');
        }
        let receiptCode: string | undefined;
        let submissionId: string | undefined;
        if (citizen || input.receiptCode || input.sealedContact) {
          if (input.receiptCode) {
            const found = await this.store.submissionByReceipt(
              trx,
              this.keys.lookupHash('lookup', `receipt:${normalizeReceipt(input.receiptCode)}`),
            );
            if (!found) throw new AppError('SVD_EVIDENCE_RECEIPT_UNKNOWN');
            submissionId = found.id;
            receiptCode = input.receiptCode;
          } else {
            receiptCode = newReceiptCode();
            submissionId = randomUUID();
            const contact = input.sealedContact?.trim();
            await this.store.insertSubmission(trx, {
              id: submissionId,
              receipt_hash: this.keys.lookupHash('lookup', `receipt:${normalizeReceipt(receiptCode)}`),
              contact: contact
                ? this.keys.encryptField(contact, `evidence_submissions.contact:${submissionId}`)
                : null,
              created_on: today(),
            });
          }
        }
        const how = {
          channel: input.channel,
          ...(input.sourceLabel ? { source: input.sourceLabel } : {}),
          ...(input.fileName ? { fileName: input.fileName } : {}),
          ...(input.declaredMediaType ? { declaredMediaType: input.declaredMediaType } : {}),
          ...(input.note ? { note: input.note } : {}),
          ...(input.acquisition ? { acquisition: input.acquisition } : {}),
        };
        const existing = await this.store.itemBySha(trx, staged.sha256);
        let itemId: string;
        if (existing) {
          itemId = existing.id;
          await this.custody(trx, itemId, 'received-again', actor, { ...how, sha256: staged.sha256 }, at);
        } else {
          itemId = randomUUID();
          await this.store.insertItem(trx, {
            id: itemId,
            sha256: staged.sha256,
            size: staged.size,
            media_type: mediaType,
            kind: kindOf(mediaType),
            file_name: input.fileName ?? null,
            channel: input.channel,
            source_label: input.sourceLabel ?? null,
            note: input.note ?? null,
            acquisition: input.acquisition ?? null,
            received_at: at,
            collection_id: collectionId,
            captured_at: null,
          });
          await this.custody(trx, itemId, 'received', actor, { ...how, size: staged.size, mediaType }, at);
          await this.custody(
            trx,
            itemId,
            'stored',
            actor,
            { sha256: staged.sha256, algorithm: 'SHA-256', encryption: 'secretstream-xchacha20poly1305' },
            at,
          );
          await this.options.enqueueProcessing(itemId, trx);
        }
        if (submissionId) await this.store.addSubmissionItem(trx, submissionId, itemId, today());
        if (input.tusUpload)
          await this.store.insertTusResult(trx, {
            upload_id: input.tusUpload.id,
            owner: input.tusUpload.owner,
            item_id: itemId,
            sha256: staged.sha256,
            size: staged.size,
            media_type: existing ? existing.media_type : mediaType,
            duplicate: existing !== undefined,
          });
        if (input.incidentId) {
          await this.store.linkItem(trx, input.incidentId, itemId, null);
          await this.custody(trx, itemId, 'linked', actor, { incidentId: input.incidentId });
        }
        return {
          itemId,
          sha256: staged.sha256,
          size: staged.size,
          mediaType: existing ? existing.media_type : mediaType,
          duplicate: existing !== undefined,
          ...(receiptCode ? { receiptCode } : {}),
        };
      });
      await staged.finish();
      return result;
    } catch (error) {
      await staged.abort();
      throw error;
    }
  }

  // Processing

  async #phashIndex(): Promise<PhashIndex<string>> {
    if (!this.#index) {
      const index = new PhashIndex<string>();
      for await (const page of this.store.allPhashes())
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
    await this.store.insertProcessing({
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
    const dir = path.join(this.options.dataDir, 'work', randomUUID());
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
      await this.store.transaction(async (trx) => {
        await staged.commit(trx);
        await this.store.insertDerivative(trx, {
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
        await this.custody(
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
    const item = await this.store.item(this.store.db, itemId);
    if (!item || item.processing_state === 'done') return;
    const system: AuditActor = { type: 'system', label: 'evidence-processing' };
    const work = await this.#plainCopy(item);
    try {
      let kind = item.kind;
      let extension = 'bin';
      const detected = await detectType(work.file, item.file_name ?? undefined);
      if (!detected.ok) {
        if (!(await this.store.hasProcessing(itemId, 'type')))
          await this.#step(itemId, 'type', 'failed', {
            tool: detected.tool,
            code: detected.code,
            message: detected.message,
          });
      } else {
        kind = detected.kind;
        extension = detected.extension;
        if (!(await this.store.hasProcessing(itemId, 'type'))) {
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
          await this.store.updateMediaType(itemId, detected.mediaType, kind);
      }
      if (item.size === 0) {
        await this.#step(itemId, 'metadata', 'skipped', { code: 'empty', message: 'the file has no bytes' });
        await this.store.setProcessingState(itemId, 'done');
        return;
      }

      if (!(await this.store.hasProcessing(itemId, 'metadata'))) {
        const outcomes = await extractMetadata(work.file, kind as never);
        const records: Array<{ id: string; tool: string; toolVersion: string }> = [];
        for (const outcome of outcomes) {
          if (outcome.ok) {
            const id = randomUUID();
            await this.store.insertMetadata({
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
          await this.store.transaction((trx) =>
            this.custody(
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
        if (captured) await this.store.setCapturedAt(itemId, captured);
      }

      if (kind === 'image' || kind === 'video') {
        const existing = new Set((await this.store.derivatives(itemId)).map((d) => d.purpose));
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
        if ((await this.store.phashes(itemId)).length === 0) {
          const result = await perceptualHash(work.file, kind);
          if (!result.ok) {
            await this.#step(itemId, 'phash', 'failed', {
              tool: result.tool,
              code: result.code,
              message: result.message,
            });
          } else {
            await this.store.insertPhashes(
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
      await this.store.setProcessingState(itemId, 'done');
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
    await this.store.transaction(async (trx) => {
      for (const [other, distance] of best) {
        if (!(await this.store.insertLink(trx, itemId, other, distance))) continue;
        const details = { link: 'possible-duplicate', distance, algorithm: 'dct-phash-64' };
        const otherChannel = (await this.store.item(trx, other))?.channel ?? '';
        await this.custody(
          trx,
          itemId,
          'linked',
          system,
          { ...details, itemId: other },
          processingTime(item.channel),
        );
        await this.custody(
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

  // Reading

  async #collectionNames(): Promise<Map<string, string>> {
    return new Map((await this.store.collections()).map((row) => [row.id, row.name]));
  }

  #summaries(
    rows: ItemRow[],
    codes: Map<string, string[]>,
    thumbs: Set<string>,
    names: Map<string, string>,
  ): ItemSummary[] {
    return rows.map((row) => ({
      id: row.id,
      sha256: row.sha256,
      size: Number(row.size),
      mediaType: row.media_type,
      kind: row.kind,
      fileName: row.file_name,
      channel: row.channel as Channel,
      sourceLabel: row.source_label,
      receivedAt: new Date(row.received_at).toISOString(),
      verificationState: row.verification_state as ItemSummary['verificationState'],
      processingState: row.processing_state as ItemSummary['processingState'],
      codes: codes.get(row.id) ?? [],
      hasThumbnail: thumbs.has(row.id),
      collectionId: row.collection_id,
      collectionName: names.get(row.collection_id) ?? '',
      capturedAt: row.captured_at ? new Date(row.captured_at).toISOString() : null,
    }));
  }

  /**
   * A page of the items the principal may see (filtered in SQL by visible collections), newest
   * first, with the total count of matching items.
   */
  async list(
    principal: Principal,
    query: ListItemsQuery,
  ): Promise<{ items: ItemSummary[]; next: string | null; total: number }> {
    const limit = query.limit === undefined ? 100 : Number(query.limit);
    const visible = await this.visibleCollections(principal);
    const codes = [
      ...(query.code ? [query.code] : []),
      ...(query.codes ?? '')
        .split(',')
        .map((code) => code.trim())
        .filter(Boolean),
    ];
    const filter = {
      codes,
      codesMatch: query.codesMatch ?? 'any',
      incidentId: query.incidentId,
      collectionId: query.collectionId,
      kind: query.kind,
      channel: query.channel,
      verificationState: query.verificationState,
      processingState: query.processingState,
      text: query.q || undefined,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      capturedFrom: query.capturedFrom ? new Date(query.capturedFrom) : undefined,
      capturedTo: query.capturedTo ? new Date(query.capturedTo) : undefined,
    };
    const [rows, total] = await Promise.all([
      this.store.listItems({ ...filter, before: parseCursor(query.before), limit }, visible),
      this.store.countItems(filter, visible),
    ]);
    const ids = rows.map((row) => row.id);
    const names = new Map(rows.map((row) => [row.collection_id, row.collection_name]));
    const items = this.#summaries(
      rows,
      await this.store.codes('item', ids),
      await this.store.itemsWithThumbnail(ids),
      names,
    );
    const last = rows[rows.length - 1];
    const next = last && rows.length === limit ? cursorOf(last.received_at, last.id) : null;
    return { items, next, total };
  }

  async #requireItem(principal: Principal, id: string, action: string): Promise<ItemRow> {
    await this.requireItems(principal, [id], action);
    const item = await this.store.item(this.store.db, id);
    if (!item) throw new AppError('SVD_HTTP_NOT_FOUND');
    return item;
  }

  /** The processing state of an item, for polling: no custody event, no content. */
  async status(
    principal: Principal,
    id: string,
  ): Promise<{
    id: string;
    processingState: ItemSummary['processingState'];
    mediaType: string;
    kind: string;
    hasThumbnail: boolean;
  }> {
    const item = await this.#requireItem(principal, id, 'evidence.item.status');
    const thumbs = await this.store.itemsWithThumbnail([id]);
    return {
      id,
      processingState: item.processing_state as ItemSummary['processingState'],
      mediaType: item.media_type,
      kind: item.kind,
      hasThumbnail: thumbs.has(id),
    };
  }

  /** An item with its metadata, processing, working copies, duplicates and custody; records the view. */
  async show(principal: Principal, id: string, options: { recordView?: boolean } = {}): Promise<ItemDetail> {
    const item = await this.#requireItem(principal, id, 'evidence.item.read');
    if (options.recordView !== false) {
      await this.store.transaction((trx) => this.custody(trx, id, 'viewed', actorOf(principal)));
    }
    const visible = await this.visibleCollections(principal);
    const [metadata, processing, derivatives, phashes, links, incidents, custody, codes, names] =
      await Promise.all([
        this.store.metadata(id),
        this.store.processing(id),
        this.store.derivatives(id),
        this.store.phashes(id),
        this.store.links(id, visible),
        this.store.itemIncidents(id, visible),
        this.store.custody(this.store.db, id),
        this.store.codes('item', [id]),
        this.#collectionNames(),
      ]);
    const parse = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);
    const records = metadata.map((row) => ({
      id: row.id,
      tool: row.tool,
      toolVersion: row.tool_version,
      summary: parse(row.summary) as MetadataSummary,
      warnings: parse(row.warnings) as string[],
      data: parse(row.data) as Record<string, unknown>,
      createdAt: new Date(row.created_at).toISOString(),
    }));
    const located = records.find(
      (r) => r.summary.latitude !== undefined && r.summary.longitude !== undefined,
    );
    const timed = records.find((r) => r.summary.captureTime !== undefined);
    const [summary] = this.#summaries(
      [item],
      codes,
      new Set(derivatives.some((d) => d.purpose === 'thumbnail') ? [id] : []),
      names,
    );
    return {
      ...summary!,
      note: item.note,
      acquisition: (parse(item.acquisition) as Record<string, unknown> | null) ?? null,
      latitude: located?.summary.latitude ?? null,
      longitude: located?.summary.longitude ?? null,
      captureTime: timed?.summary.captureTime ?? null,
      metadata: records,
      processing: processing.map((row) => ({
        step: row.step,
        outcome: row.outcome as 'ok',
        tool: row.tool,
        toolVersion: row.tool_version,
        code: row.code,
        message: row.message,
        at: new Date(row.at).toISOString(),
      })),
      derivatives: derivatives.map((row) => ({
        id: row.id,
        purpose: row.purpose as 'thumbnail',
        parentSha256: row.parent_sha256,
        sha256: row.sha256,
        size: Number(row.size),
        mediaType: row.media_type,
        tool: row.tool,
        toolVersion: row.tool_version,
        width: row.width,
        height: row.height,
      })),
      phashes: phashes.map((row) => ({ frameSeconds: Number(row.frame_seconds), hash: row.hash })),
      possibleDuplicates: links,
      incidents: incidents.map((row) => ({ incidentId: row.incident_id, title: row.title, role: row.role })),
      custody: await this.redactCustody(principal, custody.map(toCustodyEvent)),
    };
  }

  /** The decrypted original as a stream; records the download in the chain of custody. */
  async download(
    principal: Principal,
    id: string,
    purpose?: string,
  ): Promise<{ item: ItemRow; stream: Readable }> {
    const item = await this.#requireItem(principal, id, 'evidence.item.download');
    await this.store.transaction((trx) =>
      this.custody(trx, id, 'downloaded', actorOf(principal), purpose ? { purpose } : {}),
    );
    return { item, stream: this.blobs.get(item.sha256) };
  }

  /**
   * A working copy (thumbnail or stripped copy). Not evidence itself, so not a custody event; but it
   * shows the content, so the read is recorded in the platform audit log.
   */
  async derivative(
    principal: Principal,
    id: string,
    purpose: 'thumbnail' | 'stripped',
  ): Promise<{ mediaType: string; stream: Readable }> {
    await this.requireItems(principal, [id], 'evidence.derivative.read');
    const found = (await this.store.derivatives(id)).find((d) => d.purpose === purpose);
    if (!found) throw new AppError('SVD_HTTP_NOT_FOUND');
    await this.audit.record({
      actor: actorOf(principal),
      action: 'evidence.derivative.read',
      target: { type: 'evidence_item', id },
      details: { purpose },
    });
    return { mediaType: found.media_type, stream: this.blobs.get(found.sha256) };
  }

  async custodyLog(principal: Principal, id: string): Promise<CustodyEvent[]> {
    await this.#requireItem(principal, id, 'evidence.custody.read');
    return this.redactCustody(principal, (await this.store.custody(this.store.db, id)).map(toCustodyEvent));
  }

  /** A finished resumable upload's result, for its uploader only, for a day. */
  async tusResult(
    owner: string,
    uploadId: string,
  ): Promise<{ itemId: string; sha256: string; size: number; mediaType: string; duplicate: boolean }> {
    const row = await this.store.tusResult(uploadId, owner, new Date(Date.now() - 24 * 3600 * 1000));
    if (!row) throw new AppError('SVD_HTTP_NOT_FOUND');
    return {
      itemId: row.item_id,
      sha256: row.sha256,
      size: Number(row.size),
      mediaType: row.media_type,
      duplicate: row.duplicate,
    };
  }

  async setVerificationState(principal: Principal, id: string, state: string, note?: string): Promise<void> {
    await this.#requireItem(principal, id, 'evidence.item.verification');
    await this.store.transaction(async (trx) => {
      await this.store.setVerificationState(trx, id, state);
      await this.custody(trx, id, 'classified', actorOf(principal), {
        verificationState: state,
        ...(note ? { note } : {}),
      });
    });
  }

  // Taxonomy

  /** Applies the shipped taxonomy versions that the database lacks. */
  seedTaxonomy(): Promise<number[]> {
    return this.store.seedTaxonomy(TAXONOMY_VERSIONS);
  }

  async taxonomy(): Promise<TaxonomyCode[]> {
    return (await this.store.taxonomy()).map((row) => ({
      code: row.code,
      axis: row.axis as TaxonomyCode['axis'],
      labels: (typeof row.labels === 'string'
        ? JSON.parse(row.labels)
        : row.labels) as TaxonomyCode['labels'],
      mapsTo: row.maps_to,
      sources: row.sources,
      addedIn: row.added_in,
      deprecatedIn: row.deprecated_in,
      custom: row.custom,
    }));
  }

  /** Adds a code in a new taxonomy version (admins). Existing codes are never changed or deleted. */
  async addCode(
    principal: Principal,
    input: { code: string; axis: string; labels: { en: string; be: string; ru: string }; mapsTo: string[] },
  ): Promise<TaxonomyCode> {
    await this.store.transaction(async (trx) => {
      const version = await this.store.addTaxonomyVersion(trx, `added ${input.code}`);
      const inserted = await this.store.insertTaxonomyCode(trx, {
        code: input.code,
        axis: input.axis,
        labels: input.labels,
        maps_to: input.mapsTo,
        sources: [],
        huridocs_types_of_acts: null,
        added_in: version,
        deprecated_in: null,
      });
      if (!inserted) throw new AppError('SVD_EVIDENCE_CODE_EXISTS');
      await this.audit.record(
        {
          actor: actorOf(principal),
          action: 'evidence.taxonomy.add',
          target: { type: 'taxonomy_code', id: input.code },
          details: { version, axis: input.axis },
        },
        trx,
      );
    });
    return (await this.taxonomy()).find((code) => code.code === input.code)!;
  }

  /** Deprecates a code in a new version; old classifications keep it and stay readable. */
  async deprecateCode(principal: Principal, code: string): Promise<void> {
    await this.store.transaction(async (trx) => {
      const version = await this.store.addTaxonomyVersion(trx, `deprecated ${code}`);
      if (!(await this.store.deprecateCode(trx, code, version)))
        throw new AppError('SVD_EVIDENCE_CODE_UNKNOWN');
      await this.audit.record(
        {
          actor: actorOf(principal),
          action: 'evidence.taxonomy.deprecate',
          target: { type: 'taxonomy_code', id: code },
          details: { version },
        },
        trx,
      );
    });
  }

  async #checkCodes(trx: Transaction<EvidenceTables>, codes: string[]): Promise<number> {
    if (codes.length) {
      const known = new Map((await this.store.taxonomy(trx)).map((row) => [row.code, row]));
      const bad = codes.filter((code) => !known.get(code) || known.get(code)!.deprecated_in !== null);
      if (bad.length) throw new AppError('SVD_EVIDENCE_CODE_UNKNOWN', { details: { codes: bad } });
    }
    return this.store.latestTaxonomyVersion(trx);
  }

  /** Adds and removes taxonomy codes on an item (multi-label); a custody event records the change. */
  async classifyItem(principal: Principal, id: string, add: string[], remove: string[]): Promise<string[]> {
    await this.#requireItem(principal, id, 'evidence.item.classify');
    await this.store.transaction(async (trx) => {
      const version = await this.#checkCodes(trx, add);
      const changed = await this.store.classify(
        trx,
        'item',
        id,
        add,
        remove,
        version,
        actorOf(principal).label ?? null,
      );
      if (changed.added.length || changed.removed.length)
        await this.custody(trx, id, 'classified', actorOf(principal), {
          ...changed,
          taxonomyVersion: version,
        });
    });
    return (await this.store.codes('item', [id])).get(id) ?? [];
  }

  async classifyIncident(
    principal: Principal,
    id: string,
    add: string[],
    remove: string[],
  ): Promise<string[]> {
    await this.requireIncidents(principal, [id], 'evidence.incident.classify');
    await this.store.transaction(async (trx) => {
      if (!(await this.store.incident(trx, id))) throw new AppError('SVD_HTTP_NOT_FOUND');
      const version = await this.#checkCodes(trx, add);
      const changed = await this.store.classify(
        trx,
        'incident',
        id,
        add,
        remove,
        version,
        actorOf(principal).label ?? null,
      );
      await this.audit.record(
        {
          actor: actorOf(principal),
          action: 'evidence.incident.classify',
          target: { type: 'incident', id },
          details: { ...changed, version },
        },
        trx,
      );
    });
    return (await this.store.codes('incident', [id])).get(id) ?? [];
  }

  // Incidents

  /** A collection for an incident must exist and be visible to the principal. */
  async #incidentCollection(principal: Principal, collectionId: string | null | undefined, action: string) {
    if (!collectionId) return;
    if (!(await this.store.collection(this.store.db, collectionId))) throw new AppError('SVD_HTTP_NOT_FOUND');
    await this.#requireCollections(principal, [collectionId], action);
  }

  async createIncident(principal: Principal, input: IncidentInput): Promise<Incident> {
    const id = randomUUID();
    await this.#incidentCollection(principal, input.collectionId, 'evidence.incident.create');
    await this.store.transaction(async (trx) => {
      await this.#checkFacets(trx, input);
      await this.store.insertIncident(trx, {
        id,
        title: input.title,
        description: input.description,
        occurred_from: input.occurredFrom ? new Date(input.occurredFrom) : null,
        occurred_to: input.occurredTo
          ? new Date(input.occurredTo)
          : input.occurredFrom
            ? new Date(input.occurredFrom)
            : null,
        place: input.place ?? null,
        place_type: input.placeType ?? null,
        latitude: input.latitude ?? null,
        longitude: input.longitude ?? null,
        responsible_institution: input.responsibleInstitution ?? null,
        responsible_unit: input.responsibleUnit ?? null,
        created_by: actorOf(principal).label ?? null,
        collection_id: input.collectionId ?? null,
      });
      await this.audit.record(
        {
          actor: actorOf(principal),
          action: 'evidence.incident.create',
          target: { type: 'incident', id },
          ...(input.collectionId ? { details: { collectionId: input.collectionId } } : {}),
        },
        trx,
      );
    });
    return this.incident(principal, id);
  }

  async #checkFacets(
    trx: Transaction<EvidenceTables>,
    input: { placeType?: string | null; responsibleInstitution?: string | null },
  ): Promise<void> {
    const facets = [input.placeType, input.responsibleInstitution].filter((code): code is string =>
      Boolean(code),
    );
    await this.#checkCodes(trx, facets);
  }

  /** Changes an incident: absent fields stay, null clears an optional field. */
  async updateIncident(principal: Principal, id: string, input: IncidentUpdate): Promise<Incident> {
    await this.requireIncidents(principal, [id], 'evidence.incident.update');
    if (input.collectionId !== undefined)
      await this.#incidentCollection(principal, input.collectionId, 'evidence.incident.update');
    await this.store.transaction(async (trx) => {
      const row = await this.store.incident(trx, id);
      if (!row) throw new AppError('SVD_HTTP_NOT_FOUND');
      await this.#checkFacets(trx, input);
      const set: Partial<IncidentRow> = {};
      const date = (value: string | null) => (value === null ? null : new Date(value));
      if (input.title !== undefined) set.title = input.title;
      if (input.description !== undefined) set.description = input.description ?? '';
      if (input.occurredFrom !== undefined) set.occurred_from = date(input.occurredFrom);
      if (input.occurredTo !== undefined) set.occurred_to = date(input.occurredTo);
      if (input.place !== undefined) set.place = input.place;
      if (input.placeType !== undefined) set.place_type = input.placeType;
      if (input.latitude !== undefined) set.latitude = input.latitude;
      if (input.longitude !== undefined) set.longitude = input.longitude;
      if (input.responsibleInstitution !== undefined)
        set.responsible_institution = input.responsibleInstitution;
      if (input.responsibleUnit !== undefined) set.responsible_unit = input.responsibleUnit;
      if (input.collectionId !== undefined) set.collection_id = input.collectionId;
      const from = set.occurred_from !== undefined ? set.occurred_from : row.occurred_from;
      const to = set.occurred_to !== undefined ? set.occurred_to : row.occurred_to;
      if (from && to && new Date(to) < new Date(from))
        throw new AppError('SVD_HTTP_VALIDATION', { message: 'occurredTo is before occurredFrom' });
      await this.store.updateIncident(trx, id, set);
      await this.audit.record(
        {
          actor: actorOf(principal),
          action: 'evidence.incident.update',
          target: { type: 'incident', id },
          details: {
            fields: Object.keys(set),
            cleared: Object.entries(input)
              .filter(([, value]) => value === null)
              .map(([key]) => key),
          },
        },
        trx,
      );
    });
    return this.incident(principal, id);
  }

  #incidentOf(row: IncidentRow, codes: Map<string, string[]>) {
    return {
      id: row.id,
      title: row.title,
      description: row.description,
      occurredFrom: row.occurred_from ? new Date(row.occurred_from).toISOString() : null,
      occurredTo: row.occurred_to ? new Date(row.occurred_to).toISOString() : null,
      place: row.place,
      placeType: row.place_type,
      latitude: row.latitude,
      longitude: row.longitude,
      responsibleInstitution: row.responsible_institution,
      responsibleUnit: row.responsible_unit,
      createdAt: new Date(row.created_at).toISOString(),
      collectionId: row.collection_id,
      codes: codes.get(row.id) ?? [],
    };
  }

  /** An incident with the linked items the principal may see, its persons and codes. */
  async incident(principal: Principal, id: string): Promise<Incident> {
    await this.requireIncidents(principal, [id], 'evidence.incident.read');
    const row = await this.store.incident(this.store.db, id);
    if (!row) throw new AppError('SVD_HTTP_NOT_FOUND');
    const visible = await this.visibleCollections(principal);
    const [items, persons, codes] = await Promise.all([
      this.store.incidentItems(this.store.db, id),
      this.store.persons(id),
      this.store.codes('incident', [id]),
    ]);
    return {
      ...this.#incidentOf(row, codes),
      items: items
        .filter((item) => visible === 'all' || visible.includes(item.collection_id))
        .map((item) => ({ itemId: item.item_id, role: item.role })),
      persons: persons.map((person) => ({
        id: person.id,
        role: person.role as 'victim',
        entityId: person.entity_id,
        name: person.name
          ? this.keys.decryptFieldText(person.name, `incident_persons.name:${person.id}`)
          : null,
      })),
    };
  }

  /** Every item linked to an incident, visible or not (export refuses unless all are visible). */
  async incidentItemIds(id: string): Promise<string[]> {
    return (await this.store.incidentItems(this.store.db, id)).map((item) => item.item_id);
  }

  /** A page of incidents the principal may see, newest first; item counts count visible items only. */
  async listIncidents(
    principal: Principal,
    query: ListIncidentsQuery = {},
  ): Promise<{
    items: Array<Omit<Incident, 'items' | 'persons'> & { itemCount: number }>;
    next: string | null;
  }> {
    const limit = query.limit === undefined ? 100 : Number(query.limit);
    const visible = await this.visibleCollections(principal);
    const rows = await this.store.listIncidents(
      {
        text: query.q || undefined,
        code: query.code,
        placeType: query.placeType,
        responsibleInstitution: query.responsibleInstitution,
        collectionId: query.collectionId,
        entityId: query.entityId,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
        before: parseCursor(query.before),
        limit,
      },
      visible,
    );
    const codes = await this.store.codes(
      'incident',
      rows.map((row) => row.id),
    );
    // Filtered by a person: say in which role(s) they appear, so a person page needs no second request.
    const roles = new Map<string, Array<Incident['persons'][number]['role']>>();
    if (query.entityId)
      for (const row of await this.store.entityRoles(
        rows.map((r) => r.id),
        query.entityId,
      )) {
        const list = roles.get(row.incident_id) ?? [];
        const role = row.role as Incident['persons'][number]['role'];
        if (!list.includes(role)) list.push(role);
        roles.set(row.incident_id, list);
      }
    const last = rows[rows.length - 1];
    return {
      items: rows.map((row) => ({
        ...this.#incidentOf(row, codes),
        itemCount: Number(row.item_count ?? 0),
        ...(query.entityId ? { entityRoles: roles.get(row.id) ?? [] } : {}),
      })),
      next: last && rows.length === limit ? cursorOf(last.created_at, last.id) : null,
    };
  }

  /** Links an item to an incident with an evidence role (ROLE.* code); a custody event on the item. */
  async linkItem(principal: Principal, incidentId: string, itemId: string, role?: string): Promise<void> {
    await this.requireIncidents(principal, [incidentId], 'evidence.incident.link');
    await this.requireItems(principal, [itemId], 'evidence.incident.link');
    await this.store.transaction(async (trx) => {
      if (!(await this.store.incident(trx, incidentId))) throw new AppError('SVD_HTTP_NOT_FOUND');
      if (role) await this.#checkCodes(trx, [role]);
      await this.store.linkItem(trx, incidentId, itemId, role ?? null);
      await this.custody(trx, itemId, 'linked', actorOf(principal), {
        incidentId,
        ...(role ? { role } : {}),
      });
    });
  }

  /** Removes an item from an incident: an "unlinked" custody event on the item. */
  async unlinkItem(principal: Principal, incidentId: string, itemId: string): Promise<void> {
    await this.requireIncidents(principal, [incidentId], 'evidence.incident.unlink');
    await this.requireItems(principal, [itemId], 'evidence.incident.unlink');
    await this.store.transaction(async (trx) => {
      if (!(await this.store.unlinkItem(trx, incidentId, itemId))) throw new AppError('SVD_HTTP_NOT_FOUND');
      await this.custody(trx, itemId, 'unlinked', actorOf(principal), { incidentId });
    });
  }

  /** Changes (or clears) the evidence role of a linked item: a "linked" custody event with the change. */
  async setLinkRole(
    principal: Principal,
    incidentId: string,
    itemId: string,
    role: string | null,
  ): Promise<void> {
    await this.requireIncidents(principal, [incidentId], 'evidence.incident.link');
    await this.requireItems(principal, [itemId], 'evidence.incident.link');
    await this.store.transaction(async (trx) => {
      if (role) await this.#checkCodes(trx, [role]);
      const changed = await this.store.setLinkRole(trx, incidentId, itemId, role);
      if (!changed) throw new AppError('SVD_HTTP_NOT_FOUND');
      if (changed.before === role) return;
      await this.custody(trx, itemId, 'linked', actorOf(principal), {
        incidentId,
        role,
        previousRole: changed.before,
      });
    });
  }

  /** Adds a person to an incident: a registry entity by id, or a name (encrypted) to link later. */
  async addPerson(
    principal: Principal,
    incidentId: string,
    input: {
      role: 'victim' | 'perpetrator' | 'witness';
      entityId?: string | undefined;
      name?: string | undefined;
    },
  ): Promise<string> {
    await this.requireIncidents(principal, [incidentId], 'evidence.incident.person');
    const id = randomUUID();
    await this.store.transaction(async (trx) => {
      if (!(await this.store.incident(trx, incidentId))) throw new AppError('SVD_HTTP_NOT_FOUND');
      await this.store.insertPerson(trx, {
        id,
        incident_id: incidentId,
        role: input.role,
        entity_id: input.entityId ?? null,
        name: input.name ? this.keys.encryptField(input.name, `incident_persons.name:${id}`) : null,
      });
      await this.audit.record(
        {
          actor: actorOf(principal),
          action: 'evidence.incident.person',
          target: { type: 'incident', id: incidentId },
          details: {
            personId: id,
            role: input.role,
            entityId: input.entityId ?? null,
            byName: Boolean(input.name),
          },
        },
        trx,
      );
    });
    return id;
  }

  /** Removes a person from an incident (the encrypted name goes with the row); audited without it. */
  async removePerson(principal: Principal, incidentId: string, personId: string): Promise<void> {
    await this.requireIncidents(principal, [incidentId], 'evidence.incident.person');
    await this.store.transaction(async (trx) => {
      const removed = await this.store.deletePerson(trx, incidentId, personId);
      if (!removed) throw new AppError('SVD_HTTP_NOT_FOUND');
      await this.audit.record(
        {
          actor: actorOf(principal),
          action: 'evidence.incident.person.remove',
          target: { type: 'incident', id: incidentId },
          details: { personId, role: removed.role, entityId: removed.entity_id },
        },
        trx,
      );
    });
  }

  // Verification

  /**
   * Re-hashes blobs (decrypt + SHA-256) and checks every custody chain; for one item or all. Problems
   * are named per item, e.g. "blob content does not match sha256" or "custody event #3 altered".
   */
  async verify(
    principal: Principal,
    options: { itemId?: string; onProgress?: (done: number) => void } = {},
  ): Promise<VerifyReport> {
    const problems: VerifyReport['problems'] = [];
    let count = 0;
    const check = async (item: { id: string; sha256: string }) => {
      const blob = await this.blobs.verify(item.sha256);
      if (!blob.ok)
        problems.push({ itemId: item.id, problem: blob.message ?? blob.problem ?? 'blob problem' });
      const chain = checkCustodyChain(await this.store.custody(this.store.db, item.id));
      if (chain) problems.push({ itemId: item.id, problem: chain });
      for (const derived of await this.store.derivatives(item.id)) {
        const result = await this.blobs.verify(derived.sha256);
        if (!result.ok)
          problems.push({ itemId: item.id, problem: `${derived.purpose} copy: ${result.message}` });
      }
      count++;
      options.onProgress?.(count);
    };
    if (options.itemId) {
      await check(await this.#requireItem(principal, options.itemId, 'evidence.verify'));
    } else {
      // Verifying everything reads every compartment.
      if (!isAdmin(principal)) throw new AppError('SVD_HTTP_NOT_FOUND');
      let after: string | null = null;
      for (;;) {
        const page = await this.store.allItemIds(after, 500);
        if (page.length === 0) break;
        for (const item of page) await check(item);
        after = page[page.length - 1]!.id;
      }
    }
    await this.audit.record({
      actor: actorOf(principal),
      action: 'evidence.verify',
      outcome: problems.length ? 'failed' : 'ok',
      ...(options.itemId ? { target: { type: 'evidence_item', id: options.itemId } } : {}),
      details: { items: count, problems: problems.slice(0, 100) },
    });
    return { ok: problems.length === 0, items: count, problems };
  }
}

function toCustodyEvent(row: Omit<CustodyRecord, 'itemId'> & { hash: string }): CustodyEvent {
  return {
    seq: row.seq,
    at: row.at.toISOString(),
    action: row.action,
    actor: { type: row.actorType, id: row.actorId, label: row.actorLabel },
    details: row.details,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}
