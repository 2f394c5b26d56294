/** Typed calls to the cross-referencing API, on top of the app's one JSON client. */
import { id, query, request } from '../api/client.js';
import type {
  ClusterView,
  Comparison,
  DecisionView,
  Judgement,
  MergedEntity,
  Pair,
  QueueFilters,
  RunView,
} from './types.js';

export const xrefApi = {
  runs: () => request<{ items: RunView[] }>('GET', '/api/xref/runs'),
  startRun: (input: { dataset: string; against: string[] }) =>
    request<{ run: RunView; reused: boolean }>('POST', '/api/xref/runs', input),
  queue: (filters: QueueFilters & { after?: string | null; limit?: number }) =>
    request<{ items: Pair[]; total: number; next: string | null }>(
      'GET',
      `/api/xref/queue${query({
        dataset: filters.dataset,
        minScore: filters.minScore,
        maxScore: filters.maxScore,
        schema: filters.schema,
        undecided: filters.undecided === false ? 'false' : undefined,
        order: filters.order,
        after: filters.after ?? undefined,
        limit: filters.limit,
      })}`,
    ),
  compare: (pairId: number) => request<Comparison>('GET', `/api/xref/pairs/${id(pairId)}`),
  decide: (input: { left: string; right: string; judgement: Judgement; reason?: string }) =>
    request<{ applied: boolean; edge: number | null; left: string; right: string }>(
      'POST',
      '/api/xref/decisions',
      input,
    ),
  undo: (edgeId: number) =>
    request<{ restored: number }>('POST', `/api/xref/decisions/${id(edgeId)}/undo`, {}),
  recent: (mine = true, limit = 10) =>
    request<{ items: DecisionView[] }>('GET', `/api/xref/decisions${query({ mine: String(mine), limit })}`),
  merged: (entityId: string) => request<MergedEntity>('GET', `/api/xref/entities/${id(entityId)}/merged`),
  cluster: (clusterId: string) =>
    request<{ cluster: ClusterView }>('GET', `/api/xref/clusters/${id(clusterId)}`),
  split: (clusterId: string, entityId: string, reason: string) =>
    request<{ cluster: string | null; edge: number }>('POST', `/api/xref/clusters/${id(clusterId)}/split`, {
      entityId,
      reason,
    }),
};
