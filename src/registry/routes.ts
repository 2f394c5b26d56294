/** HTTP routes of the registry: validate, authorize, call the service. */
import { Readable } from 'node:stream';
import { z } from 'zod';
import { AppError } from '../platform/errors.js';
import type { App } from '../platform/http/app.js';
import type { Reject } from './model.js';
import {
  createDatasetRequestSchema,
  createEntityRequestSchema,
  datasetSchema,
  entityDetailSchema,
  entityIdSchema,
  entitySchema,
  importSummarySchema,
  listEntitiesQuerySchema,
  listEntitiesResponseSchema,
  rejectSchema,
  updateEntityRequestSchema,
} from './model.js';
import type { RegistryService } from './service.js';

const STAFF_READ = {
  roles: ['admin', 'analyst', 'reviewer'],
  scopes: ['registry:read'],
  personalData: true,
} as const;
// Dataset descriptions hold no personal data: API keys need no stated purpose to list them.
const DATASET_READ = { roles: ['admin', 'analyst', 'reviewer'], scopes: ['registry:read'] } as const;
const EDITORS = { roles: ['admin', 'analyst'] } as const;
const datasetParams = z.object({ id: z.string().min(1).max(200) }).strict();
const entityParams = z.object({ id: entityIdSchema }).strict();
const NDJSON = 'application/x-ndjson';
const MAX_REJECTS_IN_RESPONSE = 100;

export function registryRoutes(registry: RegistryService) {
  return async (root: App) => {
    // A child scope, so the streaming NDJSON parser applies to these routes only.
    await root.register(async (app: App) => {
      app.addContentTypeParser(NDJSON, (_request, payload, done) => done(null, payload));

      app.get(
        '/api/datasets',
        {
          config: { access: DATASET_READ },
          schema: { tags: ['registry'], response: { 200: z.object({ items: z.array(datasetSchema) }) } },
        },
        async (request) => ({ items: await registry.listDatasetsFor(request.principal!) }),
      );

      app.post(
        '/api/datasets',
        {
          config: { access: EDITORS },
          schema: {
            tags: ['registry'],
            body: createDatasetRequestSchema,
            response: { 200: z.object({ dataset: datasetSchema }) },
          },
        },
        async (request) => ({ dataset: await registry.createDataset(request.principal!, request.body) }),
      );

      app.get(
        '/api/datasets/:id',
        {
          config: { access: DATASET_READ },
          schema: {
            tags: ['registry'],
            params: datasetParams,
            response: { 200: z.object({ dataset: datasetSchema }) },
          },
        },
        async (request) => ({ dataset: await registry.getDataset(request.principal!, request.params.id) }),
      );

      app.post(
        '/api/datasets/:id/import',
        {
          config: { access: EDITORS },
          bodyLimit: 1024 * 1024 * 1024 * 1024,
          schema: {
            tags: ['registry'],
            description: `Streamed FtM JSON lines (content-type ${NDJSON}). Answers the summary and the first ${MAX_REJECTS_IN_RESPONSE} rejects.`,
            params: datasetParams,
            response: {
              200: z.object({ summary: importSummarySchema, rejects: z.array(rejectSchema) }),
            },
          },
        },
        async (request) => {
          const type = String(request.headers['content-type'] ?? '')
            .split(';')[0]!
            .trim();
          if (type !== NDJSON)
            throw new AppError('SVD_HTTP_UNSUPPORTED_MEDIA', {
              message: `Send FtM JSON lines with content-type ${NDJSON}.`,
            });
          const dataset = await registry.getDataset(request.principal!, request.params.id);
          const rejects: Reject[] = [];
          const body = request.body as Readable;
          const summary = await registry.importStream(request.principal!, dataset.id, body, {
            fileName: 'http upload',
            onReject: (reject) => {
              if (rejects.length < MAX_REJECTS_IN_RESPONSE) rejects.push(reject);
            },
          });
          return { summary, rejects };
        },
      );

      app.get(
        '/api/datasets/:id/export',
        {
          config: { access: STAFF_READ },
          schema: {
            tags: ['registry'],
            description: `Streams the dataset as FtM JSON lines (${NDJSON}).`,
            params: datasetParams,
          },
        },
        async (request, reply) => {
          const dataset = await registry.getDataset(request.principal!, request.params.id);
          const lines = registry.exportLines(request.principal!, dataset.id);
          // Pull the first page before answering so a refusal still gets a coded error, not a broken stream.
          const first = await lines.next();
          async function* all() {
            if (!first.done) yield first.value;
            yield* lines;
          }
          return reply
            .type(`${NDJSON}; charset=utf-8`)
            .header('content-disposition', `attachment; filename="${dataset.name}.ftm.jsonl"`)
            .send(Readable.from(all()));
        },
      );

      app.get(
        '/api/entities',
        {
          config: { access: STAFF_READ },
          schema: {
            tags: ['registry'],
            querystring: listEntitiesQuerySchema,
            response: { 200: listEntitiesResponseSchema },
          },
        },
        async (request) => registry.listEntities(request.principal!, request.query),
      );

      app.post(
        '/api/entities',
        {
          config: { access: EDITORS },
          schema: {
            tags: ['registry'],
            body: createEntityRequestSchema,
            response: { 200: z.object({ entity: entitySchema }) },
          },
        },
        async (request) => ({ entity: await registry.createEntity(request.principal!, request.body) }),
      );

      app.get(
        '/api/entities/:id',
        {
          config: { access: STAFF_READ },
          schema: { tags: ['registry'], params: entityParams, response: { 200: entityDetailSchema } },
        },
        async (request) => registry.getEntityDetail(request.principal!, request.params.id),
      );

      app.patch(
        '/api/entities/:id',
        {
          config: { access: EDITORS },
          schema: {
            tags: ['registry'],
            params: entityParams,
            body: updateEntityRequestSchema,
            response: { 200: z.object({ entity: entitySchema }) },
          },
        },
        async (request) => ({
          entity: await registry.updateEntity(request.principal!, request.params.id, request.body),
        }),
      );

      app.delete(
        '/api/entities/:id',
        {
          config: { access: EDITORS },
          schema: { tags: ['registry'], params: entityParams },
        },
        async (request, reply) => {
          await registry.deleteEntity(request.principal!, request.params.id);
          return reply.status(204).send();
        },
      );
    });
  };
}
