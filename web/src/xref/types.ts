/**
 * Cross-referencing API shapes, derived from the server's Zod schemas (`src/xref/model.ts`): only types
 * cross over, nothing server-side is bundled.
 */
import type {
  ClusterView,
  CompareSide,
  Comparison,
  DecisionView,
  EntitySummary,
  Judgement,
  MergedEntity,
  NameForm,
  Pair,
  RunViewDto,
} from '../../../src/xref/model.js';

export type {
  ClusterView,
  CompareSide,
  Comparison,
  DecisionView,
  EntitySummary,
  Judgement,
  MergedEntity,
  NameForm,
  Pair,
};
export type RunView = RunViewDto;

export interface QueueFilters {
  dataset?: string;
  minScore?: number;
  maxScore?: number;
  schema?: string;
  undecided?: boolean;
  order?: 'score' | 'random';
}
