/** HTTP routes of the vault's catalogue: collections (compartments) and the taxonomy. */
import { z } from 'zod';
import type { Principal } from '../../platform/auth/model.js';
import { ADMIN, STAFF } from '../../platform/http/access-rules.js';
import type { App } from '../../platform/http/app.js';
import type { Compartments } from '../compartments.js';
import {
  addTaxonomyCodeRequestSchema,
  collectionSchema,
  createCollectionRequestSchema,
  taxonomyCodeSchema,
} from '../model.js';
import type { Taxonomy } from '../taxonomy.js';

const principalOf = (request: { principal: Principal | null }) => request.principal!;

export function catalogueRoutes(compartments: Compartments, taxonomy: Taxonomy) {
  return async (app: App) => {
    app.get(
      '/api/evidence/collections',
      {
        config: { access: { roles: STAFF } },
        schema: { tags: ['evidence'], response: { 200: z.object({ items: z.array(collectionSchema) }) } },
      },
      async (request) => ({ items: await compartments.listCollections(principalOf(request)) }),
    );
    app.post(
      '/api/evidence/collections',
      {
        config: { access: { roles: ADMIN } },
        schema: {
          tags: ['evidence'],
          body: createCollectionRequestSchema,
          response: { 200: collectionSchema },
        },
      },
      async (request) => compartments.createCollection(principalOf(request), request.body),
    );
    app.get(
      '/api/evidence/taxonomy',
      {
        config: { access: { roles: STAFF } },
        schema: { tags: ['evidence'], response: { 200: z.object({ codes: z.array(taxonomyCodeSchema) }) } },
      },
      async () => ({ codes: await taxonomy.taxonomy() }),
    );
    app.post(
      '/api/evidence/taxonomy',
      {
        config: { access: { roles: ADMIN } },
        schema: {
          tags: ['evidence'],
          body: addTaxonomyCodeRequestSchema,
          response: { 200: taxonomyCodeSchema },
        },
      },
      async (request) => taxonomy.addCode(principalOf(request), request.body),
    );
    app.post(
      '/api/evidence/taxonomy/:code/deprecate',
      {
        config: { access: { roles: ADMIN } },
        schema: {
          tags: ['evidence'],
          params: z.object({ code: z.string().max(100) }).strict(),
          body: z.object({}).strict().optional(),
        },
      },
      async (request, reply) => {
        await taxonomy.deprecateCode(principalOf(request), request.params.code);
        return reply.status(204).send();
      },
    );
  };
}
