/** HTTP routes of incidents (thin: validate, authorize, call the service). Paths stay under /api/evidence. */
import { z } from 'zod';
import { classifyRequestSchema } from '../evidence/model.js';
import type { Principal } from '../platform/auth/model.js';
import { STAFF } from '../platform/http/access-rules.js';
import type { App } from '../platform/http/app.js';
import type { IncidentLinks } from './links.js';
import {
  addPersonRequestSchema,
  incidentInputSchema,
  incidentSchema,
  incidentUpdateSchema,
  linkItemRequestSchema,
  listIncidentsQuerySchema,
  setLinkRoleRequestSchema,
} from './model.js';
import type { IncidentsService } from './service.js';

const idParams = z.object({ id: z.string().uuid() }).strict();
const linkParams = z.object({ id: z.string().uuid(), itemId: z.string().uuid() }).strict();
const principalOf = (request: { principal: Principal | null }) => request.principal!;
const staff = { access: { roles: STAFF } };

export function incidentRoutes(service: IncidentsService, links: IncidentLinks) {
  return async (app: App) => {
    app.get(
      '/api/evidence/incidents',
      {
        config: staff,
        schema: {
          tags: ['evidence'],
          querystring: listIncidentsQuerySchema,
          response: {
            200: z.object({
              items: z.array(
                incidentSchema.omit({ items: true, persons: true }).extend({ itemCount: z.number() }),
              ),
              next: z.string().nullable(),
            }),
          },
        },
      },
      async (request) => service.listIncidents(principalOf(request), request.query),
    );
    app.post(
      '/api/evidence/incidents',
      {
        config: staff,
        schema: { tags: ['evidence'], body: incidentInputSchema, response: { 200: incidentSchema } },
      },
      async (request) => service.createIncident(principalOf(request), request.body),
    );
    app.get(
      '/api/evidence/incidents/:id',
      {
        config: staff,
        schema: { tags: ['evidence'], params: idParams, response: { 200: incidentSchema } },
      },
      async (request) => service.readIncident(principalOf(request), request.params.id),
    );
    app.patch(
      '/api/evidence/incidents/:id',
      {
        config: staff,
        schema: {
          tags: ['evidence'],
          params: idParams,
          body: incidentUpdateSchema,
          response: { 200: incidentSchema },
        },
      },
      async (request) => service.updateIncident(principalOf(request), request.params.id, request.body),
    );
    app.post(
      '/api/evidence/incidents/:id/items',
      {
        config: staff,
        schema: {
          tags: ['evidence'],
          params: idParams,
          body: linkItemRequestSchema,
          response: { 200: incidentSchema },
        },
      },
      async (request) => {
        await links.linkItem(principalOf(request), request.params.id, request.body.itemId, request.body.role);
        return service.incident(principalOf(request), request.params.id);
      },
    );
    app.delete(
      '/api/evidence/incidents/:id/items/:itemId',
      {
        config: staff,
        schema: { tags: ['evidence'], params: linkParams, response: { 200: incidentSchema } },
      },
      async (request) => {
        await links.unlinkItem(principalOf(request), request.params.id, request.params.itemId);
        return service.incident(principalOf(request), request.params.id);
      },
    );
    app.patch(
      '/api/evidence/incidents/:id/items/:itemId',
      {
        config: staff,
        schema: {
          tags: ['evidence'],
          params: linkParams,
          body: setLinkRoleRequestSchema,
          response: { 200: incidentSchema },
        },
      },
      async (request) => {
        await links.setLinkRole(
          principalOf(request),
          request.params.id,
          request.params.itemId,
          request.body.role,
        );
        return service.incident(principalOf(request), request.params.id);
      },
    );
    app.delete(
      '/api/evidence/incidents/:id/persons/:personId',
      {
        config: staff,
        schema: {
          tags: ['evidence'],
          params: z.object({ id: z.string().uuid(), personId: z.string().uuid() }).strict(),
          response: { 200: incidentSchema },
        },
      },
      async (request) => {
        await links.removePerson(principalOf(request), request.params.id, request.params.personId);
        return service.incident(principalOf(request), request.params.id);
      },
    );
    app.post(
      '/api/evidence/incidents/:id/persons',
      {
        config: staff,
        schema: {
          tags: ['evidence'],
          params: idParams,
          body: addPersonRequestSchema,
          response: { 200: incidentSchema },
        },
      },
      async (request) => {
        await links.addPerson(principalOf(request), request.params.id, request.body);
        return service.incident(principalOf(request), request.params.id);
      },
    );
    app.post(
      '/api/evidence/incidents/:id/classify',
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
        codes: await service.classifyIncident(
          principalOf(request),
          request.params.id,
          request.body.add,
          request.body.remove,
        ),
      }),
    );
  };
}
