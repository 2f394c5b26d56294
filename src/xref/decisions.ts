/**
 * Decisions as people and files make them: a person's judgement of a pair (authorized on both entities,
 * audited), undo and split, and the export and import of judgement files (nomenklatura's format).
 */
import type { AuditService } from '../platform/audit/service.js';
import type { Principal } from '../platform/auth/model.js';
import { actorOf } from '../platform/auth/service.js';
import { AppError } from '../platform/errors.js';
import { splitLines } from '../platform/lines.js';
import { formatJudgementLine, parseJudgementLine } from './ijson.js';
import { isClusterId } from './judgement.js';
import {
  type ClusterView,
  type DecisionView,
  type EntitySummary,
  type Judgement,
  judgementSchema,
  type MergedEntity,
} from './model.js';
import type { XrefRegistry } from './ports.js';
import { type Decision, type DecisionOutcome, edgeUser, type ResolverService } from './resolver.js';
import type { EdgeRow } from './store.js';

export interface ImportSummary {
  lines: number;
  applied: number;
  /** Pairs something already decided (a person's decision is never replaced by a file). */
  alreadyDecided: number;
  /** Suggestions and deleted edges in the file. */
  skipped: number;
  rejected: number;
}

export interface ImportReject {
  line: number;
  reason: string;
}

const IMPORT_BATCH = 500;

export class DecisionService {
  constructor(
    readonly resolver: ResolverService,
    private readonly registry: XrefRegistry,
    private readonly audit: AuditService,
  ) {}

  /**
   * Ids a principal may act on: each must be a live entity (or a cluster, standing for its members) in a
   * dataset the principal may see. Anything else is "not found"; a denial is audited.
   */
  async requireVisible(principal: Principal, ids: string[], action: string): Promise<Map<string, string>> {
    const resolved = new Map<string, string>();
    const clusters = await this.resolver.clustersOf(ids.filter(isClusterId));
    for (const id of ids) resolved.set(id, isClusterId(id) ? (clusters.get(id)?.members[0] ?? id) : id);
    const entities = await this.registry.getEntitiesByIds([...new Set(resolved.values())]);
    const visible = await this.registry.visibleDatasetIds(principal);
    for (const id of ids) {
      const entity = entities.get(resolved.get(id)!);
      if (!entity || entity.deleted)
        throw new AppError('SVD_HTTP_NOT_FOUND', { message: `Not found: ${id.slice(0, 200)}` });
      if (visible !== 'all' && !visible.includes(entity.datasetId)) {
        await this.audit.record({
          actor: actorOf(principal),
          action,
          outcome: 'denied',
          target: { type: 'entity', id: entity.id },
        });
        throw new AppError('SVD_HTTP_NOT_FOUND', { message: `Not found: ${id.slice(0, 200)}` });
      }
    }
    return resolved;
  }

  /** A person's judgement of two entities (or clusters). */
  async decide(
    principal: Principal,
    input: { left: string; right: string; judgement: string; reason?: string | null },
  ): Promise<DecisionOutcome> {
    const judgement = judgementSchema.safeParse(input.judgement);
    if (!judgement.success) throw new AppError('SVD_XREF_BAD_JUDGEMENT');
    if (input.left === input.right) throw new AppError('SVD_XREF_SELF_PAIR');
    const ids = await this.requireVisible(principal, [input.left, input.right], 'xref.decide');
    const left = ids.get(input.left)!;
    const right = ids.get(input.right)!;
    if (left === right) throw new AppError('SVD_XREF_SELF_PAIR');
    const reason = input.reason?.trim() ? input.reason.trim().slice(0, 2000) : null;
    return this.resolver.decide(
      {
        left,
        right,
        judgement: judgement.data as Judgement,
        method: 'human',
        reason,
        ...edgeUser(principal),
      },
      { principal },
    );
  }

