/**
 * The registry's API shapes, derived from the server's Zod schemas (`src/registry/model.ts`) so a change
 * on one side is a type error on the other. Only types cross over: nothing server-side is bundled.
 */
import type {
  CreateDatasetRequest,
  Dataset,
  Entity,
  EntityDetail,
  ImportSummary,
  ListEntitiesQuery,
  NameGroup,
  Reject,
  Related,
  UpdateEntityRequest,
} from '../../../src/registry/model.js';

export type {
  CreateDatasetRequest,
  Dataset,
  Entity,
  EntityDetail,
  ImportSummary,
  NameGroup,
  Reject,
  Related,
  UpdateEntityRequest,
};
export type EntitiesQuery = Partial<Omit<ListEntitiesQuery, 'limit'>> & { limit?: number };
