/**
 * The incidents area: events documented by evidence items and linked to registry entities.
 * `createIncidents(platform, { evidence })` takes the vault through the port it defines
 * (IncidentsEvidence) and returns its services, routes, and `forEvidence`, the vault's port onto
 * incidents (EvidenceIncidents: intake links a new item, an item lists its incidents, export by incident).
 */
import type { EvidenceIncidents } from '../evidence/ports.js';
import type { Principal } from '../platform/auth/model.js';
import type { App } from '../platform/http/app.js';
import { sealPlaintextColumn } from '../platform/keys.js';
import type { Platform } from '../platform/platform.js';
import { IncidentLinks } from './links.js';
import type { IncidentsEvidence } from './ports.js';
import { IncidentsService, plaintextIncidentTexts } from './service.js';
import { IncidentStore, type IncidentTransaction } from './store.js';

export type { IncidentsEvidence } from './ports.js';
export { IncidentsService, type NamedIncidentPerson } from './service.js';

/** Builds the incidents area on the evidence vault. */
export async function createIncidents(platform: Platform, deps: { evidence: IncidentsEvidence }) {
  const store = new IncidentStore(platform.database.db);
  const service = new IncidentsService(store, deps.evidence, platform.keys, platform.audit);
  for (const column of plaintextIncidentTexts)
    await sealPlaintextColumn(platform.database.db, platform.keys, column);
  const links = new IncidentLinks(store, service, deps.evidence, platform.keys, platform.audit);
  const forEvidence: EvidenceIncidents = {
    require: (principal, ids, action) => service.requireIncidents(principal, ids, action),
    exists: async (trx, id) => (await store.incident(trx as IncidentTransaction, id)) !== undefined,
    link: async (trx, incidentId, itemId) => {
      await store.linkItem(trx as IncidentTransaction, incidentId, itemId, null);
    },
    ofItem: async (itemId, visible) =>
      (await store.itemIncidents(itemId, visible)).map((row) => ({
        incidentId: row.incident_id,
        title: row.title,
        role: row.role,
      })),
    collections: (ids) => store.incidentCollections(ids),
    forExport: async (principal, id) => ({
      incident: await service.incident(principal, id),
      itemIds: await service.incidentItemIds(id),
    }),
  };
  return {
    service,
    links,
    forEvidence,
    routes: async (app: App) => (await import('./routes.js')).incidentRoutes(service, links)(app),
    search: (principal: Principal, text: string, limit: number) => service.search(principal, text, limit),
  };
}

export type IncidentsArea = Awaited<ReturnType<typeof createIncidents>>;
