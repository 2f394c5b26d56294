/**
 * Collections, the vault's compartments: every item is in one. Who sees which collection, the
 * default ones, creating collections and moving items between them.
 */
import { randomUUID } from 'node:crypto';
import type { AuditService } from '../platform/audit/service.js';
import { type AccessService, isAdministrator } from '../platform/auth/access.js';
import type { Principal } from '../platform/auth/model.js';
import { actorOf } from '../platform/auth/service.js';
import type { KeyRing } from '../platform/crypto.js';
import { AppError } from '../platform/errors.js';
import { registerEncryptedColumn } from '../platform/keys.js';
import type { CustodyLog } from './custody-log.js';
import type { Collection } from './model.js';
import type { CollectionStore } from './store/collections.js';
import type { ItemStore } from './store/items.js';
import type { CollectionRow, Visible } from './store/tables.js';

registerEncryptedColumn({
  table: 'evidence_collections',
  idColumn: 'id',
  column: 'name_sealed',
  aad: (id) => `evidence_collections.name:${id}`,
});

/** The unrestricted collection new staff evidence goes to unless another is chosen. */
export const GENERAL_COLLECTION = 'General';

export class Compartments {
  constructor(
    private readonly store: CollectionStore,
    private readonly items: ItemStore,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly custody: CustodyLog,
    /** Name of the restricted collection for submissions (setting evidenceSubmissionsCollection). */
    readonly submissionsName: string,
    private readonly keys: KeyRing,
  ) {}

  /** A collection's name columns: a restricted one's name is encrypted; every one is found by a keyed hash. */
  #nameColumns(id: string, name: string, restricted: boolean) {
    return {
      name: restricted ? `restricted:${id}` : name,
      name_sealed: restricted ? this.keys.encryptField(name, `evidence_collections.name:${id}`) : null,
      name_hash: this.keys.lookupHash('lookup', `evidence_collections.name:${name}`),
    };
  }

  /** A collection's name as people read it. */
  nameOf(row: Pick<CollectionRow, 'id' | 'name' | 'name_sealed'>): string {
    return row.name_sealed
      ? this.keys.decryptFieldText(row.name_sealed, `evidence_collections.name:${row.id}`)
      : row.name;
  }

  /** Hashes and seals the names of collections made before that was done (at start-up; resumable). */
  async sealNames(): Promise<void> {
    await this.store.transaction(async (trx) => {
      for (const row of await this.store.unhashed(trx))
        await this.store.setName(trx, row.id, this.#nameColumns(row.id, row.name, row.restricted));
    });
  }

  /** Creates "General" and the submissions collection when missing (a renamed one is made anew). */
  async ensureDefaultCollections(): Promise<void> {
    await this.store.transaction(async (trx) => {
      const general = randomUUID();
      await this.store.insertCollection(trx, {
        id: general,
        ...this.#nameColumns(general, GENERAL_COLLECTION, false),
        description: "Evidence collected by the organization's staff.",
        restricted: false,
        created_by: 'system',
      });
      const submissions = randomUUID();
      await this.store.insertCollection(trx, {
        id: submissions,
        ...this.#nameColumns(submissions, this.submissionsName, true),
        description: 'Files sent by citizens, the Telegram bot and partners: restricted until reviewed.',
        restricted: true,
        created_by: 'system',
      });
    });
  }

  /**
   * The collections a principal may see: administrators and the system all; analysts and reviewers
   * the unrestricted ones plus restricted ones granted to them; partners and API keys only granted ones.
   */
  async visibleCollections(principal: Principal): Promise<Visible> {
    return this.access.visibleCompartments(principal, 'evidence_collection', () =>
      this.store.collectionCompartments(),
    );
  }

  /** Throws "not found" (audited by AccessService) unless every collection is visible. */
  async requireCollections(principal: Principal, ids: Iterable<string>, action: string): Promise<void> {
    if (isAdministrator(principal)) return;
    const known = new Map((await this.store.collectionCompartments()).map((c) => [c.id, c]));
    const touched = [...new Set(ids)].map((id) => known.get(id) ?? { id, restricted: true });
    await this.access.requireCompartments(principal, 'evidence_collection', touched, action);
  }

  /**
   * Authorizes a call on ALL the items it touches, as a set: any missing or invisible item makes the
   * whole call "not found" (a denial is audited).
   */
  async requireItems(principal: Principal, ids: Iterable<string>, action: string): Promise<void> {
    const unique = [...new Set(ids)];
    const found = await this.items.itemCollections(unique);
    if (found.size !== unique.length) throw new AppError('SVD_HTTP_NOT_FOUND');
    await this.requireCollections(principal, found.values(), action);
  }

  /**
   * A collection by id (a UUID) or by name. Found ones are remembered: collections are never renamed,
   * deleted or made open or restricted after creation, and every intake looks its collection up.
   */
  async find(idOrName: string): Promise<CollectionRow | undefined> {
    const known = this.#known.get(idOrName);
    if (known) return known;
    const row = /^[0-9a-f-]{36}$/i.test(idOrName)
      ? await this.store.collection(this.store.db, idOrName.toLowerCase())
      : await this.store.collectionByNameHash(
          this.store.db,
          this.keys.lookupHash('lookup', `evidence_collections.name:${idOrName}`),
        );
    if (row) this.#known.set(idOrName, row);
    return row;
  }

  readonly #known = new Map<string, CollectionRow>();

  /** Collections the principal may see, with item counts. */
  async listCollections(principal: Principal): Promise<Collection[]> {
    const visible = await this.visibleCollections(principal);
    return (await this.store.collections())
      .filter((row) => visible === 'all' || visible.includes(row.id))
      .map((row) => ({ ...row, name: this.nameOf(row) }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((row) => ({
        id: row.id,
        name: row.name,
        description: row.description,
        restricted: row.restricted,
        createdAt: new Date(row.created_at).toISOString(),
        itemCount: Number(row.item_count ?? 0),
      }));
  }

  /** Every collection's name by id. */
  async names(): Promise<Map<string, string>> {
    return new Map((await this.store.collections()).map((row) => [row.id, this.nameOf(row)]));
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
        ...this.#nameColumns(id, input.name, input.restricted),
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
          ...(input.restricted
            ? { details: { restricted: true }, sealed: { name: input.name } }
            : { details: { name: input.name, restricted: false } }),
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
      await this.requireCollections(principal, [collectionId], 'evidence.item.move');
      const item = await this.items.item(trx, itemId);
      if (!item || item.collection_id === collectionId) return;
      const from = await this.store.collection(trx, item.collection_id);
      await this.items.setItemCollection(trx, itemId, collectionId);
      // A restricted collection is named by its id only: the chain is mirrored in the audit log.
      const named = (row: CollectionRow | undefined) => (row && !row.restricted ? row.name : null);
      await this.custody.append(trx, itemId, 'transferred', actorOf(principal), {
        fromCollection: { id: item.collection_id, name: named(from) },
        toCollection: { id: collectionId, name: named(target) },
        ...(note ? { note } : {}),
      });
    });
  }
}
