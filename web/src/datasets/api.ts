/** Typed calls to the datasets API (mapped imports), on top of the app's one JSON client. */
import { id, request } from '../api/client.js';
import type { MappingProblem, PreviewResponse, Provenance, Run, RunDetail } from './types.js';

export const datasetsApi = {
  validate: (datasetId: string, mapping: string) =>
    request<{ problems: MappingProblem[] }>('POST', `/api/datasets/${id(datasetId)}/mapping/validate`, {
      mapping,
    }),
  preview: (datasetId: string, input: { mapping: string; evidenceItemId?: string | undefined }) =>
    request<PreviewResponse>('POST', `/api/datasets/${id(datasetId)}/mapping/preview`, {
      ...input,
      limit: 50,
    }),
  startRun: (
    datasetId: string,
    input: { mapping: string; mappingName?: string; evidenceItemId?: string | undefined },
  ) => request<{ run: Run }>('POST', `/api/datasets/${id(datasetId)}/mapping/runs`, input),
  runs: (datasetId: string) =>
    request<{ items: Run[] }>('GET', `/api/datasets/${id(datasetId)}/mapping/runs`),
  run: (runId: string) => request<{ run: RunDetail }>('GET', `/api/mapping-runs/${id(runId)}`),
  provenance: (entityId: string) =>
    request<{ provenance: Provenance | null }>('GET', `/api/entities/${id(entityId)}/provenance`),
};
