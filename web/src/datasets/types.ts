/**
 * The datasets area's API shapes, derived from the server's Zod schemas (`src/datasets/model.ts`).
 * Only types cross over: nothing server-side is bundled.
 */
export type {
  MappingProblem,
  PreviewEntity,
  PreviewResponse,
  Provenance,
  RowReject,
  Run,
  RunDetail,
} from '../../../src/datasets/model.js';
