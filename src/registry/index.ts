/**
 * The registry area: FollowTheMoney entities in datasets (compartments), streamed FtM import/export,
 * API routes and demo data.
 *
 * Read interface for the screening index (also on `areas.registry` directly, so the area object itself
 * satisfies screening's CandidateSource):
 *
 *   type IndexEntity = { id: string; schema: string; datasetId: string; caption: string;
 *                        properties: Record<string, string[]>; changeSeq: number; deleted: boolean }
 *
 *   registry.scanForIndex({ afterSeq?, batchSize? }): AsyncIterable<IndexEntity[]>
 *       Every entity ordered by change_seq, in batches (keyset pagination). With afterSeq = 0 (a full
 *       build) tombstones are left out; with afterSeq > 0 (polling) they are included, `deleted: true`
 *       and empty properties. Every insert, change and deletion takes a new change_seq; registry writers
 *       serialize on an advisory lock, so values become visible in increasing order and polling for
 *       "change_seq > last seen" misses nothing.
 *   registry.getEntitiesByIds(ids): Promise<Map<string, IndexEntity>>   (tombstones included)
 *   registry.visibleDatasetIds(principal): Promise<'all' | string[]>    (compartments: admins/system
 *       'all'; staff the unrestricted datasets plus granted ones; API keys and partners granted ones)
 *   registry.listDatasets(): Promise<Dataset[]>                          (no compartment filter)
 */
import { Readable } from 'node:stream';
import type { Principal } from '../platform/auth/model.js';
import type { App } from '../platform/http/app.js';
import type { Platform } from '../platform/platform.js';
import { demoLines } from './seed.js';
import { RegistryService } from './service.js';
import { RegistryStore } from './store.js';

export type { PropertyType, SchemaSpec } from './ftm-schema.js';
export { FTM_SCHEMATA, getSchema, SCHEMA_NAMES } from './ftm-schema.js';
export type { Dataset, Entity, EntityDetail, ImportSummary, IndexEntity, Reject } from './model.js';
export { actorLabel, RegistryService } from './service.js';
export { captionOf, type FtmEntity, parsePartialDate, validateEntity } from './validate.js';

const demoActor: Principal = { type: 'system', label: 'demo data' };

/** Builds the registry area. */
export function createRegistry(platform: Pick<Platform, 'database' | 'audit' | 'access'>) {
  const store = new RegistryStore(platform.database.db);
  const service = new RegistryService(store, platform.audit, platform.access);
  return {
    service,
    scanForIndex: service.scanForIndex.bind(service),
    getEntitiesByIds: service.getEntitiesByIds.bind(service),
    visibleDatasetIds: service.visibleDatasetIds.bind(service),
    listDatasets: service.listDatasets.bind(service),
    routes: async (app: App) => (await import('./routes.js')).registryRoutes(service)(app),
    summary: async (principal: Principal) => {
      const datasets = await service.listDatasetsFor(principal);
      const total = (key: 'entities' | 'persons') =>
        datasets.reduce((sum, dataset) => sum + (dataset.counts?.[key] ?? 0), 0);
      return {
        counts: { datasets: datasets.length, entities: total('entities'), persons: total('persons') },
      };
    },
    seed: async () => {
      if (await service.findDatasetByName('demo-officials')) return;
      const open = await service.createDataset(demoActor, {
        name: 'demo-officials',
        title: 'Officials, judges and police officers (demo)',
        source: 'Generated synthetic data: invented persons and units',
        sourceDate: '2024-01',
        licence: 'CC0 (synthetic)',
        notes: 'Every person here is invented. Names combine common given names and surnames at random.',
        restricted: false,
      });
      await service.importStream(demoActor, open.id, Readable.from(demoLines({ persons: 200 })), {
        fileName: 'demo-officials.ftm.jsonl',
      });
      const restricted = await service.createDataset(demoActor, {
        name: 'demo-witness-reports',
        title: 'Officers named in witness reports (demo, restricted)',
        source: 'Generated synthetic data',
        licence: 'internal',
        notes: 'A restricted compartment: visible only to those granted this dataset.',
        restricted: true,
      });
      await service.importStream(
        demoActor,
        restricted.id,
        Readable.from(demoLines({ persons: 12, prefix: 'demo-wr', seed: 7 })),
        { fileName: 'demo-witness-reports.ftm.jsonl' },
      );
    },
  };
}

export type RegistryArea = ReturnType<typeof createRegistry>;
