/**
 * The product areas, wired together. Each area's `create<Area>` takes the platform services and the
 * other areas' services it needs, and returns its services plus optional hooks:
 *   routes(app)   HTTP routes (the area imports its routes module inside, so CLI commands never load it)
 *   seed()        demo data for an empty database
 *   start()/stop() background work of the serve process (index polling, bot, ...)
 *   summary(principal)  the area's counts and waiting work on the home page
 *   search(principal, text, limit)  the area's section of the top bar's search, over what the caller may see
 * Adding an area adds one line here; nothing else in the platform changes.
 */

import type { BotArea } from './bot/index.js';
import type { CaseScreening, CasesArea, SubjectMatch, SubjectQuery } from './cases/index.js';
import type { DatasetsArea } from './datasets/index.js';
import type { EvidenceArea } from './evidence/index.js';
import type { IncidentsArea, IncidentsService } from './incidents/index.js';
import type { Principal } from './platform/auth/model.js';
import type { SummaryHook } from './platform/home.js';
import type { App } from './platform/http/app.js';
import type { Platform } from './platform/platform.js';
import type { SearchHook } from './platform/search.js';
import type { RegistryArea } from './registry/index.js';
import type { SanctionsArea } from './sanctions/index.js';
import type { ScreeningArea, ScreeningService } from './screening/index.js';
import type { XrefArea } from './xref/index.js';

export interface AreaHooks {
  routes?: (app: App) => Promise<void> | void;
  seed?: () => Promise<void>;
  start?: () => Promise<void> | void;
  stop?: () => Promise<void> | void;
  /** The area's part of the home page for a caller (counts, waiting work, recent items). */
  summary?: SummaryHook;
  /** The area's section of the search across all resources (its own query, its own visibility rules). */
  search?: SearchHook;
}

export interface Areas {
  evidence: EvidenceArea;
  incidents: IncidentsArea;
  registry: RegistryArea;
  screening: ScreeningArea;
  xref: XrefArea;
  datasets: DatasetsArea;
  bot: BotArea;
  sanctions: SanctionsArea;
  cases: CasesArea;
}
export type AreaName = keyof Areas;

/** Every area, in the order of their hooks (routes, demo seeding, start and stop follow it). */
export const areaNames: readonly AreaName[] = [
  'evidence',
  'incidents',
  'registry',
  'screening',
  'xref',
  'datasets',
  'bot',
  'sanctions',
  'cases',
];

/**
 * Builds the areas named (all by default) and those they depend on, nothing else: a CLI command that
 * works on one area loads and starts only that part of the product. An area's code is imported when
 * it is built.
 */
export async function createAreas<N extends AreaName = AreaName>(
  platform: Platform,
  names: readonly N[] = areaNames as readonly N[],
): Promise<Pick<Areas, N>> {
  const build = areaBuilders(platform);
  const wanted = new Set<AreaName>(names);
  const areas: Partial<Record<AreaName, unknown>> = {};
  for (const name of areaNames) if (wanted.has(name)) areas[name] = await build[name]();
  return areas as Pick<Areas, N>;
}

/** Builds a value on the first call; later calls share it. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= make();
    return made;
  };
}

/**
 * One builder per area; each builds what it depends on first. A dependency whose start-up runs queries
 * is built before the area that uses it, never from inside a call (that call may hold the embedded
 * database's only connection in a transaction). Reached only when a call needs them: cross-referencing
 * from screening's clusters (built on screening's matcher, it runs no query to start), and the vault
 * from the bot's and the datasets' intake and download (called outside any transaction).
 */
