/**
 * The sanctions area: official lists imported as published into registry datasets (EU FSF XML, OFAC
 * SDN CSV and XML, UK Sanctions List CSV and XML, Canada SEMA XML, UN consolidated XML), listing
 * proposals with evidence-linked reasons, and exports in the governments' own shapes.
 *
 *   const sanctions = createSanctions(platform, { registry, validateEntity });
 *   await sanctions.lists.importList(principal, { format: 'eu-fsf-xml', dataset: 'eu-fsf', files });
 *
 * The registry is reached only through the `ListsRegistry` port (the registry service satisfies it).
 */
import type { Platform } from '../platform/platform.js';
import { type EntityValidator, ListImportService, type ListsRegistry } from './list-import.js';
import { sanctionsRoutes } from './routes.js';
import { SanctionsStore } from './store.js';

export type { EntityValidator, ListImportSummary, ListsRegistry } from './list-import.js';
export type { ListFormat } from './lists/entry.js';
export { LIST_FORMATS } from './lists/entry.js';
export type { SourceFile } from './lists/read-text.js';

/** Builds the sanctions area. */
export function createSanctions(
  platform: Pick<Platform, 'database' | 'audit'>,
  deps: { registry: ListsRegistry; validateEntity: EntityValidator },
) {
  const store = new SanctionsStore(platform.database.db);
  const lists = new ListImportService(store, deps.registry, deps.validateEntity, platform.audit);
  return { lists, routes: sanctionsRoutes({ lists }) };
}

export type SanctionsArea = ReturnType<typeof createSanctions>;
