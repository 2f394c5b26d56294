/**
 * The review queue: candidate pairs waiting for a person, best score first (or at random, for unbiased
 * audits), filtered by dataset pair, score band and schema, only pairs whose both sides the reviewer may
 * see. Candidate judgements follow the resolver, so a decision anywhere in two clusters takes every pair
 * between them out of the queue.
 */
import type { Principal } from '../platform/auth/model.js';
import type { EffectiveJudgement, Judgement } from './model.js';
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
    const [a, b] = query.datasets ?? [];
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

function decided(judgement: EffectiveJudgement): Judgement | null {
  return judgement === 'no_judgement' ? null : judgement;
}
