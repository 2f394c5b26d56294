/**
 * The taxonomy: multi-label, versioned codes (see docs and taxonomy-data.ts). Shipped versions are
 * applied at start; administrators add and deprecate codes in versions of their own; codes are never
 * changed or deleted, so old classifications stay readable.
 */
import type { AuditService } from '../platform/audit/service.js';
import type { Principal } from '../platform/auth/model.js';
import { actorOf } from '../platform/auth/service.js';
import type { AnyTransaction } from '../platform/db/database.js';
import { AppError } from '../platform/errors.js';
import type { TaxonomyCode } from './model.js';
import type { EvidenceTransaction } from './store/tables.js';
import type { ClassificationTarget, TaxonomyStore } from './store/taxonomy.js';
import { TAXONOMY_VERSIONS } from './taxonomy-data.js';

export class Taxonomy {
  constructor(
    private readonly store: TaxonomyStore,
    private readonly audit: AuditService,
  ) {}

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

  /**
   * Refuses unknown or deprecated codes (SVD_EVIDENCE_CODE_UNKNOWN naming them); returns the latest
   * taxonomy version, which a classification records.
   */
  async checkCodes(trx: AnyTransaction, codes: string[]): Promise<number> {
    const ex = trx as EvidenceTransaction;
    if (codes.length) {
      const known = new Map((await this.store.taxonomy(ex)).map((row) => [row.code, row]));
      const bad = codes.filter((code) => !known.get(code) || known.get(code)!.deprecated_in !== null);
      if (bad.length) throw new AppError('SVD_EVIDENCE_CODE_UNKNOWN', { details: { codes: bad } });
    }
    return this.store.latestTaxonomyVersion(ex);
  }

  /** Adds and removes codes on an item or incident, in the caller's transaction; returns what changed. */
  async classify(
    trx: AnyTransaction,
    target: ClassificationTarget,
    id: string,
    change: { add: string[]; remove: string[]; by: string | null },
  ): Promise<{ added: string[]; removed: string[]; version: number }> {
    const version = await this.checkCodes(trx, change.add);
    const changed = await this.store.classify(
      trx as EvidenceTransaction,
      target,
      id,
      change.add,
      change.remove,
      version,
      change.by,
    );
    return { ...changed, version };
  }

  /** The codes of each of these items or incidents. */
  codes(target: ClassificationTarget, ids: string[]): Promise<Map<string, string[]>> {
    return this.store.codes(target, ids);
  }
}