  /** Takes an entity out of its cluster (the cluster page's split), for a reason. */
  async split(principal: Principal, clusterId: string, entityId: string, reason: string) {
    await this.requireVisible(principal, [entityId], 'xref.split');
    return this.resolver.split(principal, clusterId, entityId, reason.trim().slice(0, 2000));
  }

  /** Undoes one of the principal's own decisions. */
  undo(principal: Principal, edgeId: number) {
    return this.resolver.undo(principal, edgeId);
  }

  /** Summaries of the live entities among `ids` that the principal may see (others are left out). */
  async summaries(principal: Principal, ids: readonly string[]): Promise<Map<string, EntitySummary>> {
    const out = new Map<string, EntitySummary>();
    if (ids.length === 0) return out;
    const [entities, visible, datasets] = await Promise.all([
      this.registry.getEntitiesByIds([...new Set(ids)]),
      this.registry.visibleDatasetIds(principal),
      this.registry.listDatasets(),
    ]);
    const names = new Map(datasets.map((d) => [d.id, d.name]));
    for (const entity of entities.values()) {
      if (entity.deleted || (visible !== 'all' && !visible.includes(entity.datasetId))) continue;
      out.set(entity.id, {
        id: entity.id,
        schema: entity.schema,
        caption: entity.caption,
        datasetId: entity.datasetId,
        dataset: names.get(entity.datasetId) ?? entity.datasetId,
      });
    }
    return out;
  }

  /** Decisions whose both sides the principal may see, as the web app shows them. */
  async views(principal: Principal, edges: EdgeRow[]): Promise<DecisionView[]> {
    const summaries = await this.summaries(
      principal,
      edges.flatMap((e) => [e.source, e.target]),
    );
    const me = edgeUser(principal);
    return edges.flatMap((edge) => {
      const left = summaries.get(edge.target);
      const right = summaries.get(edge.source);
      if (!left || !right) return [];
      return [
        {
          id: edge.id,
          judgement: edge.judgement,
          method: edge.method,
          user: edge.user_label,
          reason: edge.reason,
          createdAt: new Date(edge.created_at).toISOString(),
          mine: edge.method === 'human' && edge.user_label === me.userLabel && edge.user_id === me.userId,
          left,
          right,
        },
      ];
    });
  }

  /** The principal's recent decisions (or everyone's), newest first. */
  async recent(principal: Principal, options: { mine: boolean; limit: number }): Promise<DecisionView[]> {
    const me = edgeUser(principal);
    const edges = await this.resolver.recent({
      ...(options.mine && me.userId ? { userId: me.userId } : {}),
      limit: options.limit,
    });
    return this.views(principal, edges);
  }

  /**
   * A cluster as its page shows it: the members the principal may see, the decisions between them and
   * the lineage. An entity id shows the cluster it is in. Not found when no member is visible.
   */
  async clusterView(principal: Principal, id: string): Promise<ClusterView> {
    let info = isClusterId(id) ? await this.resolver.clusterInfo(id) : null;
    if (!info) {
      const cluster = await this.resolver.clusterOf(id);
      if (cluster.id !== id) info = await this.resolver.clusterInfo(cluster.id);
    }
    if (!info) throw new AppError('SVD_HTTP_NOT_FOUND');
    const summaries = await this.summaries(principal, info.members);
    if (summaries.size === 0) throw new AppError('SVD_HTTP_NOT_FOUND');
    const edges = await this.resolver.edgesAmong(info.members);
    // The decision behind each merge or split (its reason), when the reader may see both its sides.
    const causes = await this.views(
      principal,
      await this.resolver.edgesByIds(info.lineage.flatMap((l) => (l.edgeId === null ? [] : [l.edgeId]))),
    );
    return {
      id: info.id,
      current: info.current,
      retiredAs: info.retiredAs as ClusterView['retiredAs'],
      members: info.members.flatMap((m) => summaries.get(m) ?? []),
      lineage: info.lineage.map(({ edgeId, ...l }) => ({
        ...l,
        decision: causes.find((d) => d.id === edgeId) ?? null,
      })),
      decisions: await this.views(
        principal,
        edges.sort((a, b) => b.id - a.id),
      ),
    };
  }

