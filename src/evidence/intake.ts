/**
 * Intake: every channel (web, citizen page, CLI, import, Telegram bot) hands files in through
 * `intake`. One streaming pass hashes and encrypts into the blob store; then, in one transaction, the
 * item (or a "received again" event for bytes already held in an item the uploader may see; anyone
 * else gets an item of their own), its custody events, a citizen's receipt,
 * an incident link and the processing job are written. Nothing is committed unless all of it is.
 */
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { AuditActor, AuditService } from '../platform/audit/service.js';
import type { Principal } from '../platform/auth/model.js';
import { actorOf } from '../platform/auth/service.js';
import type { FsBlobStore } from '../platform/blobs/index.js';
import type { KeyRing } from '../platform/crypto.js';
import { AppError } from '../platform/errors.js';
import { type PlaintextColumn, registerEncryptedColumn } from '../platform/keys.js';
import { type Compartments, GENERAL_COLLECTION } from './compartments.js';
import type { CustodyLog } from './custody-log.js';
import { kindOf, looksLikeUtf8Text } from './media/index.js';
import type { Channel } from './model.js';
import type { EvidenceIncidents } from './ports.js';
import { newReceiptCode, receiptLookupText, startOfToday, today } from './receipts.js';
import type { ItemStore } from './store/items.js';
import type { SubmissionStore } from './store/submissions.js';
import type { EvidenceTransaction, Visible } from './store/tables.js';

registerEncryptedColumn({
  table: 'evidence_items',
  idColumn: 'id',
  column: 'note_sealed',
  aad: (id) => `evidence_items.note:${id}`,
});

/** Notes written before they were encrypted: sealed at start-up (see sealPlaintextColumn). */
export const plaintextNotes: PlaintextColumn = {
  table: 'evidence_items',
  idColumn: 'id',
  plain: 'note',
  sealed: 'note_sealed',
  aad: (id) => `evidence_items.note:${id}`,
  emptyValue: null,
};

