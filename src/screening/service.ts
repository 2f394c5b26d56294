/**
 * The screening service: keeps the candidate index in step with the registry (full build at start,
 * then polling for changes by change sequence), answers `/match`-style batches and analyst searches
 * within the datasets the caller may see, and audits every call (who, purpose, query, result ids).
 */
import type pino from 'pino';
import type { AuditService } from '../platform/audit/service.js';
import type { Principal } from '../platform/auth/model.js';
import { actorOf, purposeOf } from '../platform/auth/service.js';
import { AppError } from '../platform/errors.js';
import type { BulkRecord, BulkWriter } from './bulk.js';
import { CandidateIndex, type CandidateSource, type IndexEntity } from './candidate-index.js';
import { parseDate } from './dates.js';
import { type EngineAnswer, type EngineResult, screenQuery } from './engine.js';
import { MAX_QUERIES, type MatchResponseItem, type MatchResult } from './model.js';
import { type PreparedQuery, prepareName, prepareQuery, type QueryError } from './query.js';

/** What screening needs from the registry (the registry area satisfies it). */
export interface ScreeningRegistry extends CandidateSource {
  visibleDatasetIds(principal: Principal): Promise<'all' | string[]>;
  listDatasets(): Promise<Array<{ id: string; name: string }>>;
}

/**
 * What screening needs to answer with one result per person instead of one per record (the xref area
 * satisfies it): the cluster of each record id, `{ id: canonical, members }`.
 */
export interface ScreeningClusters {
  clustersOf(ids: string[]): Promise<Map<string, { id: string; members: string[] }>>;
}

export interface MatchParams {
  datasets: string[];
  threshold: number;
  limit: number;
  excludeEntityIds: string[];
  /** One result per cluster (canonical id, member ids in `referents`) instead of one per record. */
  clusters?: boolean;
}

/** One screened query with everything needed to render it in any format. */
export interface ScreenedQuery {
  prepared: PreparedQuery | null;
  error: QueryError | null;
  answer: EngineAnswer | null;
}

export class ScreeningService {
  readonly index = new CandidateIndex();
  #built: Promise<void> | null = null;
  #refreshing: Promise<number> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #datasetNames = new Map<string, string>();
  #datasetIds = new Map<string, string>();

  constructor(
    private readonly registry: ScreeningRegistry,
    readonly audit: AuditService,
    private readonly logger: pino.Logger,
    private readonly options: { pollMs?: number; clusters?: ScreeningClusters } = {},
  ) {}

