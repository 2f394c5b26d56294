/**
 * The resolver: judgements between two ids (positive, negative, unsure), the clusters positive ones make,
 * and their stable canonical ids. Rules:
 * - A decision is a new edge; the edge it replaces is soft-deleted and remembers what replaced it.
 * - A cluster is a connected component of live positive edges. Adding a member keeps its id; merging two
 *   keeps the older id and retires the other as an alias; any split retires the cluster and gives each
 *   part of two or more a new id, with lineage.
 * - A negative or unsure edge between any members of two clusters decides every pair between them.
 * - Automatic methods (`rule`, `import`) only decide pairs that nothing decides yet: they never replace,
 *   block or split what anyone decided, least of all a person.
 * Every write holds the resolver lock, so two decisions never interleave.
 */
import type { AuditService } from '../platform/audit/service.js';
import type { Principal } from '../platform/auth/model.js';
import { actorOf } from '../platform/auth/service.js';
import { AppError, isAppError } from '../platform/errors.js';
import { combineBlockers, components, isClusterId, newClusterId, orient } from './judgement.js';
import type { Cluster, EffectiveJudgement, Judgement, Method } from './model.js';
import type { EdgeRow, NewEdge, ResolverStore, ResolverTrx } from './store.js';

type Executor = ResolverTrx | ResolverStore['db'];

/** One decision to record. */
export interface Decision {
  left: string;
  right: string;
  judgement: Judgement;
  method: Method;
  userId: string | null;
  userLabel: string;
  reason?: string | null;
  score?: number | null;
  createdAt?: Date;
}

/** What a decision did. */
export type DecisionOutcome =
  | {
      applied: true;
      edge: EdgeRow;
      /** Canonical ids after the decision. */
      left: string;
      right: string;
      /** Every id whose cluster or judgements may have changed. */
      touched: string[];
    }
  | { applied: false; reason: 'decided' | 'unchanged'; existing: EffectiveJudgement };

/** Told about every id whose judgements changed, inside the deciding transaction. */
export type ResolverListener = (trx: ResolverTrx, touched: string[]) => Promise<void>;

/** The user columns of an edge made by a principal. */
export function edgeUser(principal: Principal): { userId: string | null; userLabel: string } {
  const actor = actorOf(principal);
  return { userId: actor.id ?? null, userLabel: actor.label ?? actor.type };
}

export class ResolverService {
  #listeners: ResolverListener[] = [];

  constructor(
    private readonly store: ResolverStore,
    private readonly audit: AuditService,
  ) {}

  /** Registers a listener (the xref area keeps its candidate pairs' judgements in step). */
  onChange(listener: ResolverListener): void {
    this.#listeners.push(listener);
  }

  // Reads

  /**
   * The cluster of each id: `{ id: canonical, members }`. An id in no cluster is its own canonical with
   * itself as only member. A cluster id (current or retired) resolves to the current cluster.
   */
  async clustersOf(ids: readonly string[], ex: Executor = this.store.db): Promise<Map<string, Cluster>> {
    const unique = [...new Set(ids)];
    const out = new Map<string, Cluster>();
    const canonicalIds = new Map<string, string>();
    for (const id of unique) if (isClusterId(id)) canonicalIds.set(id, await this.#current(ex, id));
    const memberships = await this.store.clusterIdsOf(
      ex,
      unique.filter((id) => !canonicalIds.has(id)),
    );
    for (const [id, cluster] of memberships) canonicalIds.set(id, cluster);
    const members = await this.store.membersOf(ex, [...new Set(canonicalIds.values())]);
    for (const id of unique) {
      const cluster = canonicalIds.get(id);
      const list = cluster ? members.get(cluster) : undefined;
      out.set(id, cluster && list ? { id: cluster, members: list } : { id, members: [id] });
    }
    return out;
  }

  /** The cluster of one id (see `clustersOf`). */
  async clusterOf(id: string): Promise<Cluster> {
    return (await this.clustersOf([id])).get(id)!;
  }

  /** A cluster id followed through merges and splits to the cluster that holds its members today. */
  async #current(ex: Executor, id: string): Promise<string> {
    let current = id;
    for (let hops = 0; hops < 1000; hops++) {
      const row = await this.store.cluster(ex, current);
      if (!row?.retired_at || !row.successor) return current;
      current = row.successor;
    }
    return current;
  }

