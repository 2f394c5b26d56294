/**
 * The screening engine: retrieval from the candidate index, scoring, ranking and explanations, for
 * one prepared query. Pure computation over the in-memory index (no database, no I/O), so the
 * service, the CLI, the benchmarks and the evaluation all run exactly this code.
 */
import type { CandidateIndex, RetrievalFilter } from './candidate-index.js';
import type { Explanation } from './model.js';
import type { PreparedQuery } from './query.js';
import { ComparisonCache, explain, type ScoredCandidate, scoreCandidate } from './scorer.js';

export interface EngineOptions extends RetrievalFilter {
  threshold: number;
  limit: number;
}

export interface EngineResult {
  id: string;
  datasetId: string;
  score: number;
  match: boolean;
  explanations: Explanation[];
}

export interface EngineAnswer {
  results: EngineResult[];
  /** Candidates scored at or above the threshold (yente's `total`). */
  matches: number;
  candidates: number;
}

/** Screens one query against the index. */
export function screenQuery(
  index: CandidateIndex,
  query: PreparedQuery,
  options: EngineOptions,
): EngineAnswer {
  const docs = index.retrieve(query, options);
  const cache = new ComparisonCache(query, index);
  const scored: ScoredCandidate[] = [];
  for (const doc of docs) scored.push(scoreCandidate(query, doc, index, cache, false));
  scored.sort((a, b) => b.score - a.score || b.nameScore - a.nameScore);
  let matches = 0;
  for (const s of scored) if (s.score >= options.threshold) matches++;
  // Only the results shown get features, notes and explanations.
  const shown = scored.slice(0, options.limit).map((s) => scoreCandidate(query, s.doc, index, cache, true));
  const results = shown.map((s) => ({
    id: index.docIds[s.doc]!,
    datasetId: index.docDatasetId(s.doc),
    score: s.score,
    match: s.score >= options.threshold,
    explanations: explain(query, s, index, cache),
  }));
  return { results, matches, candidates: docs.length };
}
