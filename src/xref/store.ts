/** SQL of the resolver: judgement edges, clusters, members and lineage. The only SQL of these tables. */
import { type Generated, type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { AnyDb } from '../platform/db/database.js';
import type { Judgement, Method } from './model.js';

export type ResolverTables = {
  xref_edges: {
    id: Generated<number>;
    target: string;
    source: string;
    judgement: Judgement;
    score: number | null;
    method: Method;
    user_id: string | null;
    user_label: string;
    reason: string | null;
    created_at: Generated<Date>;
    deleted_at: Date | null;
    superseded_by: number | null;
  };
  xref_clusters: {
    id: string;
    created_at: Generated<Date>;
    retired_at: Date | null;
    retired_as: 'merged' | 'split' | 'dissolved' | null;
    successor: string | null;
  };
  xref_cluster_members: { entity_id: string; cluster_id: string; added_at: Generated<Date> };
  xref_cluster_lineage: {
    parent: string;
    child: string;
    kind: 'merge' | 'split';
    edge_id: number | null;
    created_at: Generated<Date>;
  };
};

export type EdgeRow = Selectable<ResolverTables['xref_edges']>;
export type ClusterRow = Selectable<ResolverTables['xref_clusters']>;
export type ResolverTrx = Transaction<ResolverTables>;
type Executor = Kysely<ResolverTables> | ResolverTrx;

export interface NewEdge {
  target: string;
  source: string;
  judgement: Judgement;
  score: number | null;
  method: Method;
  userId: string | null;
  userLabel: string;
  reason: string | null;
  createdAt?: Date;
}

// Resolver writers serialize on this lock: a decision reads two clusters and rewrites them.
const RESOLVER_LOCK = 7_340_040;
const CHUNK = 1000;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export class ResolverStore {
  readonly db: Kysely<ResolverTables>;

  constructor(db: AnyDb) {
    this.db = db.withTables<ResolverTables>();
  }

  /** Runs `work` in a transaction holding the resolver write lock. */
  write<T>(work: (trx: ResolverTrx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${RESOLVER_LOCK})`.execute(trx);
      return work(trx);
    });
  }

  // Edges

  liveEdge(ex: Executor, source: string, target: string): Promise<EdgeRow | undefined> {
    return ex
      .selectFrom('xref_edges')
      .selectAll()
      .where('source', '=', source)
      .where('target', '=', target)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
  }

  edge(ex: Executor, id: number): Promise<EdgeRow | undefined> {
    return ex.selectFrom('xref_edges').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Edges by id, live or not (the decisions behind a cluster's history). */
  async edges(ids: readonly number[]): Promise<EdgeRow[]> {
    if (ids.length === 0) return [];
    return this.db
      .selectFrom('xref_edges')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute();
  }

  insertEdge(trx: ResolverTrx, edge: NewEdge): Promise<EdgeRow> {
    return trx
      .insertInto('xref_edges')
      .values({
        target: edge.target,
        source: edge.source,
        judgement: edge.judgement,
        score: edge.score,
        method: edge.method,
        user_id: edge.userId,
        user_label: edge.userLabel,
        reason: edge.reason,
        deleted_at: null,
        superseded_by: null,
        ...(edge.createdAt ? { created_at: edge.createdAt } : {}),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Soft-deletes live edges (before the edge replacing them is inserted: a pair has one live row). */
  async softDelete(trx: ResolverTrx, ids: number[]): Promise<void> {
    for (const part of chunks(ids)) {
      await trx
        .updateTable('xref_edges')
        .set({ deleted_at: sql`now()` })
        .where('id', 'in', part)
        .where('deleted_at', 'is', null)
        .execute();
    }
  }

  /** Records which decision replaced deleted edges (what an undo of it puts back). */
  async markSuperseded(trx: ResolverTrx, ids: number[], supersededBy: number): Promise<void> {
    for (const part of chunks(ids))
      await trx
        .updateTable('xref_edges')
        .set({ superseded_by: supersededBy })
        .where('id', 'in', part)
        .execute();
  }

  /** Live edges with both ends among `ids` (optionally of one judgement). */
  async liveEdgesAmong(ex: Executor, ids: readonly string[], judgement?: Judgement): Promise<EdgeRow[]> {
    if (ids.length === 0) return [];
    const out: EdgeRow[] = [];
    for (const part of chunks(ids)) {
      let query = ex
        .selectFrom('xref_edges')
        .selectAll()
        .where('deleted_at', 'is', null)
        .where('source', 'in', part)
        .where('target', 'in', ids as string[]);
      if (judgement) query = query.where('judgement', '=', judgement);
      out.push(...(await query.execute()));
    }
    return out;
  }

  /** Live negative or unsure edges with one end in `left` and the other in `right`. */
  async blockersBetween(ex: Executor, left: readonly string[], right: readonly string[]): Promise<EdgeRow[]> {
    if (left.length === 0 || right.length === 0) return [];
    return ex
      .selectFrom('xref_edges')
      .selectAll()
      .where('deleted_at', 'is', null)
      .where('judgement', 'in', ['negative', 'unsure'])
      .where((eb) =>
        eb.or([
          eb.and([eb('source', 'in', left as string[]), eb('target', 'in', right as string[])]),
          eb.and([eb('source', 'in', right as string[]), eb('target', 'in', left as string[])]),
        ]),
      )
      .execute();
  }

  /** Live edges touching any of `ids`. */
  async liveEdgesTouching(ex: Executor, ids: readonly string[]): Promise<EdgeRow[]> {
    if (ids.length === 0) return [];
    const out = new Map<number, EdgeRow>();
    for (const part of chunks(ids)) {
      const rows = await ex
        .selectFrom('xref_edges')
        .selectAll()
        .where('deleted_at', 'is', null)
        .where((eb) => eb.or([eb('source', 'in', part), eb('target', 'in', part)]))
        .execute();
      for (const row of rows) out.set(row.id, row);
    }
    return [...out.values()];
  }

  /** Edges a decision soft-deleted (what an undo puts back). */
  supersededBy(ex: Executor, edgeId: number): Promise<EdgeRow[]> {
    return ex
      .selectFrom('xref_edges')
      .selectAll()
      .where('superseded_by', '=', edgeId)
      .orderBy('id')
      .execute();
  }

  /** Most recent live decisions, optionally of one user (newest first). */
  recentEdges(filter: { userId?: string; limit: number }): Promise<EdgeRow[]> {
    let query = this.db
      .selectFrom('xref_edges')
      .selectAll()
      .where('deleted_at', 'is', null)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit);
    if (filter.userId) query = query.where('user_id', '=', filter.userId);
    return query.execute();
  }

  /** A page of live decisions in creation order (export). */
  exportPage(afterId: number, limit: number): Promise<EdgeRow[]> {
    return this.db
      .selectFrom('xref_edges')
      .selectAll()
      .where('deleted_at', 'is', null)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /** Live negative and unsure edges (the blockers an xref run loads into memory). */
  async allBlockers(): Promise<Array<{ source: string; target: string; judgement: Judgement }>> {
    const out: Array<{ source: string; target: string; judgement: Judgement }> = [];
    let after = 0;
    for (;;) {
      const rows = await this.db
        .selectFrom('xref_edges')
        .select(['id', 'source', 'target', 'judgement'])
        .where('deleted_at', 'is', null)
        .where('judgement', 'in', ['negative', 'unsure'])
        .where('id', '>', after)
        .orderBy('id')
        .limit(10_000)
        .execute();
      out.push(...rows);
      if (rows.length < 10_000) return out;
      after = rows[rows.length - 1]!.id;
    }
  }

  // Clusters

  /** Cluster id of each of `ids` that is in a cluster. */
  async clusterIdsOf(ex: Executor, ids: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const part of chunks([...new Set(ids)])) {
      const rows = await ex
        .selectFrom('xref_cluster_members')
        .select(['entity_id', 'cluster_id'])
        .where('entity_id', 'in', part)
        .execute();
      for (const row of rows) out.set(row.entity_id, row.cluster_id);
    }
    return out;
  }

  /** Members of each cluster, sorted. */
  async membersOf(ex: Executor, clusterIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const part of chunks([...new Set(clusterIds)])) {
      const rows = await ex
        .selectFrom('xref_cluster_members')
        .select(['entity_id', 'cluster_id'])
        .where('cluster_id', 'in', part)
        .orderBy('entity_id')
        .execute();
      for (const row of rows) {
        const list = out.get(row.cluster_id);
        if (list) list.push(row.entity_id);
        else out.set(row.cluster_id, [row.entity_id]);
      }
    }
    return out;
  }

  /** Every membership, page by page (an xref run keeps them in memory). */
  async *allMembers(pageSize = 20_000): AsyncGenerator<Array<{ entity_id: string; cluster_id: string }>> {
    let after = '';
    for (;;) {
      const rows = await this.db
        .selectFrom('xref_cluster_members')
        .select(['entity_id', 'cluster_id'])
        .where('entity_id', '>', after)
        .orderBy('entity_id')
        .limit(pageSize)
        .execute();
      if (rows.length > 0) yield rows;
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1]!.entity_id;
    }
  }

  cluster(ex: Executor, id: string): Promise<ClusterRow | undefined> {
    return ex.selectFrom('xref_clusters').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async clusters(ex: Executor, ids: readonly string[]): Promise<ClusterRow[]> {
    if (ids.length === 0) return [];
    return ex
      .selectFrom('xref_clusters')
      .selectAll()
      .where('id', 'in', ids as string[])
      .execute();
  }

  async createCluster(trx: ResolverTrx, id: string, members: readonly string[]): Promise<void> {
    await trx
      .insertInto('xref_clusters')
      .values({ id, retired_at: null, retired_as: null, successor: null })
      .execute();
    await this.setMembers(trx, id, members);
  }

  /** Puts `members` into cluster `id` (moving them from wherever they were). */
  async setMembers(trx: ResolverTrx, id: string, members: readonly string[]): Promise<void> {
    for (const part of chunks(members)) {
      await trx
        .insertInto('xref_cluster_members')
        .values(part.map((entity_id) => ({ entity_id, cluster_id: id })))
        .onConflict((c) => c.column('entity_id').doUpdateSet({ cluster_id: id, added_at: sql`now()` }))
        .execute();
    }
  }

  async removeMembers(trx: ResolverTrx, ids: readonly string[]): Promise<void> {
    for (const part of chunks(ids))
      await trx.deleteFrom('xref_cluster_members').where('entity_id', 'in', part).execute();
  }

  async retireCluster(
    trx: ResolverTrx,
    id: string,
    as: 'merged' | 'split' | 'dissolved',
    successor: string | null,
  ): Promise<void> {
    await trx
      .updateTable('xref_clusters')
      .set({ retired_at: sql`now()`, retired_as: as, successor })
      .where('id', '=', id)
      .execute();
  }

  async addLineage(
    trx: ResolverTrx,
    rows: Array<{ parent: string; child: string; kind: 'merge' | 'split'; edgeId: number | null }>,
  ): Promise<void> {
    if (rows.length === 0) return;
    await trx
      .insertInto('xref_cluster_lineage')
      .values(rows.map((r) => ({ parent: r.parent, child: r.child, kind: r.kind, edge_id: r.edgeId })))
      .onConflict((c) => c.columns(['parent', 'child']).doNothing())
      .execute();
  }

  /** Lineage rows touching a cluster, both directions. */
  lineageOf(id: string): Promise<
    Array<{
      parent: string;
      child: string;
      kind: 'merge' | 'split';
      edge_id: number | null;
      created_at: Date;
    }>
  > {
    return this.db
      .selectFrom('xref_cluster_lineage')
      .select(['parent', 'child', 'kind', 'edge_id', 'created_at'])
      .where((eb) => eb.or([eb('parent', '=', id), eb('child', '=', id)]))
      .orderBy('created_at')
      .execute();
  }
}
