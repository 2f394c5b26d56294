/** HTTP routes of evidence items: list, status, detail, custody, original and working copies, changes. */
import { z } from 'zod';
import type { Principal } from '../../platform/auth/model.js';
import { ADMIN, STAFF } from '../../platform/http/access-rules.js';
import type { App } from '../../platform/http/app.js';
import type { Compartments } from '../compartments.js';
import type { Items } from '../items.js';
import {
  classifyRequestSchema,
  custodyEventSchema,
  itemDetailSchema,
  itemStatusSchema,
  itemSummarySchema,
  listItemsQuerySchema,
  moveItemRequestSchema,
  setVerificationRequestSchema,
  verifyReportSchema,
} from '../model.js';
import type { VaultVerifier } from '../verify.js';

const idParams = z.object({ id: z.string().uuid() }).strict();
const empty = z.object({}).strict().optional();
const principalOf = (request: { principal: Principal | null }) => request.principal!;
const staff = { access: { roles: STAFF } };

export function itemRoutes(items: Items, compartments: Compartments, verifier: VaultVerifier) {
  return async (app: App) => {
    app.get(
      '/api/evidence/items',
      {
        config: staff,
        schema: {
          tags: ['evidence'],
          querystring: listItemsQuerySchema,
          response: {
            200: z.object({
              items: z.array(itemSummarySchema),
              next: z.string().nullable(),
              total: z.number(),
            }),
          },
        },
      },
      async (request) => items.list(principalOf(request), request.query),
    );
    app.get(
      '/api/evidence/items/:id/status',
      {
        config: staff,
        schema: { tags: ['evidence'], params: idParams, response: { 200: itemStatusSchema } },
      },
      async (request) => items.status(principalOf(request), request.params.id),
    );
    app.post(
      '/api/evidence/items/:id/collection',
      {
        config: { access: { roles: ADMIN } },
        schema: { tags: ['evidence'], params: idParams, body: moveItemRequestSchema },
      },
      async (request, reply) => {
        await compartments.moveItem(
          principalOf(request),
          request.params.id,
          request.body.collectionId,
          request.body.note,
        );
        return reply.status(204).send();
      },
    );
    app.get(
      '/api/evidence/items/:id',
      {
        config: staff,
        schema: { tags: ['evidence'], params: idParams, response: { 200: itemDetailSchema } },
      },
      async (request) => items.show(principalOf(request), request.params.id),
    );
    app.get(
      '/api/evidence/items/:id/custody',
      {
        config: staff,
        schema: {
          tags: ['evidence'],
          params: idParams,
          response: { 200: z.object({ events: z.array(custodyEventSchema) }) },
        },
      },
      async (request) => ({ events: await items.custodyLog(principalOf(request), request.params.id) }),
    );
    app.get(
      '/api/evidence/items/:id/original',
      { config: staff, schema: { tags: ['evidence'], params: idParams } },
      async (request, reply) => {
        const { item, stream } = await items.download(principalOf(request), request.params.id);
        return reply
          .header('content-type', 'application/octet-stream')
          .header('content-disposition', `attachment; filename="${item.sha256}"`)
          .header('content-length', String(item.size))
          .send(stream);
      },
    );
    for (const purpose of ['thumbnail', 'stripped'] as const) {
      app.get(
        `/api/evidence/items/:id/${purpose}`,
        { config: staff, schema: { tags: ['evidence'], params: idParams } },
        async (request, reply) => {
          const { mediaType, stream } = await items.derivative(
            principalOf(request),
            request.params.id,
            purpose,
          );
          return reply
            .header('content-type', mediaType)
            .header('cache-control', 'private, no-store')
            .send(stream);
        },
      );
    }
    app.post(
      '/api/evidence/items/:id/classify',
      {
        config: staff,
        schema: {
          tags: ['evidence'],
          params: idParams,
          body: classifyRequestSchema,
          response: { 200: z.object({ codes: z.array(z.string()) }) },
        },
      },
      async (request) => ({
        codes: await items.classifyItem(
          principalOf(request),
          request.params.id,
          request.body.add,
          request.body.remove,
        ),
      }),
    );
    app.post(
      '/api/evidence/items/:id/verification',
      {
        config: staff,
        schema: { tags: ['evidence'], params: idParams, body: setVerificationRequestSchema },
      },
      async (request, reply) => {
        await items.setVerificationState(
          principalOf(request),
          request.params.id,
          request.body.state,
          request.body.note,
        );
        return reply.status(204).send();
      },
    );
    app.post(
      '/api/evidence/items/:id/verify',
      {
        config: staff,
        schema: { tags: ['evidence'], params: idParams, body: empty, response: { 200: verifyReportSchema } },
      },
      async (request) => verifier.verify(principalOf(request), { itemId: request.params.id }),
    );
  };
}
