/**
 * Erasing an item's content: a verification case's subject photo when the case's retention ends. The
 * bytes go (the blob's row, holding its wrapped data key, in the caller's transaction; the file after
 * COMMIT), and with them everything derived from them: working copies (and their blobs), metadata,
 * processing events, perceptual hashes, near-duplicate links. The item keeps its row and its custody
 * chain, which gains an "erased" event; what described the content (file name, note, source) is
 * cleared. Only an item nothing else relies on is erased: one in a restricted collection and linked to
 * no incident. Bytes another item also holds stay stored for that item.
 */
import type { AuditActor } from '../platform/audit/service.js';
import type { FsBlobStore } from '../platform/blobs/index.js';
import type { CustodyLog } from './custody-log.js';
import type { CollectionStore } from './store/collections.js';
import type { ItemStore } from './store/items.js';
import type { ProcessingStore } from './store/processing.js';
import type { EvidenceTransaction } from './store/tables.js';

export interface ErasureResult {
  outcome: 'erased' | 'kept' | 'absent';
  /** Why an item was kept. */
  kept?: 'open collection' | 'linked to an incident';
  /** Blobs destroyed (the original unless another item holds it, and the working copies). */
  blobs: number;
  /** Call after the transaction committed: unlinks the destroyed blobs' files. */
  afterCommit(): Promise<void>;
}

const nothing = async () => {};

export class ItemErasure {
  constructor(
    private readonly items: ItemStore,
    private readonly processing: ProcessingStore,
    private readonly collections: CollectionStore,
    private readonly blobs: FsBlobStore,
    private readonly custody: CustodyLog,
  ) {}

  /** Erases one item's content in the caller's transaction (see the module comment for what stays). */
  async erase(
    trx: EvidenceTransaction,
    itemId: string,
    actor: AuditActor,
    reason: string,
  ): Promise<ErasureResult> {
    const item = await this.items.item(trx, itemId, { lock: true });
    if (!item) return { outcome: 'absent', blobs: 0, afterCommit: nothing };
    if (item.erased_at) return { outcome: 'erased', blobs: 0, afterCommit: nothing };
    const collection = await this.collections.collection(trx, item.collection_id);
    if (!collection?.restricted)
      return { outcome: 'kept', kept: 'open collection', blobs: 0, afterCommit: nothing };
    if (await this.items.linkedToIncident(trx, itemId))
      return { outcome: 'kept', kept: 'linked to an incident', blobs: 0, afterCommit: nothing };

    const derived = await this.processing.deleteDerived(trx, itemId);
    await this.items.markErased(trx, itemId, new Date());
    const removals: Array<() => Promise<void>> = [];
    let blobs = 0;
    for (const sha256 of [item.sha256, ...new Set(derived.copies)]) {
      if (await this.items.blobStillHeld(trx, sha256, itemId)) continue;
      const destroyed = await this.blobs.destroy(trx, sha256);
      if (destroyed.destroyed) blobs++;
      removals.push(destroyed.removeFile);
    }
    await this.custody.append(trx, itemId, 'erased', actor, {
      reason,
      blobsDestroyed: blobs,
      derivedRecords: derived.rows,
    });
    return {
      outcome: 'erased',
      blobs,
      afterCommit: async () => {
        for (const remove of removals) await remove();
      },
    };
  }
}
