/** Typed calls to the registry API, on top of the app's one JSON client (same-origin, CSRF token, coded errors). */
import { id, query, request } from '../api/client.js';
import type {
  CreateDatasetRequest,
  Dataset,
  EntitiesQuery,
  Entity,
  EntityDetail,
  UpdateEntityRequest,
} from './types.js';

/** The URL that downloads a dataset as FtM JSON lines (a plain same-origin link with the session cookie). */
export const exportUrl = (datasetId: string) => `/api/datasets/${id(datasetId)}/export`;

export const registryApi = {
  datasets: () => request<{ items: Dataset[] }>('GET', '/api/datasets'),
  createDataset: (input: CreateDatasetRequest) =>
    request<{ dataset: Dataset }>('POST', '/api/datasets', input),
  entities: (filters: EntitiesQuery) =>
    request<{ items: Entity[]; nextCursor: string | null }>(
      'GET',
      `/api/entities${query(filters as Record<string, string | number | undefined>)}`,
    ),
  entity: (entityId: string) => request<EntityDetail>('GET', `/api/entities/${id(entityId)}`),
  updateEntity: (entityId: string, input: UpdateEntityRequest) =>
    request<{ entity: Entity }>('PATCH', `/api/entities/${id(entityId)}`, input),
};
