/**
 * The review queue: candidate pairs waiting for a person, best score first (or at random, for unbiased
 * audits), filtered by dataset pair, score band and schema, only pairs whose both sides the reviewer may
 * see. Candidate judgements follow the resolver, so a decision anywhere in two clusters takes every pair
 * between them out of the queue.
 */
import type { Principal } from '../platform/auth/model.js';
import { AppError } from '../platform/errors.js';
import { compareSide, matchedNamesOf } from './compare.js';
import type { Comparison, EffectiveJudgement, EntitySummary, Judgement, Pair } from './model.js';
import type { XrefRegistry } from './ports.js';
import type { ResolverService } from './resolver.js';
import type { CandidateFilter, CandidateRow, RunStore, RunTrx } from './runs-store.js';
import type { ResolverTrx } from './store.js';

export interface QueueQuery {
  /** Dataset ids: one (pairs touching it) or two (pairs between them). */
  datasets?: string[];
  minScore?: number;
  maxScore?: number;
  schema?: string;
  undecided: boolean;
  order: 'score' | 'random';
  after?: { score: number; id: number };
  limit: number;
}

export class ReviewQueue {
  constructor(
    private readonly store: RunStore,
    private readonly resolver: ResolverService,
    private readonly registry: XrefRegistry,
    private readonly summaries: (principal: Principal, ids: string[]) => Promise<Map<string, EntitySummary>>,
  ) {}

  /** Brings the judgement of every candidate touching `touched` in step (inside the deciding transaction). */
  async syncJudgements(trx: ResolverTrx, touched: string[]): Promise<void> {
    const ex = trx as unknown as RunTrx;
    for (let i = 0; i < touched.length; i += 500) {
      const rows = await this.store.candidatesTouching(ex, touched.slice(i, i + 500));
      if (rows.length === 0) continue;
      const judged = await this.resolver.judgementsFor(
        rows.map((r) => [r.target, r.source] as const),
        trx,
      );
      const updates = rows.flatMap((row, k) => {
        const next = decided(judged[k]!);
        return next === row.judgement ? [] : [{ id: Number(row.id), judgement: next }];
      });
      await this.store.setJudgements(ex, updates);
    }
  }

  /** The filter of a queue query for a principal (both sides visible). */
  async filterFor(
    principal: Principal,
    query: Omit<QueueQuery, 'order' | 'after' | 'limit'>,
  ): Promise<CandidateFilter> {
    const visible = await this.registry.visibleDatasetIds(principal);
    const known = await this.registry.listDatasets();
    const [a, b] = (query.datasets ?? []).map((key) => {
      const found = known.find((d) => d.id === key || d.name === key.trim().toLowerCase());
      if (!found || (visible !== 'all' && !visible.includes(found.id)))
        throw new AppError('SVD_HTTP_NOT_FOUND');
      return found.id;
    });
    return {
      visible,
      ...(a ? { datasetPair: [a, b ?? null] as const } : {}),
      ...(query.minScore !== undefined ? { minScore: query.minScore } : {}),
      ...(query.maxScore !== undefined ? { maxScore: query.maxScore } : {}),
      ...(query.schema ? { schema: query.schema } : {}),
      undecided: query.undecided,
    };
  }

  /** A page of the queue and the count of all it holds. */
  async page(principal: Principal, query: QueueQuery): Promise<{ items: CandidateRow[]; total: number }> {
    const filter = await this.filterFor(principal, query);
    const [items, total] = await Promise.all([
      this.store.listCandidates(filter, {
        ...(query.after ? { after: query.after } : {}),
        limit: query.limit,
        order: query.order,
      }),
      this.store.countCandidates(filter),
    ]);
    return { items, total };
  }

  /**
   * Candidates as the web app shows them: both sides summarized (live entities only: a pair with a deleted
   * side is left out), the side of the alphabetically first dataset on the left.
   */
  async pairs(principal: Principal, rows: CandidateRow[]): Promise<Pair[]> {
    const summaries = await this.summaries(
      principal,
      rows.flatMap((r) => [r.target, r.source]),
    );
    return rows.flatMap((row) => {
      const a = summaries.get(row.target);
      const b = summaries.get(row.source);
      if (!a || !b) return [];
      const [left, right] = a.dataset.localeCompare(b.dataset) <= 0 ? [a, b] : [b, a];
      return [
        {
          id: Number(row.id),
          score: row.score,
          schema: row.schema,
          judgement: row.judgement,
          left,
          right,
          explanations: explanationsOf(row),
        },
      ];
    });
  }

  /** The side-by-side comparison of one candidate pair (both entities' reads are audited). */
  async compare(principal: Principal, id: number): Promise<Comparison> {
    const row = await this.candidate(principal, id);
    if (!row) throw new AppError('SVD_HTTP_NOT_FOUND');
    const [pair] = await this.pairs(principal, [row]);
    if (!pair) throw new AppError('SVD_HTTP_NOT_FOUND');
    const [left, right] = await Promise.all([
      this.registry.getEntityDetail(principal, pair.left.id),
      this.registry.getEntityDetail(principal, pair.right.id),
    ]);
    const matched = matchedNamesOf(explanationsOf(row));
    const clusters = await this.resolver.clustersOf([pair.left.id, pair.right.id]);
    return {
      pair,
      left: compareSide(left, right, matched),
      right: compareSide(right, left, matched),
      clusters: { left: clusters.get(pair.left.id)!.id, right: clusters.get(pair.right.id)!.id },
    };
  }

  /** One candidate, if the principal may see both sides. */
  async candidate(principal: Principal, id: number): Promise<CandidateRow | null> {
    const row = await this.store.candidate(id);
    if (!row) return null;
    const visible = await this.registry.visibleDatasetIds(principal);
    if (visible !== 'all' && !(visible.includes(row.target_dataset) && visible.includes(row.source_dataset)))
      return null;
    return row;
  }
}

/** The explanations stored with a candidate (JSON). */
function explanationsOf(row: CandidateRow): Array<{ queryName?: string; matchedName?: string }> {
  const raw = typeof row.explanations === 'string' ? JSON.parse(row.explanations) : row.explanations;
  return Array.isArray(raw) ? raw : [];
}

function decided(judgement: EffectiveJudgement): Judgement | null {
  return judgement === 'no_judgement' ? null : judgement;
}
