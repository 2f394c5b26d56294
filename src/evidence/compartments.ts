/**
 * Collections, the vault's compartments: every item is in one. Who sees which collection, the
 * default ones, creating collections and moving items between them.
 */
import { randomUUID } from 'node:crypto';
import type { AuditService } from '../platform/audit/service.js';
import { type AccessService, isAdministrator } from '../platform/auth/access.js';
import type { Principal } from '../platform/auth/model.js';
import { actorOf } from '../platform/auth/service.js';
import { AppError } from '../platform/errors.js';
import type { CustodyLog } from './custody-log.js';
import type { Collection } from './model.js';
import type { CollectionStore } from './store/collections.js';
import type { ItemStore } from './store/items.js';
import type { CollectionRow, Visible } from './store/tables.js';

/** The unrestricted collection new staff evidence goes to unless another is chosen. */
export const GENERAL_COLLECTION = 'General';

/**
 * The collection for citizens', the bot's and partners' submissions (env
 * SVIEDKA_EVIDENCE_SUBMISSIONS_COLLECTION, default "Citizen submissions"); created restricted if missing.
 */
export function submissionsCollectionName(env: NodeJS.ProcessEnv = process.env): string {
  return env.SVIEDKA_EVIDENCE_SUBMISSIONS_COLLECTION?.trim() || 'Citizen submissions';
}

export class Compartments {
  constructor(
    private readonly store: CollectionStore,
    private readonly items: ItemStore,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly custody: CustodyLog,
    /** Name of the restricted collection for submissions (see submissionsCollectionName). */
    readonly submissionsName: string,
  ) {}

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
        name: this.submissionsName,
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
      : await this.store.collectionByName(this.store.db, idOrName);
    if (row) this.#known.set(idOrName, row);
    return row;
  }

  readonly #known = new Map<string, CollectionRow>();

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

  /** Every collection's name by id. */
  async names(): Promise<Map<string, string>> {
    return new Map((await this.store.collections()).map((row) => [row.id, row.name]));
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
      await this.requireCollections(principal, [collectionId], 'evidence.item.move');
      const item = await this.items.item(trx, itemId);
      if (!item || item.collection_id === collectionId) return;
      const from = await this.store.collection(trx, item.collection_id);
      await this.items.setItemCollection(trx, itemId, collectionId);
      await this.custody.append(trx, itemId, 'transferred', actorOf(principal), {
        fromCollection: { id: item.collection_id, name: from?.name ?? null },
        toCollection: { id: collectionId, name: target.name },
        ...(note ? { note } : {}),
      });
    });
  }
}