  /** Builds the index (once); later calls wait for the same build. */
  ensureIndex(): Promise<void> {
    this.#built ??= (async () => {
      const started = Date.now();
      await this.refresh();
      this.logger.info({ entities: this.index.size, ms: Date.now() - started }, 'screening index built');
    })().catch((error) => {
      this.#built = null;
      throw error;
    });
    return this.#built;
  }

  /** Loads changes since the last seen change sequence; concurrent callers share one pass. */
  refresh(): Promise<number> {
    this.#refreshing ??= (async () => {
      try {
        const changed = await this.index.refresh(this.registry);
        if (changed > 0 || this.#datasetNames.size === 0) await this.#loadDatasets();
        return changed;
      } finally {
        this.#refreshing = null;
      }
    })();
    return this.#refreshing;
  }

  async #loadDatasets(): Promise<void> {
    const datasets = await this.registry.listDatasets();
    this.#datasetNames = new Map(datasets.map((d) => [d.id, d.name]));
    this.#datasetIds = new Map(datasets.flatMap((d) => [[d.name, d.id] as const, [d.id, d.id] as const]));
  }

  /** Starts background polling (the serve process); other processes' changes arrive within `pollMs`. */
  async start(): Promise<void> {
    // The build runs in the background: the server answers at once, screening calls wait for it.
    this.ensureIndex().catch((error) => this.logger.error({ err: error }, 'screening index build failed'));
    const every = this.options.pollMs ?? 5000;
    this.#timer = setInterval(() => {
      this.refresh().catch((error) => this.logger.warn({ err: error }, 'screening index refresh failed'));
    }, every);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Ready for queries: built, and fresh as of now (one cheap keyset query when nothing changed). */
  async fresh(): Promise<void> {
    await this.ensureIndex();
    await this.refresh();
  }

  /**
   * The datasets a call may search: the requested ones (names or ids) within the caller's
   * compartments, or all the caller may see. An unknown or invisible dataset is "not found".
   */
  async datasetsFor(principal: Principal, requested: readonly string[]): Promise<'all' | string[]> {
    const visible = await this.registry.visibleDatasetIds(principal);
    if (requested.length === 0) return visible;
    const ids: string[] = [];
    for (const name of requested) {
      const id = this.#datasetIds.get(name) ?? this.#datasetIds.get(name.toLowerCase());
      if (!id || (visible !== 'all' && !visible.includes(id))) {
        await this.audit.record({
          actor: actorOf(principal),
          action: 'screening.dataset',
          outcome: 'denied',
          target: { type: 'dataset', id: (id ?? name).slice(0, 200) },
        });
        throw new AppError('SVD_HTTP_NOT_FOUND', { message: `Dataset not found: ${name.slice(0, 100)}` });
      }
      ids.push(id);
    }
    return ids;
  }

  /** Screens one raw query against the index (no audit, no database): the engine step of every path. */
  screenOne(
    value: unknown,
    datasets: 'all' | readonly string[],
    params: Omit<MatchParams, 'datasets'>,
  ): ScreenedQuery {
    const prepared = prepareQuery(value, this.index.analyse);
    if ('code' in prepared) return { prepared: null, error: prepared, answer: null };
    const answer = screenQuery(this.index, prepared, {
      datasets,
      excludeIds: params.excludeEntityIds,
      threshold: params.threshold,
      limit: params.limit,
    });
    return { prepared, error: null, answer };
  }

  /**
   * Screens a stored entity against other records (cross-referencing): its names, birth dates and
   * identifiers are the query, the entity itself is excluded, every candidate is kept down to score 0.
   * Null when the entity cannot be screened (a schema screening does not match, no usable name).
   */
  screenEntity(
    entity: { id: string; schema: string; properties: Record<string, string[]> },
    datasets: readonly string[],
    limit: number,
  ): EngineResult[] | null {
    // Queries carry at most 50 values a property; a stored record may have more (the first ones count).
    const properties: Record<string, string[]> = {};
    for (const [key, values] of Object.entries(entity.properties)) properties[key] = values.slice(0, 50);
    const screened = this.screenOne({ schema: entity.schema, properties }, datasets, {
      threshold: 0,
      limit,
      excludeEntityIds: [entity.id],
    });
    return screened.answer?.results ?? null;
  }

  /**
   * Result objects in yente's shape, with captions and properties from the registry. With `clusters`,
   * records judged to be one person collapse into one result: the canonical id, the best record's score,
   * caption and explanations, and in `referents` and `datasets` every member within `datasets`.
   */
  async results(
    answers: Array<EngineAnswer | null>,
    clusters?: { datasets: 'all' | readonly string[]; limit: number },
  ): Promise<Array<MatchResult[]>> {
    const ids = [...new Set(answers.flatMap((a) => a?.results.map((r) => r.id) ?? []))];
    const grouping =
      clusters && this.options.clusters && ids.length > 0
        ? await this.options.clusters.clustersOf(ids)
        : null;
    const wanted = new Set(ids);
    if (grouping) for (const cluster of grouping.values()) for (const m of cluster.members) wanted.add(m);
    const entities: Map<string, IndexEntity> =
      wanted.size > 0 ? await this.registry.getEntitiesByIds([...wanted]) : new Map();
    const datasetName = (id: string) => this.#datasetNames.get(id) ?? id;
    const records = answers.map(
      (answer) =>
        answer?.results.map((r) => {
          const entity = entities.get(r.id);
          return {
            id: r.id,
            schema: entity?.schema ?? 'Person',
            caption: entity?.caption ?? r.explanations[0]?.matchedName ?? r.id,
            score: r.score,
            match: r.match,
            datasets: [datasetName(r.datasetId)],
            properties: entity?.properties ?? {},
            explanations: r.explanations,
          };
        }) ?? [],
    );
    if (!grouping || !clusters) return records;
    const allowed = (entity: IndexEntity | undefined) =>
      !!entity &&
      !entity.deleted &&
      (clusters.datasets === 'all' || clusters.datasets.includes(entity.datasetId));
    return records.map((list) => {
      const byCluster = new Map<string, MatchResult>();
      for (const result of list) {
        const cluster = grouping.get(result.id);
        // Results come best first: the first record of a cluster speaks for it.
        const members = cluster?.members.filter((m) => m === result.id || allowed(entities.get(m))) ?? [];
        // A cluster the caller sees one record of stays that record (its other members are none of theirs).
        if (!cluster || members.length < 2) {
          byCluster.set(result.id, { ...result, referents: [result.id] });
          continue;
        }
        if (byCluster.has(cluster.id)) continue;
        byCluster.set(cluster.id, {
          ...result,
          id: cluster.id,
          referents: members,
          datasets: [
            ...new Set(members.map((m) => datasetName(entities.get(m)?.datasetId ?? '')).filter(Boolean)),
          ],
        });
      }
      return [...byCluster.values()].slice(0, clusters.limit);
    });
  }

  /** Engine parameters: room for several records of one cluster when results are collapsed. */
  engineParams<P extends { limit: number; clusters?: boolean }>(params: P): P {
    return params.clusters && this.options.clusters
      ? { ...params, limit: Math.min(500, params.limit * 3) }
      : params;
  }

  /** `POST /api/match`: a batch of yente queries; each query fails or succeeds on its own. */
  async match(
    principal: Principal,
    queries: Record<string, unknown>,
    params: MatchParams,
  ): Promise<{ responses: Record<string, MatchResponseItem>; limit: number; threshold: number }> {
    const keys = Object.keys(queries);
    if (keys.length > MAX_QUERIES) throw new AppError('SVD_SCREENING_TOO_MANY_QUERIES');
    await this.fresh();
    const datasets = await this.datasetsFor(principal, params.datasets);
    const screened = keys.map((key) => this.screenOne(queries[key], datasets, this.engineParams(params)));
    const results = await this.results(
      screened.map((s) => s.answer),
      params.clusters ? { datasets, limit: params.limit } : undefined,
    );
    const responses: Record<string, MatchResponseItem> = {};
    keys.forEach((key, i) => {
      const s = screened[i]!;
      const echo = s.prepared?.echo ?? echoOf(queries[key]);
      responses[key] = {
        status: s.error ? 400 : 200,
        results: results[i]!,
        total: { value: s.answer?.matches ?? 0, relation: 'eq' },
        query: echo,
        ...(s.error ? { error: { code: s.error.code, message: s.error.message } } : {}),
      };
    });
    await this.audit.record({
      actor: actorOf(principal),
      action: 'screening.match',
      // The names looked for and the purpose are encrypted: a copy of the log must not say who was checked.
      sealed: {
        purpose: purposeOf(principal),
        queries: Object.fromEntries(
          keys.map((key, i) => [key, screened[i]!.prepared?.echo ?? { error: screened[i]!.error?.code }]),
        ),
      },
      details: {
        params: { ...params },
        results: Object.fromEntries(keys.map((key, i) => [key, results[i]!.map((r) => r.id)])),
      },
    });
    return { responses, limit: params.limit, threshold: params.threshold };
  }

  /**
   * `GET /api/search`: free text for analysts. Words that are dates become a birth date, words with
   * digits an identifier, the rest the name — scored with the same name intelligence, no threshold.
   */
  async search(
    principal: Principal,
    text: string,
    requested: string[],
    limit: number,
    options: { clusters?: boolean } = {},
  ): Promise<{
    results: Array<Omit<MatchResult, 'match'>>;
    total: { value: number; relation: 'eq' | 'gte' };
  }> {
    const trimmed = text.trim();
    if (trimmed.length === 0 || trimmed.length > 300) throw new AppError('SVD_SCREENING_QUERY_TEXT');
    const words = trimmed.split(/\s+/);
    const dates: string[] = [];
    const ids: string[] = [];
    const nameWords: string[] = [];
    for (const word of words) {
      if (parseDate(word)) dates.push(word);
      else if (/\d/.test(word)) ids.push(word);
      else nameWords.push(word);
    }
    const properties: Record<string, string[]> = {};
    if (nameWords.length > 0) {
      const name = prepareName(nameWords.join(' '), this.index.analyse);
      if ('code' in name) throw new AppError(name.code);
      properties.name = [nameWords.join(' ')];
    }
    if (dates.length > 0) properties.birthDate = dates;
    if (ids.length > 0) properties.idNumber = ids;
    await this.fresh();
    const datasets = await this.datasetsFor(principal, requested);
    // A birth date only makes sense for persons.
    const schema = dates.length > 0 ? 'Person' : 'LegalEntity';
    const screened = this.screenOne(
      { schema, properties },
      datasets,
      this.engineParams({ threshold: 0.7, limit, excludeEntityIds: [], clusters: options.clusters }),
    );
    if (screened.error) throw new AppError(screened.error.code, { message: screened.error.message });
    const answer = screened.answer!;
    answer.results = answer.results.filter((r) => r.score > 0.2);
    // Grouped over every record the engine kept, so the total counts persons, not their records.
    const [grouped] = await this.results(
      [answer],
      options.clusters ? { datasets, limit: answer.results.length } : undefined,
    );
    const results = grouped!.slice(0, limit);
    await this.audit.record({
      actor: actorOf(principal),
      action: 'screening.search',
      sealed: { q: trimmed },
      details: { datasets: requested, results: results.map((r) => r.id) },
    });
    return {
      results: results.map(({ match: _match, ...rest }) => rest),
      total: {
        value: grouped!.length,
        relation: answer.candidates > answer.results.length ? 'gte' : 'eq',
      },
    };
  }
}

