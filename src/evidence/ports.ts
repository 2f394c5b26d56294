/**
 * What the evidence vault needs from other areas, as interfaces it owns (the composition root plugs the
 * implementations in). Incidents live in their own area but link items: intake can link a new item to
 * an incident, an item shows its incidents, custody events may name one, and an export can take all
 * of an incident's items.
 */
import type { Principal } from '../platform/auth/model.js';
import type { AnyTransaction } from '../platform/db/database.js';
import type { Visible } from './store/tables.js';

/** An incident as an export package describes it. */
export interface IncidentForExport {
  title: string;
  description: string;
  occurredFrom: string | null;
  occurredTo: string | null;
  place: string | null;
  placeType: string | null;
  responsibleInstitution: string | null;
  responsibleUnit: string | null;
  codes: string[];
}

export interface EvidenceIncidents {
  /** Throws "not found" (audited) unless the principal may see every incident. */
  require(principal: Principal, ids: Iterable<string>, action: string): Promise<void>;
  /** Whether the incident exists (read in the caller's transaction). */
  exists(trx: AnyTransaction, id: string): Promise<boolean>;
  /** Links an item to an incident without a role, in the caller's transaction. */
  link(trx: AnyTransaction, incidentId: string, itemId: string): Promise<void>;
  /** The incidents an item is linked to, among those visible (no collection, or a visible one). */
  ofItem(
    itemId: string,
    visible: Visible,
  ): Promise<Array<{ incidentId: string; title: string; role: string | null }>>;
  /** The collection of each existing incident among `ids` (null: open to all staff). */
  collections(ids: readonly string[]): Promise<Map<string, string | null>>;
  /** An incident as the principal may read it, with every linked item's id (visible or not). */
  forExport(principal: Principal, id: string): Promise<{ incident: IncidentForExport; itemIds: string[] }>;
}