  /**
   * One person across datasets: the cluster of an entity with every fact of every member the principal
   * may see, each value with the records it came from. Reading it is audited with the member ids.
   */
  async merged(principal: Principal, entityId: string): Promise<MergedEntity> {
    await this.requireVisible(principal, [entityId], 'xref.merged.read');
    const cluster = await this.resolver.clusterOf(entityId);
    const summaries = await this.summaries(principal, cluster.members);
    const members = cluster.members.flatMap((m) => summaries.get(m) ?? []);
    const entities = await this.registry.getEntitiesByIds(members.map((m) => m.id));
    const byProperty = new Map<string, Map<string, Array<{ entityId: string; dataset: string }>>>();
    for (const member of members) {
      const entity = entities.get(member.id);
      if (!entity) continue;
      for (const [property, values] of Object.entries(entity.properties)) {
        let map = byProperty.get(property);
        if (!map) {
          map = new Map();
          byProperty.set(property, map);
        }
        for (const value of values) {
          const sources = map.get(value) ?? [];
          sources.push({ entityId: member.id, dataset: member.dataset });
          map.set(value, sources);
        }
      }
    }
    if (members.length > 1)
      await this.audit.record({
        actor: actorOf(principal),
        action: 'xref.merged.read',
        target: { type: 'xref_cluster', id: cluster.id },
        details: { members: members.map((m) => m.id) },
      });
    return {
      cluster: { id: members.length > 1 ? cluster.id : entityId, members },
      properties: [...byProperty.entries()].map(([property, values]) => ({
        property,
        values: [...values.entries()].map(([value, sources]) => ({ value, sources })),
      })),
    };
  }

  /**
   * A dataset as FtM JSON lines with one entity per person: a record decided into a cluster is written
   * once, under the cluster's id, with `referents` (the member ids), `datasets` (their dataset names) and
   * the properties of every member the principal may see; a record alone is written as it is. Pages in
   * id order; the export is audited. Not found for a dataset the principal may not see.
   */
  async *mergedExportLines(principal: Principal, dataset: string, pageSize = 500): AsyncGenerator<string> {
    const [all, visible] = await Promise.all([
      this.registry.listDatasets(),
      this.registry.visibleDatasetIds(principal),
    ]);
    const names = new Map(all.map((d) => [d.id, d.name]));
    const found = all.find((d) => d.id === dataset || d.name === dataset.trim().toLowerCase());
    const sees = (datasetId: string) => visible === 'all' || visible.includes(datasetId);
    if (!found || !sees(found.id)) throw new AppError('SVD_HTTP_NOT_FOUND');
    await this.audit.record({
      actor: actorOf(principal),
      action: 'xref.export.merged',
      target: { type: 'dataset', id: found.id },
      details: { name: found.name },
    });
    const written = new Set<string>();
    let afterId: string | undefined;
    for (;;) {
      const page = await this.registry.scanDataset(found.id, {
        ...(afterId !== undefined ? { afterId } : {}),
        limit: pageSize,
      });
      if (page.length === 0) return;
      afterId = page[page.length - 1]!.id;
      const live = page.filter((e) => !e.deleted);
      const clusters = await this.resolver.clustersOf(live.map((e) => e.id));
      const inPage = new Map(live.map((e) => [e.id, e]));
      const outside = [...clusters.values()].flatMap((c) => c.members.filter((m) => !inPage.has(m)));
      const others = await this.registry.getEntitiesByIds([...new Set(outside)]);
      let chunk = '';
      for (const entity of live) {
        const cluster = clusters.get(entity.id);
        const members = (cluster?.members ?? [entity.id]).flatMap((id) => {
          const member = inPage.get(id) ?? others.get(id);
          return member && !member.deleted && sees(member.datasetId) ? [member] : [];
        });
        if (!cluster || members.length < 2) {
          chunk += `${JSON.stringify({ id: entity.id, schema: entity.schema, properties: entity.properties })}\n`;
          continue;
        }
        if (written.has(cluster.id)) continue;
        written.add(cluster.id);
        const properties: Record<string, string[]> = {};
        for (const member of members)
          for (const [property, values] of Object.entries(member.properties)) {
            const list = properties[property] ?? [];
            for (const value of values) if (!list.includes(value)) list.push(value);
            properties[property] = list;
          }
        chunk += `${JSON.stringify({
          id: cluster.id,
          schema: entity.schema,
          referents: members.map((m) => m.id).sort(),
          datasets: [...new Set(members.map((m) => names.get(m.datasetId) ?? m.datasetId))].sort(),
          properties,
        })}\n`;
      }
      if (chunk) yield chunk;
      if (page.length < pageSize) return;
    }
  }

