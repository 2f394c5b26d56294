/** HTTP routes of the datasets area (mapped imports): validate, authorize, call the service. */
import { z } from 'zod';
import type { App } from '../platform/http/app.js';
import {
  mappingProblemSchema,
  previewRequestSchema,
  previewResponseSchema,
  provenanceSchema,
  runDetailSchema,
  runSchema,
  startRunRequestSchema,
} from './model.js';
import type { DatasetsService } from './service.js';

// Mapping seized data is analysts' work; reviewers and partners see the results through the registry.
const EDITORS = { roles: ['admin', 'analyst'] } as const;
const STAFF_READ = { roles: ['admin', 'analyst', 'reviewer'], personalData: true } as const;
const datasetParams = z.object({ id: z.string().min(1).max(200) }).strict();

export function datasetsRoutes(service: DatasetsService) {
  return async (app: App) => {
    app.post(
      '/api/datasets/:id/mapping/validate',
      {
        config: { access: EDITORS },
        schema: {
          tags: ['datasets'],
          params: datasetParams,
          body: z.object({ mapping: z.string().max(1_000_000) }).strict(),
          response: { 200: z.object({ problems: z.array(mappingProblemSchema) }) },
        },
      },
      async (request) => {
        const result = service.validateMapping(request.body.mapping);
        return { problems: 'problems' in result ? result.problems : [] };
      },
    );

    app.post(
      '/api/datasets/:id/mapping/preview',
      {
        config: { access: EDITORS },
        schema: {
          tags: ['datasets'],
          params: datasetParams,
          body: previewRequestSchema,
          response: { 200: previewResponseSchema },
        },
      },
      async (request) => service.preview(request.principal!, request.params.id, request.body),
    );

    app.post(
      '/api/datasets/:id/mapping/runs',
      {
        config: { access: EDITORS },
        schema: {
          tags: ['datasets'],
          params: datasetParams,
          body: startRunRequestSchema,
          response: { 200: z.object({ run: runSchema }) },
        },
      },
      async (request) => ({
        run: await service.queueRun(request.principal!, request.params.id, request.body),
      }),
    );

    app.get(
      '/api/datasets/:id/mapping/runs',
      {
        config: { access: STAFF_READ },
        schema: {
          tags: ['datasets'],
          params: datasetParams,
          response: { 200: z.object({ items: z.array(runSchema) }) },
        },
      },
      async (request) => ({ items: await service.listRuns(request.principal!, request.params.id) }),
    );

    app.get(
      '/api/mapping-runs/:runId',
      {
        config: { access: STAFF_READ },
        schema: {
          tags: ['datasets'],
          params: z.object({ runId: z.string().uuid() }).strict(),
          response: { 200: z.object({ run: runDetailSchema }) },
        },
      },
      async (request) => ({ run: await service.getRun(request.principal!, request.params.runId) }),
    );

    app.get(
      '/api/entities/:id/provenance',
      {
        config: { access: STAFF_READ },
        schema: {
          tags: ['datasets'],
          params: z.object({ id: z.string().min(1).max(200) }).strict(),
          response: { 200: z.object({ provenance: provenanceSchema.nullable() }) },
        },
      },
      async (request) => ({ provenance: await service.provenance(request.principal!, request.params.id) }),
    );
  };
}
