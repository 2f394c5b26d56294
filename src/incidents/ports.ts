/**
 * What the incidents area needs from the evidence vault, as an interface it owns (the composition root
 * plugs the vault in): incidents may be restricted to an evidence collection, link evidence items
 * (a custody event on each item) and are classified with the vault's taxonomy.
 */
import type { AuditActor } from '../platform/audit/service.js';
import type { Principal } from '../platform/auth/model.js';
import type { AnyTransaction } from '../platform/db/database.js';
import type { Visible } from './store.js';

export interface IncidentsEvidence {
  /** The evidence collections a principal may see. */
  visibleCollections(principal: Principal): Promise<Visible>;
  /** Throws "not found" (audited) unless the principal may see every collection. */
  requireCollections(principal: Principal, ids: Iterable<string>, action: string): Promise<void>;
  /** Whether a collection with this id exists. */
  collectionExists(id: string): Promise<boolean>;
  /** Throws "not found" (audited) unless every item exists and is visible to the principal. */
  requireItems(principal: Principal, ids: Iterable<string>, action: string): Promise<void>;
  /** Appends a custody event to an item, in the caller's transaction. */
  recordCustody(
    trx: AnyTransaction,
    itemId: string,
    action: 'linked' | 'unlinked',
    actor: AuditActor,
    details: Record<string, unknown>,
  ): Promise<void>;
  /** Refuses unknown or deprecated taxonomy codes; returns the current taxonomy version. */
  checkCodes(trx: AnyTransaction, codes: string[]): Promise<number>;
  /** Adds and removes taxonomy codes on an incident, in the caller's transaction. */
  classify(
    trx: AnyTransaction,
    incidentId: string,
    change: { add: string[]; remove: string[]; by: string | null },
  ): Promise<{ added: string[]; removed: string[]; version: number }>;
  /** The taxonomy codes of each incident. */
  codes(incidentIds: string[]): Promise<Map<string, string[]>>;
}