  /** Every live decision as nomenklatura resolver lines, oldest first. The export is audited. */
  async *exportLines(principal: Principal): AsyncGenerator<string> {
    await this.audit.record({ actor: actorOf(principal), action: 'xref.export' });
    for await (const page of this.resolver.liveEdges()) {
      let chunk = '';
      for (const edge of page)
        chunk += formatJudgementLine({
          target: edge.target,
          source: edge.source,
          judgement: edge.judgement,
          score: edge.score,
          user: edge.user_label,
          createdAt: new Date(edge.created_at),
        });
      yield chunk;
    }
  }

  /**
   * Imports a judgements file (method `import`): lines are applied in batches; a malformed line is
   * reported with its number and the rest is imported. Imported decisions never replace or contradict
   * a decision already made.
   */
  async importLines(
    principal: Principal,
    source: AsyncIterable<Uint8Array | string>,
    options: {
      fileName?: string;
      onReject?: (reject: ImportReject) => void;
      onProgress?: (lines: number) => void;
    } = {},
  ): Promise<ImportSummary> {
    const summary: ImportSummary = { lines: 0, applied: 0, alreadyDecided: 0, skipped: 0, rejected: 0 };
    let batch: Decision[] = [];
    const flush = async () => {
      const outcomes = await this.resolver.decideMany(batch);
      batch = [];
      for (const outcome of outcomes) {
        if (outcome.applied) summary.applied++;
        else summary.alreadyDecided++;
      }
    };
    const reject = (line: number, reason: string) => {
      summary.rejected++;
      options.onReject?.({ line, reason });
    };
    for await (const line of splitLines(source)) {
      summary.lines = line.lineNo;
      if ('error' in line) {
        reject(
          line.lineNo,
          line.error === 'too_long' ? 'the line is longer than 1 MB' : 'the line is not valid UTF-8',
        );
        continue;
      }
      if (line.text.trim() === '') continue;
      const parsed = parseJudgementLine(line.text);
      if (parsed.kind === 'error') reject(line.lineNo, parsed.reason);
      else if (parsed.kind === 'skip') summary.skipped++;
      else {
        const edge = parsed.edge;
        batch.push({
          left: edge.target,
          right: edge.source,
          judgement: edge.judgement,
          method: 'import',
          userId: null,
          userLabel: edge.user,
          score: edge.score,
          reason: options.fileName ? `imported from ${options.fileName}`.slice(0, 2000) : null,
          ...(edge.createdAt ? { createdAt: edge.createdAt } : {}),
        });
        if (batch.length >= IMPORT_BATCH) await flush();
      }
      options.onProgress?.(line.lineNo);
    }
    await flush();
    await this.audit.record({
      actor: actorOf(principal),
      action: 'xref.import',
      details: { fileName: options.fileName ?? null, ...summary },
    });
    return summary;
  }
}