  /** A cluster by id with its history: retired ids name where their members went. */
  async clusterInfo(id: string): Promise<{
    id: string;
    current: string;
    retiredAs: string | null;
    members: string[];
    lineage: Array<{
      parent: string;
      child: string;
      kind: 'merge' | 'split';
      edgeId: number | null;
      createdAt: string;
    }>;
  } | null> {
    const row = await this.store.cluster(this.store.db, id);
    if (!row) return null;
    const current = await this.#current(this.store.db, id);
    const members = (await this.store.membersOf(this.store.db, [current])).get(current) ?? [];
    const lineage = await this.store.lineageOf(id);
    return {
      id,
      current,
      retiredAs: row.retired_as,
      members,
      lineage: lineage.map((l) => ({
        parent: l.parent,
        child: l.child,
        kind: l.kind,
        edgeId: l.edge_id,
        createdAt: new Date(l.created_at).toISOString(),
      })),
    };
  }

  /** The judgement between each pair, clusters factored in (same cluster → positive). */
  async judgementsFor(
    pairs: ReadonlyArray<readonly [string, string]>,
    ex: Executor = this.store.db,
  ): Promise<EffectiveJudgement[]> {
    if (pairs.length === 0) return [];
    const ids = [...new Set(pairs.flat())];
    const clusterIds = await this.store.clusterIdsOf(ex, ids);
    const members = await this.store.membersOf(ex, [...new Set(clusterIds.values())]);
    const expand = (id: string) => {
      const cluster = clusterIds.get(id);
      return (cluster && members.get(cluster)) || [id];
    };
    const nodes = [...new Set(ids.flatMap(expand))];
    const blockers = new Map<string, Judgement>();
    for (const edge of await this.store.liveEdgesAmong(ex, nodes))
      if (edge.judgement !== 'positive') blockers.set(`${edge.source}\u0000${edge.target}`, edge.judgement);
    return pairs.map(([a, b]) => {
      if (a === b) return 'positive';
      const ca = clusterIds.get(a);
      if (ca !== undefined && ca === clusterIds.get(b)) return 'positive';
      const found: Judgement[] = [];
      for (const x of expand(a))
        for (const y of expand(b)) {
          const j = blockers.get(`${x}\u0000${y}`) ?? blockers.get(`${y}\u0000${x}`);
          if (j) found.push(j);
        }
      return combineBlockers(found);
    });
  }

  /** Decisions by id, live or undone. */
  edgesByIds(ids: readonly number[]): Promise<EdgeRow[]> {
    return this.store.edges(ids);
  }

  /** Live decisions with both ends among `ids`. */
  edgesAmong(ids: readonly string[]): Promise<EdgeRow[]> {
    return this.store.liveEdgesAmong(this.store.db, ids);
  }

  /** Recent live decisions (of one user, when given), newest first. */
  recent(filter: { userId?: string; limit: number }): Promise<EdgeRow[]> {
    return this.store.recentEdges(filter);
  }

