/** HTTP routes of cross-referencing: validate, authorize, call the services. */
import { Readable } from 'node:stream';
import { z } from 'zod';
import { ADMIN, STAFF } from '../platform/http/access-rules.js';
import type { App } from '../platform/http/app.js';
import type { DecisionService } from './decisions.js';
import {
  clusterViewSchema,
  decideRequestSchema,
  decideResponseSchema,
  decisionViewSchema,
  splitRequestSchema,
} from './model.js';

const REVIEW = { roles: STAFF } as const;
const idParams = z.object({ id: z.string().min(1).max(512) }).strict();

export function xrefRoutes(services: { decisions: DecisionService }) {
  const { decisions } = services;
  return async (app: App) => {
    app.post(
      '/api/xref/decisions',
      {
        config: { access: REVIEW },
        schema: {
          tags: ['xref'],
          description:
            'Judges two entities (or clusters): positive (same), negative (different) or unsure. A positive merges their clusters; every decision is audited and can be undone by its author.',
          body: decideRequestSchema,
          response: { 200: decideResponseSchema },
        },
      },
      async (request) => {
        const outcome = await decisions.decide(request.principal!, request.body);
        return outcome.applied
          ? { applied: true, edge: outcome.edge.id, left: outcome.left, right: outcome.right }
          : { applied: false, edge: null, left: request.body.left, right: request.body.right };
      },
    );

    app.post(
      '/api/xref/decisions/:id/undo',
      {
        config: { access: REVIEW },
        schema: {
          tags: ['xref'],
          description: 'Undoes one of your own decisions; what it replaced is put back.',
          params: z.object({ id: z.coerce.number().int().positive() }).strict(),
          response: { 200: z.object({ restored: z.number() }) },
        },
      },
      async (request) => decisions.undo(request.principal!, request.params.id),
    );

    app.get(
      '/api/xref/decisions',
      {
        config: { access: REVIEW },
        schema: {
          tags: ['xref'],
          description: 'Recent decisions (yours with mine=true), newest first; only pairs you may see.',
          querystring: z
            .object({
              mine: z
                .enum(['true', 'false'])
                .default('true')
                .transform((v) => v === 'true'),
              limit: z.coerce.number().int().min(1).max(200).default(20),
            })
            .strict(),
          response: { 200: z.object({ items: z.array(decisionViewSchema) }) },
        },
      },
      async (request) => ({ items: await decisions.recent(request.principal!, request.query) }),
    );

    app.get(
      '/api/xref/clusters/:id',
      {
        config: { access: REVIEW },
        schema: {
          tags: ['xref'],
          description:
            'A cluster (or the cluster of an entity): members you may see, decisions between them, lineage. A merged or split id names its current cluster in `current`.',
          params: idParams,
          response: { 200: z.object({ cluster: clusterViewSchema }) },
        },
      },
      async (request) => ({ cluster: await decisions.clusterView(request.principal!, request.params.id) }),
    );

    app.post(
      '/api/xref/clusters/:id/split',
      {
        config: { access: REVIEW },
        schema: {
          tags: ['xref'],
          description:
            'Takes one member out of a cluster, with a reason. The rest stays together under a new id (lineage kept).',
          params: idParams,
          body: splitRequestSchema,
          response: { 200: z.object({ cluster: z.string().nullable(), edge: z.number() }) },
        },
      },
      async (request) =>
        decisions.split(request.principal!, request.params.id, request.body.entityId, request.body.reason),
    );

    app.get(
      '/api/xref/judgements.ijson',
      {
        config: { access: { roles: ADMIN } },
        schema: {
          tags: ['xref'],
          description:
            "Every live decision as JSON lines in nomenklatura's resolver format ([target, source, judgement, score, user, created_at]).",
        },
      },
      async (request, reply) =>
        reply
          .header('content-type', 'application/x-ndjson; charset=utf-8')
          .header('content-disposition', 'attachment; filename="judgements.ijson"')
          .send(Readable.from(decisions.exportLines(request.principal!))),
    );
  };
}