registerEncryptedColumn({
  table: 'evidence_submissions',
  idColumn: 'id',
  column: 'contact',
  aad: (id) => `evidence_submissions.contact:${id}`,
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

export function actorFor(actor: EvidenceActor): AuditActor {
  if (actor.type === 'citizen') return { type: 'citizen', id: null, label: null };
  if (actor.type === 'bot') return { type: 'bot', id: null, label: 'telegram-bot' };
  return actorOf(actor);
}

/** Media type from the first bytes (magic numbers), never from the name or the sender's claim. */
async function mediaTypeOf(head: Buffer): Promise<string> {
  if (head.length === 0) return 'application/x-empty';
  const { fileTypeFromBuffer } = await import('file-type');
  const found = await fileTypeFromBuffer(head).catch(() => undefined);
  if (found) return found.mime;
  return looksLikeUtf8Text(head, true) ? 'text/plain' : 'application/octet-stream';
}

export interface IntakeOptions {
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  /** Queues an item's processing; a citizen's waits for the daily batch (see citizen/daily-batch.ts). */
  enqueueProcessing: (itemId: string, trx: EvidenceTransaction, citizen: boolean) => Promise<unknown>;
}

export class Intake {
  constructor(
    private readonly items: ItemStore,
    private readonly submissions: SubmissionStore,
    private readonly blobs: FsBlobStore,
    private readonly keys: KeyRing,
    private readonly compartments: Compartments,
    private readonly custody: CustodyLog,
    private readonly incidents: EvidenceIncidents,
    private readonly audit: AuditService,
    readonly options: IntakeOptions,
  ) {}

  /** The collection a new item goes to, checked against what the actor may see. */
  async #collection(input: IntakeInput): Promise<string> {
    const outside = input.actor.type === 'citizen' || input.actor.type === 'bot';
    const submissions = this.compartments.submissionsName;
    const wanted = outside
      ? submissions
      : (input.collection ??
        (input.actor.type === 'apikey' || input.channel === 'citizen' || input.channel === 'bot'
          ? submissions
          : GENERAL_COLLECTION));
    const row = await this.compartments.find(wanted);
    if (!row) {
      // The defaults are recreated when missing; a named one that does not exist is "not found".
      if (input.collection === undefined) {
        await this.compartments.ensureDefaultCollections();
        const made = await this.compartments.find(wanted);
        if (made) return made.id;
      }
      throw new AppError('SVD_HTTP_NOT_FOUND');
    }
    // The default destination of an API key is the restricted submissions collection: allowed to write.
    if (!outside && input.collection !== undefined)
      await this.compartments.requireCollections(input.actor as Principal, [row.id], 'evidence.intake');
    return row.id;
  }

  /**
   * Checks where an upload will go before any of its bytes arrive (a resumable upload is refused at
   * creation, not after the whole file): the collection and the incident it names must exist and be
   * allowed to the uploader. Intake checks the same again when the file is in.
   */
  async checkDestination(
    input: Pick<IntakeInput, 'actor' | 'channel' | 'collection' | 'incidentId'>,
  ): Promise<void> {
    await this.#collection(input as IntakeInput);
    if (input.incidentId && input.actor.type !== 'citizen' && input.actor.type !== 'bot')
      await this.incidents.require(input.actor, [input.incidentId], 'evidence.intake');
  }

  /** The collections an uploader may see: none for citizens and the bot. */
  async #visibleTo(actor: EvidenceActor): Promise<Visible> {
    if (actor.type === 'citizen' || actor.type === 'bot') return [];
    return this.compartments.visibleCollections(actor);
  }

  /**
   * An upload matched an item its uploader may not see: a custody note on the hidden item (read only by
   * those who may see it; the new item's id is redacted for readers who may not see that one) and a
   * denial in the audit log. Neither carries the uploader's note, file name or source.
   */
  async #recordHiddenMatch(
    trx: EvidenceTransaction,
    hiddenId: string,
    itemId: string,
    input: IntakeInput,
    actor: AuditActor,
    at: Date,
  ): Promise<void> {
    await this.custody.append(trx, hiddenId, 'copy-received', actor, { itemId, channel: input.channel }, at);
    await this.audit.record(
      {
        actor,
        action: 'evidence.intake.hidden-duplicate',
        outcome: 'denied',
        target: { type: 'evidence_item', id: hiddenId },
        details: { itemId, channel: input.channel },
        at,
      },
      trx,
    );
  }

  /** Whether a citizen's receipt code is known: checked before a resumable upload starts. */
  async receiptKnown(code: string): Promise<boolean> {
    const hash = this.keys.lookupHash('lookup', receiptLookupText(code));
    return Boolean(await this.submissions.submissionByReceipt(this.submissions.db, hash));
  }

  /**
   * Receives one file from any channel: streams it into the blob store (hash + encrypt in one pass),
   * records the item (or, for bytes already held, a "received again" custody event), links it to an
   * incident and/or a citizen receipt, and queues processing. Nothing is committed unless all of it is.
   */
  async intake(input: IntakeInput): Promise<IntakeResult> {
    const actor = actorFor(input.actor);
    const citizen = input.actor.type === 'citizen' || input.channel === 'citizen';
    const outside = citizen || input.actor.type === 'bot' || input.channel === 'bot';
    const staged = await this.blobs.stage(input.stream, {
      maxBytes: this.options.maxBytes,
      headBytes: 64 * 1024,
      // Citizens' submissions carry the day only, on disk too.
      ...(citizen ? { at: startOfToday() } : {}),
    });
    try {
      const mediaType = await mediaTypeOf(staged.head);
      const collectionId = await this.#collection(input);
      if (input.incidentId && input.actor.type !== 'citizen' && input.actor.type !== 'bot')
        await this.incidents.require(input.actor, [input.incidentId], 'evidence.intake');
      // Which collections the uploader may see decides what bytes already held mean (read before the
      // transaction, which holds the embedded database's only connection); only asked when they are held.
      const visible =
        (await this.items.itemsBySha(this.items.db, staged.sha256)).length > 0
          ? await this.#visibleTo(input.actor)
          : undefined;
      await staged.place();
      const result = await this.items.transaction(async (trx) => {
        await staged.commit(trx);
        // Citizens' submissions carry the day only: exact times can be matched against network logs.
        const at = citizen ? startOfToday() : new Date();
        if (input.incidentId && !(await this.incidents.exists(trx, input.incidentId))) {
          throw new AppError('SVD_EVIDENCE_INCIDENT_UNKNOWN');
        }
        let receiptCode: string | undefined;
        let submissionId: string | undefined;
        if (citizen || input.receiptCode || input.sealedContact) {
          if (input.receiptCode) {
            const found = await this.submissions.submissionByReceipt(
              trx,
              this.keys.lookupHash('lookup', receiptLookupText(input.receiptCode)),
            );
            if (!found) throw new AppError('SVD_EVIDENCE_RECEIPT_UNKNOWN');
            submissionId = found.id;
            receiptCode = input.receiptCode;
          } else {
            receiptCode = newReceiptCode();
            submissionId = randomUUID();
            const contact = input.sealedContact?.trim();
            await this.submissions.insertSubmission(trx, {
              id: submissionId,
              receipt_hash: this.keys.lookupHash('lookup', receiptLookupText(receiptCode)),
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
          // A citizen's words are kept encrypted with the item, never copied into the custody chain and
          // the append-only audit log: those record only that a note came.
          ...(input.note ? (outside ? { noteGiven: true } : { note: input.note }) : {}),
          ...(input.acquisition ? { acquisition: input.acquisition } : {}),
        };
        // Bytes already held are "received again" only by someone who may see the item holding them.
        // Anyone else gets an item of their own, answered exactly like a fresh intake: the hidden item's
        // custody and links stay as they were, and the match is recorded for those who may see it.
        const held = await this.items.itemsBySha(trx, staged.sha256);
        const existing = held.find(
          (row) => visible === 'all' || visible?.includes(row.collection_id) === true,
        );
        const hidden = existing ? undefined : held[0];
        let itemId: string;
        if (existing) {
          itemId = existing.id;
          await this.custody.append(
            trx,
            itemId,
            'received-again',
            actor,
            { ...how, sha256: staged.sha256 },
            at,
          );
        } else {
          itemId = randomUUID();
          await this.items.insertItem(trx, {
            id: itemId,
            sha256: staged.sha256,
            size: staged.size,
            media_type: mediaType,
            kind: kindOf(mediaType),
            file_name: input.fileName ?? null,
            channel: input.channel,
            source_label: input.sourceLabel ?? null,
            note: null,
            note_sealed: input.note
              ? this.keys.encryptField(input.note, `evidence_items.note:${itemId}`)
              : null,
            acquisition: input.acquisition ?? null,
            received_at: at,
            ...(citizen ? { created_at: at } : {}),
            collection_id: collectionId,
            captured_at: null,
          });
          await this.custody.appendMany(
            trx,
            itemId,
            [
              { action: 'received', actor, details: { ...how, size: staged.size, mediaType }, at },
              {
                action: 'stored',
                actor,
                details: {
                  sha256: staged.sha256,
                  algorithm: 'SHA-256',
                  encryption: 'secretstream-xchacha20poly1305',
                },
                at,
              },
            ],
            { created: true },
          );
          await this.options.enqueueProcessing(itemId, trx, citizen);
          if (hidden) await this.#recordHiddenMatch(trx, hidden.id, itemId, input, actor, at);
        }
        if (submissionId) await this.submissions.addSubmissionItem(trx, submissionId, itemId, today());
        if (input.tusUpload)
          await this.submissions.insertTusResult(trx, {
            upload_id: input.tusUpload.id,
            owner: input.tusUpload.owner,
            item_id: itemId,
            sha256: staged.sha256,
            size: staged.size,
            media_type: existing ? existing.media_type : mediaType,
            duplicate: existing !== undefined,
          });
        if (input.incidentId) {
          await this.incidents.link(trx, input.incidentId, itemId);
          await this.custody.append(trx, itemId, 'linked', actor, { incidentId: input.incidentId });
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

  /** A finished resumable upload's result, for its uploader only, for a day. */
  async tusResult(
    owner: string,
    uploadId: string,
  ): Promise<{ itemId: string; sha256: string; size: number; mediaType: string; duplicate: boolean }> {
    const row = await this.submissions.tusResult(uploadId, owner, new Date(Date.now() - 24 * 3600 * 1000));
    if (!row) throw new AppError('SVD_HTTP_NOT_FOUND');
    return {
      itemId: row.item_id,
      sha256: row.sha256,
      size: Number(row.size),
      mediaType: row.media_type,
      duplicate: row.duplicate,
    };
  }
}
