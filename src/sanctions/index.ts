/**
 * The sanctions area: official lists imported as published into registry datasets (EU FSF XML, OFAC
 * SDN CSV and XML, UK Sanctions List CSV and XML, Canada SEMA XML, UN consolidated XML), listing
 * proposals with evidence-linked reasons under four-eyes review, and exports in the governments' own
 * shapes.
 *
 *   const sanctions = createSanctions(platform, { registry, validateEntity, evidence });
 *   await sanctions.lists.importList(principal, { format: 'eu-fsf-xml', dataset: 'eu-fsf', files });
 *   await sanctions.proposals.create(principal, { entityId, targets: [{ jurisdiction: 'EU', programme: 'BLR' }] });
 *
 * Other areas are reached only through ports defined here (`ListsRegistry`, `ProposalRegistry`,
 * `ProposalEvidence`); the registry service satisfies the first two, the composition root adapts the
 * evidence service to the third.
 */
import type { Principal } from '../platform/auth/model.js';
import type { App } from '../platform/http/app.js';
import type { Platform } from '../platform/platform.js';
import { AlreadyListedService, type ListingScreening } from './already-listed.js';
import { ExportService } from './exports/service.js';
import { type EntityValidator, ListImportService, type ListsRegistry } from './list-import.js';
import {
  type ProposalClusters,
  type ProposalEvidence,
  type ProposalRegistry,
  ProposalService,
} from './proposals.js';
import { SanctionsStore } from './store.js';
import { sanctionsSummary } from './summary.js';

export type { ListingScreening } from './already-listed.js';
export type { ExportFormat } from './exports/service.js';
export { EXPORT_FORMATS } from './exports/service.js';
export type { EntityValidator, ListImportSummary, ListsRegistry } from './list-import.js';
export type { ListFormat } from './lists/entry.js';
export { LIST_FORMATS } from './lists/entry.js';
export type { SourceFile } from './lists/read-text.js';
export type { ProposalClusters, ProposalEvidence, ProposalRegistry } from './proposals.js';

/** Builds the sanctions area. */
export function createSanctions(
  platform: Pick<Platform, 'database' | 'audit' | 'review' | 'reports'>,
  deps: {
    registry: ListsRegistry & ProposalRegistry;
    validateEntity: EntityValidator;
    evidence: ProposalEvidence;
    screening: ListingScreening;
    /** Cross-referencing clusters: list records in the person's cluster count as certain listings. */
    clusters?: ProposalClusters;
  },
) {
  const store = new SanctionsStore(platform.database.db);
  const lists = new ListImportService(store, deps.registry, deps.validateEntity, platform.audit);
  const proposals = new ProposalService(
    store,
    deps.registry,
    deps.evidence,
    platform.review,
    platform.audit,
    deps.clusters,
  );
  const exports = new ExportService(proposals, platform.reports, platform.audit);
  const listed = new AlreadyListedService(store, proposals, deps.screening, deps.registry);
  return {
    lists,
    proposals,
    exports,
    listed,
    routes: async (app: App) =>
      (await import('./routes.js')).sanctionsRoutes({ lists, proposals, exports, listed })(app),
    summary: sanctionsSummary(proposals, lists),
    search: (principal: Principal, text: string, limit: number) => proposals.search(principal, text, limit),
  };
}

export type SanctionsArea = ReturnType<typeof createSanctions>;