  /** Live decisions page by page in creation order (export). */
  async *liveEdges(pageSize = 5000): AsyncGenerator<EdgeRow[]> {
    let after = 0;
    for (;;) {
      const rows = await this.store.exportPage(after, pageSize);
      if (rows.length > 0) yield rows;
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1]!.id;
    }
  }

  /** Memberships and blockers, for a process that checks many pairs at once (an xref run). */
  async snapshot(): Promise<ResolverSnapshot> {
    const clusterOf = new Map<string, string>();
    const members = new Map<string, string[]>();
    for await (const page of this.store.allMembers()) {
      for (const row of page) {
        clusterOf.set(row.entity_id, row.cluster_id);
        const list = members.get(row.cluster_id);
        if (list) list.push(row.entity_id);
        else members.set(row.cluster_id, [row.entity_id]);
      }
    }
    const blockers = new Map<string, Map<string, Judgement>>();
    for (const edge of await this.store.allBlockers()) {
      for (const [x, y] of [
        [edge.source, edge.target],
        [edge.target, edge.source],
      ] as const) {
        let map = blockers.get(x);
        if (!map) {
          map = new Map();
          blockers.set(x, map);
        }
        map.set(y, edge.judgement);
      }
    }
    return new ResolverSnapshot(clusterOf, members, blockers);
  }

  // Writes

  /**
   * Records one decision in its own transaction. A human decision always applies; an automatic one only
   * where nothing is decided yet. Errors: SVD_XREF_SELF_PAIR, SVD_XREF_SAME_CLUSTER.
   */
  async decide(decision: Decision, audit?: { principal: Principal }): Promise<DecisionOutcome> {
    return this.store.write(async (trx) => {
      const outcome = await this.apply(trx, decision);
      if (outcome.applied) await this.#notify(trx, outcome.touched);
      if (audit && outcome.applied) {
        await this.audit.record(
          {
            actor: actorOf(audit.principal),
            action: 'xref.decide',
            target: { type: 'xref_pair', id: `${outcome.edge.target} ${outcome.edge.source}`.slice(0, 400) },
            details: {
              left: decision.left,
              right: decision.right,
              judgement: decision.judgement,
              method: decision.method,
              reason: decision.reason ?? null,
              edge: outcome.edge.id,
              canonical: [outcome.left, outcome.right],
            },
          },
          trx,
        );
      }
      return outcome;
    });
  }

  /** Records many automatic decisions in one transaction (rules of a run, an import batch). */
  async decideMany(decisions: Decision[]): Promise<DecisionOutcome[]> {
    if (decisions.length === 0) return [];
    return this.store.write(async (trx) => {
      const outcomes: DecisionOutcome[] = [];
      const touched = new Set<string>();
      for (const decision of decisions) {
        const outcome = await this.apply(trx, decision);
        outcomes.push(outcome);
        if (outcome.applied) for (const id of outcome.touched) touched.add(id);
      }
      if (touched.size > 0) await this.#notify(trx, [...touched]);
      return outcomes;
    });
  }

  async #notify(trx: ResolverTrx, touched: string[]): Promise<void> {
    for (const listener of this.#listeners) await listener(trx, touched);
  }

  /**
   * Whether merging the two clusters would change a pair already decided: a third cluster held "unsure" from
   * one side and "negative" from the other would become "negative" from both. Only a person may do that.
   */
  async #mergeChangesDecided(trx: ResolverTrx, left: string[], right: string[]): Promise<boolean> {
    const sides = new Map<string, 0 | 1>([
      ...left.map((id) => [id, 0] as const),
      ...right.map((id) => [id, 1] as const),
    ]);
    const edges = (await this.store.liveEdgesTouching(trx, [...sides.keys()])).filter(
      (e) => e.judgement !== 'positive' && !(sides.has(e.source) && sides.has(e.target)),
    );
    if (edges.length === 0) return false;
    const outside = edges.map((e) => (sides.has(e.source) ? e.target : e.source));
    const clusterIds = await this.store.clusterIdsOf(trx, outside);
    const seen = new Map<string, [Judgement[], Judgement[]]>();
    edges.forEach((edge, i) => {
      const other = outside[i]!;
      const key = clusterIds.get(other) ?? other;
      const side = sides.get(sides.has(edge.source) ? edge.source : edge.target)!;
      const entry = seen.get(key) ?? [[], []];
      entry[side].push(edge.judgement);
      seen.set(key, entry);
    });
    for (const [a, b] of seen.values()) {
      const ja = combineBlockers(a);
      const jb = combineBlockers(b);
      if (ja !== 'no_judgement' && jb !== 'no_judgement' && ja !== jb) return true;
    }
    return false;
  }

  /** Applies a decision inside the caller's locked transaction. `force` gives human semantics to any method. */
  async apply(
    trx: ResolverTrx,
    decision: Decision,
    options: { force?: boolean } = {},
  ): Promise<DecisionOutcome> {
    if (decision.left === decision.right) throw new AppError('SVD_XREF_SELF_PAIR');
    const [target, source] = orient(decision.left, decision.right);
    const clusterIds = await this.store.clusterIdsOf(trx, [target, source]);
    const ct = clusterIds.get(target);
    const cs = clusterIds.get(source);
    const memberLists = await this.store.membersOf(
      trx,
      [ct, cs].filter((c): c is string => !!c),
    );
    const membersT = (ct && memberLists.get(ct)) || [target];
    const membersS = (cs && memberLists.get(cs)) || [source];
    const sameCluster = ct !== undefined && ct === cs;
    const human = decision.method === 'human' || options.force === true;
    const live = await this.store.liveEdge(trx, source, target);

    if (!human) {
      const existing: EffectiveJudgement = sameCluster
        ? 'positive'
        : combineBlockers(
            (await this.store.blockersBetween(trx, membersT, membersS)).map((e) => e.judgement),
          );
      if (existing !== 'no_judgement') return { applied: false, reason: 'decided', existing };
      if (decision.judgement === 'positive' && (await this.#mergeChangesDecided(trx, membersT, membersS)))
        return { applied: false, reason: 'decided', existing: 'unsure' };
    }
    if (
      live &&
      live.judgement === decision.judgement &&
      live.method === decision.method &&
      live.user_label === decision.userLabel &&
      (live.reason ?? null) === (decision.reason ?? null)
    )
      return { applied: false, reason: 'unchanged', existing: decision.judgement };
    if (decision.judgement !== 'positive' && sameCluster && live?.judgement !== 'positive')
      throw new AppError('SVD_XREF_SAME_CLUSTER');

    const edge = await this.#replace(trx, live ? [live.id] : [], {
      target,
      source,
      judgement: decision.judgement,
      score: decision.score ?? null,
      method: decision.method,
      userId: decision.userId,
      userLabel: decision.userLabel,
      reason: decision.reason ?? null,
      ...(decision.createdAt ? { createdAt: decision.createdAt } : {}),
    });
    const touched = [...new Set([...membersT, ...membersS])];

    if (decision.judgement === 'positive') {
      // A person saying "same" overrides whatever kept the two clusters apart.
      const blockers = await this.store.blockersBetween(trx, membersT, membersS);
      if (blockers.length > 0) {
        const ids = blockers.map((b) => b.id);
        await this.store.softDelete(trx, ids);
        await this.store.markSuperseded(trx, ids, edge.id);
      }
      await this.#merge(trx, target, source, ct, cs, membersT, membersS, edge.id);
    } else if (sameCluster) {
      // The replaced positive edge was a bridge, or the two stay together through other decisions.
      const parts = await this.#recompute(trx, ct!, edge.id);
      if (parts.some((part) => part.includes(target) && part.includes(source)))
        throw new AppError('SVD_XREF_SAME_CLUSTER');
    }
    const after = await this.store.clusterIdsOf(trx, [target, source]);
    const [left, right] =
      decision.left === target
        ? [after.get(target), after.get(source)]
        : [after.get(source), after.get(target)];
    return {
      applied: true,
      edge,
      left: left ?? decision.left,
      right: right ?? decision.right,
      touched,
    };
  }

  /** Soft-deletes `replaced`, inserts the new edge, and records on the old rows what replaced them. */
  async #replace(trx: ResolverTrx, replaced: number[], edge: NewEdge): Promise<EdgeRow> {
    await this.store.softDelete(trx, replaced);
    const row = await this.store.insertEdge(trx, edge);
    await this.store.markSuperseded(trx, replaced, row.id);
    return row;
  }

  /** Joins the clusters of two ids after a positive edge between them. */
  async #merge(
    trx: ResolverTrx,
    a: string,
    b: string,
    ca: string | undefined,
    cb: string | undefined,
    membersA: string[],
    membersB: string[],
    edgeId: number,
  ): Promise<void> {
    if (ca !== undefined && ca === cb) return;
    if (ca === undefined && cb === undefined) {
      await this.store.createCluster(trx, newClusterId(), [a, b]);
      return;
    }
    if (ca === undefined) return this.store.setMembers(trx, cb!, [a]);
    if (cb === undefined) return this.store.setMembers(trx, ca, [b]);
    const rows = await this.store.clusters(trx, [ca, cb]);
    const rowA = rows.find((r) => r.id === ca)!;
    const rowB = rows.find((r) => r.id === cb)!;
    const older =
      new Date(rowA.created_at).getTime() - new Date(rowB.created_at).getTime() || (ca < cb ? -1 : 1);
    const [survivor, absorbed, moving] = older <= 0 ? [ca, cb, membersB] : [cb, ca, membersA];
    await this.store.setMembers(trx, survivor, moving);
    await this.store.retireCluster(trx, absorbed, 'merged', survivor);
    await this.store.addLineage(trx, [{ parent: absorbed, child: survivor, kind: 'merge', edgeId }]);
  }

  /**
   * Recomputes a cluster after positive edges inside it went away. Still one piece: nothing changes.
   * Several pieces: the cluster retires and each piece of two or more gets a new id (lineage kept; the
   * largest piece is the successor old links redirect to); single ids leave. Returns the pieces.
   */
  async #recompute(trx: ResolverTrx, clusterId: string, edgeId: number | null): Promise<string[][]> {
    const members = (await this.store.membersOf(trx, [clusterId])).get(clusterId) ?? [];
    const positives = await this.store.liveEdgesAmong(trx, members, 'positive');
    const parts = components(
      members,
      positives.map((e) => [e.source, e.target] as const),
    );
    if (parts.length <= 1) return parts;
    const lineage: Array<{ parent: string; child: string; kind: 'split'; edgeId: number | null }> = [];
    let successor: string | null = null;
    const singles: string[] = [];
    for (const part of parts) {
      if (part.length < 2) {
        singles.push(...part);
        continue;
      }
      const id = newClusterId();
      await this.store.createCluster(trx, id, part);
      lineage.push({ parent: clusterId, child: id, kind: 'split', edgeId });
      successor ??= id;
    }
    await this.store.removeMembers(trx, singles);
    await this.store.retireCluster(trx, clusterId, successor ? 'split' : 'dissolved', successor);
    await this.store.addLineage(trx, lineage);
    return parts;
  }

  /**
   * Takes one member out of its cluster: its positive edges inside the cluster are replaced by a negative
   * edge (with the reason), and the others stay together (bridging edges are recorded where the member
   * was their only link). The rest gets a new id with lineage. Returns the new canonical of the rest.
   */
  async split(
    principal: Principal,
    clusterId: string,
    entityId: string,
    reason: string,
  ): Promise<{ cluster: string | null; edge: number }> {
    if (reason.trim().length === 0) throw new AppError('SVD_XREF_REASON_REQUIRED');
    const user = edgeUser(principal);
    return this.store.write(async (trx) => {
      const current = await this.#current(trx, clusterId);
      const members = (await this.store.membersOf(trx, [current])).get(current) ?? [];
      if (!members.includes(entityId)) throw new AppError('SVD_XREF_NOT_MEMBER');
      const rest = members.filter((m) => m !== entityId);
      const positives = await this.store.liveEdgesAmong(trx, members, 'positive');
      const touching = positives.filter((e) => e.source === entityId || e.target === entityId);
      const partner = touching.map((e) => (e.source === entityId ? e.target : e.source))[0] ?? rest[0]!;
      const [target, source] = orient(entityId, partner);
      const live = await this.store.liveEdge(trx, source, target);
      const replaced = [...new Set([...touching.map((e) => e.id), ...(live ? [live.id] : [])])];
      const negative = await this.#replace(trx, replaced, {
        target,
        source,
        judgement: 'negative',
        score: null,
        method: 'human',
        ...user,
        reason,
      });
      const remaining = positives.filter((e) => !touching.includes(e));
      const pieces = components(
        rest,
        remaining.map((e) => [e.source, e.target] as const),
      );
      for (const piece of pieces.slice(1)) {
        const [t, s] = orient(pieces[0]![0]!, piece[0]!);
        const existing = await this.store.liveEdge(trx, s, t);
        await this.#replace(trx, existing ? [existing.id] : [], {
          target: t,
          source: s,
          judgement: 'positive',
          score: null,
          method: 'human',
          ...user,
          reason: `kept together when ${entityId} was split out: ${reason}`.slice(0, 2000),
        });
      }
      await this.#recompute(trx, current, negative.id);
      const after = (await this.store.clusterIdsOf(trx, [partner])).get(partner) ?? null;
      await this.#notify(trx, members);
      await this.audit.record(
        {
          actor: actorOf(principal),
          action: 'xref.split',
          target: { type: 'xref_cluster', id: current },
          details: { entity: entityId, reason, edge: negative.id, successor: after },
        },
        trx,
      );
      return { cluster: after, edge: negative.id };
    });
  }

  /**
   * Undoes a person's own live decision: the edge is soft-deleted and the edges it replaced are put back
   * (as new rows). Error SVD_XREF_UNDO when the edge is not live or not the principal's.
   */
  async undo(principal: Principal, edgeId: number): Promise<{ restored: number }> {
    const user = edgeUser(principal);
    return this.store.write(async (trx) => {
      const edge = await this.store.edge(trx, edgeId);
      if (
        !edge ||
        edge.deleted_at !== null ||
        edge.method !== 'human' ||
        edge.user_label !== user.userLabel ||
        (edge.user_id ?? null) !== user.userId
      )
        throw new AppError('SVD_XREF_UNDO');
      const touched = new Set<string>([edge.source, edge.target]);
      const before = await this.store.clusterIdsOf(trx, [edge.source]);
      await this.store.softDelete(trx, [edge.id]);
      const cluster = before.get(edge.source);
      if (edge.judgement === 'positive' && cluster) {
        for (const m of (await this.store.membersOf(trx, [cluster])).get(cluster) ?? []) touched.add(m);
        await this.#recompute(trx, cluster, edge.id);
      }
      let restored = 0;
      for (const old of await this.store.supersededBy(trx, edge.id)) {
        if (await this.store.liveEdge(trx, old.source, old.target)) continue;
        // A blocker inside what is now one cluster cannot come back (apply refuses it before writing).
        const outcome = await this.apply(
          trx,
          {
            left: old.target,
            right: old.source,
            judgement: old.judgement,
            method: old.method,
            userId: old.user_id,
            userLabel: old.user_label,
            reason: old.reason,
            score: old.score,
          },
          { force: true },
        ).catch((error) => {
          if (isAppError(error, 'SVD_XREF_SAME_CLUSTER')) return null;
          throw error;
        });
        if (outcome?.applied) {
          restored++;
          for (const id of outcome.touched) touched.add(id);
        }
      }
      await this.#notify(trx, [...touched]);
      await this.audit.record(
        {
          actor: actorOf(principal),
          action: 'xref.undo',
          target: { type: 'xref_pair', id: `${edge.target} ${edge.source}`.slice(0, 400) },
          details: { edge: edge.id, judgement: edge.judgement, restored },
        },
        trx,
      );
      return { restored };
    });
  }
}