function areaBuilders(platform: Platform): { [K in AreaName]: () => Promise<Areas[K]> } {
  const registry = once(async () => (await import('./registry/index.js')).createRegistry(platform));
  // The vault and incidents are built together: each holds a port onto the other.
  const vault = once(async () => {
    const [{ createEvidence }, { createIncidents }] = await Promise.all([
      import('./evidence/index.js'),
      import('./incidents/index.js'),
    ]);
    const evidence = await createEvidence(platform);
    const incidents = await createIncidents(platform, { evidence: evidence.forIncidents });
    evidence.connectIncidents(incidents.forEvidence);
    return { evidence, incidents };
  });
  // Screening answers one result per person through the resolver (xref is built on screening's matcher).
  const screening: () => Promise<ScreeningArea> = once(async () => {
    const [{ createScreening }, registryArea] = await Promise.all([
      import('./screening/index.js'),
      registry(),
    ]);
    return createScreening(platform, {
      registry: registryArea,
      clusters: { clustersOf: async (ids) => (await xref()).clusters.clustersOf(ids) },
    });
  });
  const xref: () => Promise<XrefArea> = once(async () => {
    const [{ createXref }, registryArea, screeningArea] = await Promise.all([
      import('./xref/index.js'),
      registry(),
      screening(),
    ]);
    return createXref(platform, { registry: registryArea.service, matcher: screeningArea.matcher });
  });
  const datasets = once(async () => {
    const [{ createDatasets, downloadVault }, registryArea] = await Promise.all([
      import('./datasets/index.js'),
      registry(),
    ]);
    return createDatasets(platform, {
      registry: registryArea.service,
      vault: downloadVault(async (principal, id, purpose) => {
        const { item, stream } = await (await vault()).evidence.items.download(principal, id, purpose);
        return { fileName: item.file_name, sha256: item.sha256, stream };
      }),
    });
  });
  const bot = once(async () => {
    const { createBot } = await import('./bot/index.js');
    return createBot(platform, {
      evidence: { intake: async (input) => (await vault()).evidence.intake(input) },
    });
  });
  const sanctions = once(async () => {
    const [{ createSanctions }, { validateEntity }, registryArea, screeningArea, xrefArea, built] =
      await Promise.all([
        import('./sanctions/index.js'),
        import('./registry/index.js'),
        registry(),
        screening(),
        xref(),
        vault(),
      ]);
    return createSanctions(platform, {
      registry: registryArea.service,
      validateEntity,
      screening: screeningArea.service,
      clusters: xrefArea.clusters,
      evidence: {
        item: async (principal, id) => {
          const item = await built.evidence.items.show(principal, id, { recordView: false });
          return {
            sha256: item.sha256,
            label: item.fileName ?? item.sha256.slice(0, 12),
            custodyEvents: item.custody.length,
          };
        },
        incident: async (principal, id) => ({
          label: (await built.incidents.service.incident(principal, id)).title,
        }),
      },
    });
  });
  const cases = once(async () => {
    const [{ createCases }, { screenAmong }, screeningArea, xrefArea, built] = await Promise.all([
      import('./cases/index.js'),
      import('./screening/index.js'),
      screening(),
      xref(),
      vault(),
    ]);
    return createCases(platform, {
      screening: subjectScreening(
        screeningArea.service,
        screenAmong,
        xrefArea.clusters,
        built.incidents.service,
      ),
      evidence: {
        describe: async (principal, sha256s) => {
          const found = await built.evidence.items.bySha256(principal, sha256s);
          return new Map([...found].map(([sha256, { fileName: _, ...cited }]) => [sha256, cited] as const));
        },
        erasePhoto: (trx, itemId, actor) =>
          built.evidence.erase(trx, itemId, actor, 'verification case retention'),
      },
    });
  });
  return {
    evidence: async () => (await vault()).evidence,
    incidents: async () => (await vault()).incidents,
    registry,
    screening,
    xref,
    datasets,
    bot,
    sanctions,
    cases,
  };
}

/**
 * Case screening: the screening index (registry datasets and imported lists, one hit per resolved
 * cluster), then the persons incidents record only by name, with the same scorer and within the
 * incidents the officer may see. No query text in the audit log (the case records its run).
 */
function subjectScreening(
  screening: ScreeningService,
  screenAmong: typeof import('./screening/index.js').screenAmong,
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

/** The hooks of the areas built, in the order of `areaNames`. */
export function areaHooks(areas: Partial<Areas>): AreaHooks[] {
  return Object.values(areas) as AreaHooks[];
}
