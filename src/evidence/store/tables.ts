/** The evidence vault's tables as Kysely sees them, and what every store of the area shares. */
import type { Generated, Kysely, Transaction } from 'kysely';
import type { BlobsTable } from '../../platform/blobs/index.js';
import type { AnyDb } from '../../platform/db/database.js';

export type EvidenceTables = {
  blobs: BlobsTable;
  evidence_citizen_batch: { item_id: string; received_on: string };
  evidence_submissions: { id: string; receipt_hash: string; contact: Buffer | null; created_on: string };
  evidence_items: {
    id: string;
    sha256: string;
    size: number;
    media_type: string;
    kind: string;
    file_name: string | null;
    channel: string;
    source_label: string | null;
    /** Written before notes were encrypted; moved into note_sealed at start-up. */
    note: string | null;
    note_sealed: Buffer | null;
    acquisition: unknown;
    received_at: Date;
    verification_state: Generated<string>;
    processing_state: Generated<string>;
    created_at: Generated<Date>;
    collection_id: string;
    captured_at: Generated<Date | null>;
    /** Set when the item's content was erased (see erasure.ts); the row and custody chain stay. */
    erased_at: Generated<Date | null>;
  };
  evidence_collections: {
    id: string;
    /** The name of an open collection; 'restricted:<id>' for a restricted one (see name_sealed). */
    name: string;
    name_sealed: Buffer | null;
    /** Keyed hash of the name (KeyRing.lookupHash), by which every collection is found. */
    name_hash: string | null;
    description: Generated<string>;
    restricted: Generated<boolean>;
    created_by: string | null;
    created_at: Generated<Date>;
  };
  evidence_tus_results: {
    upload_id: string;
    owner: string;
    item_id: string;
    sha256: string;
    size: number;
    media_type: string;
    duplicate: boolean;
    created_at: Generated<Date>;
  };
  evidence_submission_items: { submission_id: string; item_id: string; added_on: string };
  evidence_custody: {
    item_id: string;
    seq: number;
    at: Date;
    action: string;
    actor_type: string;
    actor_id: string | null;
    actor_label: string | null;
    details: unknown;
    prev_hash: string;
    hash: string;
  };
  evidence_metadata: {
    id: string;
    item_id: string;
    tool: string;
    tool_version: string;
    data: unknown;
    summary: unknown;
    warnings: unknown;
    created_at: Generated<Date>;
  };
  evidence_processing: {
    id: string;
    item_id: string;
    step: string;
    outcome: string;
    tool: string | null;
    tool_version: string | null;
    code: string | null;
    message: string | null;
    at: Generated<Date>;
  };
  evidence_derivatives: {
    id: string;
    item_id: string;
    purpose: string;
    parent_sha256: string;
    sha256: string;
    size: number;
    media_type: string;
    tool: string;
    tool_version: string;
    width: number | null;
    height: number | null;
    created_at: Generated<Date>;
  };
  evidence_phashes: {
    item_id: string;
    frame_seconds: number;
    hash: string;
    algorithm: string;
    tool: string;
    tool_version: string;
  };
  evidence_links: {
    item_a: string;
    item_b: string;
    kind: string;
    distance: number;
    created_at: Generated<Date>;
  };
  taxonomy_versions: { version: number; note: string; applied_at: Generated<Date> };
  taxonomy_codes: {
    code: string;
    axis: string;
    labels: unknown;
    maps_to: string[];
    sources: string[];
    huridocs_types_of_acts: string | null;
    added_in: number;
    deprecated_in: number | null;
    custom: Generated<boolean>;
  };
  evidence_classifications: {
    target_type: string;
    target_id: string;
    code: string;
    taxonomy_version: number;
    assigned_by: string | null;
    assigned_at: Generated<Date>;
  };
  /** The incidents area's link table, read here only to filter the item list by incident. */
  incident_items: { incident_id: string; item_id: string };
};

export type EvidenceDb = Kysely<EvidenceTables>;
export type EvidenceTransaction = Transaction<EvidenceTables>;
export type Executor = EvidenceDb | EvidenceTransaction;
type Row<T extends keyof EvidenceTables> = {
  [K in keyof EvidenceTables[T]]: EvidenceTables[T][K] extends Generated<infer U> ? U : EvidenceTables[T][K];
};
export type ItemRow = Row<'evidence_items'>;
export type CustodyRow = Row<'evidence_custody'>;
export type TaxonomyRow = Row<'taxonomy_codes'>;
export type CollectionRow = Row<'evidence_collections'>;
/** The collections a caller may see: every one, or these ids (possibly none). */
export type Visible = 'all' | readonly string[];

/** JSON columns are written as text, which both PostgreSQL and PGlite cast to jsonb. */
export const json = (value: unknown) => JSON.stringify(value) as unknown;

/** What every store of the area has: the database narrowed to the area's tables, and transactions. */
export class EvidenceStoreBase {
  readonly db: EvidenceDb;
  constructor(db: AnyDb) {
    this.db = db.withTables<EvidenceTables>();
  }

  transaction<T>(work: (trx: EvidenceTransaction) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }
}