/** Summary of a bulk run. */
export interface BulkSummary {
  queries: number;
  errors: number;
  matched: number;
}

/**
 * Screens a stream of bulk records chunk by chunk (one registry read per chunk for result details)
 * and hands each output chunk to `sink` in input order. Audited once, with the result ids.
 */
export async function screenBulk(
  service: ScreeningService,
  principal: Principal,
  records: AsyncIterable<BulkRecord>,
  writer: BulkWriter,
  sink: (text: string) => Promise<void> | void,
  params: MatchParams,
  options: { onProgress?: (done: number) => void; chunk?: number; label?: string } = {},
): Promise<BulkSummary> {
  await service.ensureIndex();
  await service.refresh();
  const datasets = await service.datasetsFor(principal, params.datasets);
  const summary: BulkSummary = { queries: 0, errors: 0, matched: 0 };
  const resultIds: string[] = [];
  const chunkSize = options.chunk ?? 256;
  let batch: BulkRecord[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const screened = batch.map((record) =>
      record.error ? null : service.screenOne(record.query, datasets, service.engineParams(params)),
    );
    const results = await service.results(
      screened.map((s) => s?.answer ?? null),
      params.clusters ? { datasets, limit: params.limit } : undefined,
    );
    let text = '';
    batch.forEach((record, i) => {
      const s = screened[i];
      if (s?.error) record.error = s.error;
      if (record.error) summary.errors++;
      if (results[i]!.some((r) => r.match)) summary.matched++;
      for (const r of results[i]!) if (resultIds.length < 10_000) resultIds.push(r.id);
      text += writer.write(record, results[i]!);
    });
    summary.queries += batch.length;
    await sink(text);
    options.onProgress?.(summary.queries);
    batch = [];
  };
  const head = writer.header();
  if (head) await sink(head);
  for await (const record of records) {
    batch.push(record);
    if (batch.length >= chunkSize) await flush();
  }
  await flush();
  await service.audit.record({
    actor: actorOf(principal),
    action: 'screening.bulk',
    sealed: { purpose: purposeOf(principal), label: options.label ?? null },
    details: { params: { ...params }, ...summary, resultIds },
  });
  return summary;
}

function echoOf(value: unknown): { schema: string; properties: Record<string, string[]> } {
  const v = (value ?? {}) as { schema?: unknown; properties?: unknown };
  const schema = typeof v.schema === 'string' ? v.schema.slice(0, 100) : 'Person';
  const properties: Record<string, string[]> = {};
  if (v.properties && typeof v.properties === 'object') {
    for (const [key, raw] of Object.entries(v.properties as Record<string, unknown>).slice(0, 30)) {
      const list = Array.isArray(raw) ? raw : [raw];
      properties[key.slice(0, 100)] = list
        .filter((x) => typeof x === 'string')
        .map((x) => (x as string).slice(0, 300));
    }
  }
  return { schema, properties };
}
