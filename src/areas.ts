/**
 * The product areas, wired together. Each area's `create<Area>` takes the platform services and the
 * other areas' services it needs, and returns its services plus optional hooks:
 *   routes(app)   HTTP routes (the area imports its routes module inside, so CLI commands never load it)
 *   seed()        demo data for an empty database
 *   start()/stop() background work of the serve process (index polling, bot, ...)
 *   summary(principal)  the area's counts and waiting work on the home page
 * Adding an area adds one line here; nothing else in the platform changes.
 */

import { createBot } from './bot/index.js';
import { type CaseScreening, createCases, type SubjectMatch, type SubjectQuery } from './cases/index.js';
import { createDatasets, downloadVault } from './datasets/index.js';
import { createEvidence } from './evidence/index.js';
import { createIncidents, type IncidentsService } from './incidents/index.js';
import type { Principal } from './platform/auth/model.js';
import type { SummaryHook } from './platform/home.js';
import type { App } from './platform/http/app.js';
import type { Platform } from './platform/platform.js';
import { createRegistry, validateEntity } from './registry/index.js';
import { createSanctions } from './sanctions/index.js';
import { createScreening, type ScreeningService, screenAmong } from './screening/index.js';
import { createXref } from './xref/index.js';

export interface AreaHooks {
  routes?: (app: App) => Promise<void> | void;
  seed?: () => Promise<void>;
  start?: () => Promise<void> | void;
  stop?: () => Promise<void> | void;
  /** The area's part of the home page for a caller (counts, waiting work, recent items). */
  summary?: SummaryHook;
}

/** Builds every area. The order follows dependencies. */
export async function createAreas(platform: Platform) {
  const registry = createRegistry(platform);
  const evidence = await createEvidence(platform);
  const incidents = await createIncidents(platform, { evidence: evidence.forIncidents });
  evidence.connectIncidents(incidents.forEvidence);
  // Screening answers one result per person through the resolver (xref is built on screening's matcher).
  const screening = createScreening(platform, {
    registry,
    clusters: { clustersOf: (ids) => xref.clusters.clustersOf(ids) },
  });
  const sanctions = createSanctions(platform, {
    registry: registry.service,
    validateEntity,
    screening: screening.service,
    clusters: { clustersOf: (ids) => xref.clusters.clustersOf(ids) },
    evidence: {
      item: async (principal, id) => {
        const item = await evidence.items.show(principal, id, { recordView: false });
        return {
          sha256: item.sha256,
          label: item.fileName ?? item.sha256.slice(0, 12),
          custodyEvents: item.custody.length,
        };
      },
      incident: async (principal, id) => ({ label: (await incidents.service.incident(principal, id)).title }),
    },
  });
  const xref = createXref(platform, { registry: registry.service, matcher: screening.matcher });
  const datasets = createDatasets(platform, {
    registry: registry.service,
    vault: downloadVault(async (principal, id, purpose) => {
      const { item, stream } = await evidence.items.download(principal, id, purpose);
      return { fileName: item.file_name, sha256: item.sha256, stream };
    }),
  });
  return {
    evidence,
    incidents,
    registry,
    screening,
    xref,
    datasets,
    bot: await createBot(platform, { evidence }),
    sanctions,
    cases: createCases(platform, {
      screening: subjectScreening(screening.service, xref.clusters, incidents.service),
      evidence: {
        describe: async (principal, sha256s) => {
          const found = await evidence.items.bySha256(principal, sha256s);
          return new Map([...found].map(([sha256, { fileName: _, ...cited }]) => [sha256, cited] as const));
        },
      },
    }),
  } satisfies Record<string, AreaHooks>;
}

/**
 * Case screening: the screening index (registry datasets and imported lists, one hit per resolved
 * cluster), then the persons incidents record only by name, with the same scorer and within the
 * incidents the officer may see. No query text in the audit log (the case records its run).
 */
function subjectScreening(
  screening: ScreeningService,
  clusters: { clustersOf(ids: string[]): Promise<Map<string, { id: string; members: string[] }>> },
  incidents: Pick<IncidentsService, 'namedPersons'>,
): CaseScreening {
  const registryHits = async (principal: Principal, subject: SubjectQuery): Promise<SubjectMatch[]> => {
    await screening.ensureIndex();
    await screening.refresh();
    const datasets = await screening.datasetsFor(principal, []);
    const properties: Record<string, string[]> = { name: subject.names };
    if (subject.birthDate) properties.birthDate = [subject.birthDate];
    if (subject.nationality?.length) properties.nationality = subject.nationality;
    if (subject.identifiers?.length) properties.idNumber = subject.identifiers;
    const screened = screening.screenOne({ schema: 'Person', properties }, datasets, {
      threshold: 0.7,
      limit: 25,
      excludeEntityIds: [],
    });
    if (!screened.answer) return [];
    const [results] = await screening.results([screened.answer]);
    const hits = (results ?? []).filter((r) => r.score >= 0.5);
    // Hits are reported per resolved cluster (cross-referencing), so one person is reviewed once.
    const resolved = await clusters.clustersOf(hits.map((r) => r.id));
    return hits.map((r) => {
      const cluster = resolved.get(r.id);
      return { ...r, entityId: r.id, clusterId: cluster && cluster.members.length > 1 ? cluster.id : null };
    });
  };
  // Incident persons have only a name: the subject's names are the query (no date to compare).
  const incidentHits = async (principal: Principal, subject: SubjectQuery): Promise<SubjectMatch[]> => {
    const named = await incidents.namedPersons(principal);
    if (named.length === 0) return [];
    const results = screenAmong(
      named.map((person) => ({ id: person.personId, schema: 'Person', properties: { name: [person.name] } })),
      { schema: 'Person', properties: { name: subject.names } },
      { threshold: 0.7, limit: 25 },
    );
    if ('code' in results) return [];
    const byId = new Map(named.map((person) => [person.personId, person]));
    return results
      .filter((result) => result.score >= 0.5)
      .map((result) => {
        const person = byId.get(result.id)!;
        return {
          entityId: person.personId,
          clusterId: null,
          schema: 'Person',
          caption: person.name,
          score: result.score,
          match: result.match,
          datasets: [],
          properties: { name: [person.name] },
          explanations: result.explanations,
          source: {
            kind: 'incident',
            incidentId: person.incidentId,
            incidentTitle: person.incidentTitle,
            personId: person.personId,
            role: person.role,
          },
        };
      });
  };
  return {
    async screen(principal, subject) {
      const [registry, incident] = await Promise.all([
        registryHits(principal, subject),
        incidentHits(principal, subject),
      ]);
      return [...registry, ...incident];
    },
  };
}

export type Areas = Awaited<ReturnType<typeof createAreas>>;

/** The hooks of all areas, in creation order. */
export function areaHooks(areas: Areas): AreaHooks[] {
  return Object.values(areas) as AreaHooks[];
}
