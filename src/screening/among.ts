/**
 * Screening a query against a handful of candidates that are not registry records (an incident's
 * persons recorded only by name): a throwaway index over them, then the same engine, scorer and
 * explanations as every other screen, so a name reads the same wherever it was written down.
 */
import { CandidateIndex } from './candidate-index.js';
import { type EngineResult, screenQuery } from './engine.js';
import { prepareQuery, type QueryError } from './query.js';

/** A candidate outside the registry: an id of the caller's choosing and FtM-style properties. */
export interface AdHocCandidate {
  id: string;
  schema: string;
  properties: Record<string, string[]>;
}

/**
 * Screens one raw query (yente shape) against `candidates`; results best first, at most `limit`,
 * each with `match` set at `threshold`. A query that cannot be screened returns its coded error.
 */
export function screenAmong(
  candidates: readonly AdHocCandidate[],
  query: unknown,
  params: { threshold: number; limit: number },
): EngineResult[] | QueryError {
  const index = new CandidateIndex();
  for (const candidate of candidates)
    index.upsert({ ...candidate, datasetId: 'ad-hoc', caption: '', changeSeq: 0, deleted: false });
  const prepared = prepareQuery(query, index.analyse);
  if ('code' in prepared) return prepared;
  if (index.size === 0) return [];
  return screenQuery(index, prepared, { datasets: 'all', ...params }).results;
}