/** Memberships and blockers in memory: the "is this pair decided?" check of an xref run. */
export class ResolverSnapshot {
  constructor(
    private readonly clusterOf: Map<string, string>,
    private readonly members: Map<string, string[]>,
    private readonly blockers: Map<string, Map<string, Judgement>>,
  ) {}

  /** Canonical id of an id (itself when in no cluster). */
  canonical(id: string): string {
    return this.clusterOf.get(id) ?? id;
  }

  #expand(id: string): readonly string[] {
    const cluster = this.clusterOf.get(id);
    return (cluster && this.members.get(cluster)) || [id];
  }

  judgement(a: string, b: string): EffectiveJudgement {
    if (a === b) return 'positive';
    const ca = this.clusterOf.get(a);
    if (ca !== undefined && ca === this.clusterOf.get(b)) return 'positive';
    const found: Judgement[] = [];
    const right = this.#expand(b);
    for (const x of this.#expand(a)) {
      const map = this.blockers.get(x);
      if (!map) continue;
      for (const y of right) {
        const j = map.get(y);
        if (j) found.push(j);
      }
    }
    return combineBlockers(found);
  }

  /** Folds in a decision made during the run (rules), so later pairs see it. */
  addPositive(a: string, b: string): void {
    const ca = this.clusterOf.get(a) ?? `tmp:${a}`;
    const cb = this.clusterOf.get(b) ?? `tmp:${b}`;
    if (ca === cb) return;
    const left = this.#expand(a);
    const right = this.#expand(b);
    const merged = [...new Set([...left, ...right])];
    for (const id of merged) this.clusterOf.set(id, ca);
    this.members.set(ca, merged);
    this.members.delete(cb);
  }
}
