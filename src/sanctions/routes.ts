/** HTTP routes of the sanctions area: validate, authorize, call the services. */
import { z } from 'zod';
import type { App } from '../platform/http/app.js';
import { reviewDecisionRequestSchema, reviewStatusSchema } from '../platform/review/model.js';
import type { AlreadyListedService } from './already-listed.js';
import { EXPORT_FORMATS, type ExportService } from './exports/service.js';
import type { ListImportService } from './list-import.js';
import {
  createProposalRequestSchema,
  jurisdictionSchema,
  officialListingSchema,
  officialListSchema,
  proposalContentSchema,
  proposalEventSchema,
  proposalSchema,
  proposalStateSchema,
  transitionRequestSchema,
} from './model.js';
import type { ProposalService } from './proposals.js';

// List descriptions hold no personal data.
const LISTS_READ = { roles: ['admin', 'analyst', 'reviewer'], scopes: ['registry:read'] } as const;
const STAFF_READ = { roles: ['admin', 'analyst', 'reviewer'], personalData: true } as const;
const EDITORS = { roles: ['admin', 'analyst'] } as const;
const REVIEWERS = { roles: ['admin', 'reviewer'] } as const;
const params = z.object({ id: z.string().uuid() }).strict();
const one = z.object({ proposal: proposalSchema });

const EXPORT_FILES: Record<(typeof EXPORT_FORMATS)[number], { type: string; name: string }> = {
  'eu-fsf-xml': { type: 'application/xml', name: 'proposals-eu-fsf.xml' },
  'ofac-sdn-xml': { type: 'application/xml', name: 'proposals-ofac-sdn.xml' },
  'uk-sanctions-list-csv': { type: 'text/csv; charset=utf-8', name: 'proposals-uk-sanctions-list.csv' },
  ftm: { type: 'application/x-ndjson', name: 'proposals.ftm.jsonl' },
  csv: { type: 'text/csv; charset=utf-8', name: 'proposals.csv' },
  'dossier-pdf': { type: 'application/pdf', name: 'proposals.pdf' },
};

export function sanctionsRoutes(services: {
  lists: ListImportService;
  proposals: ProposalService;
  exports: ExportService;
  listed: AlreadyListedService;
}) {
  const { lists, proposals, exports, listed } = services;
  return async (app: App) => {
    app.get(
      '/api/sanctions/lists',
      {
        config: { access: LISTS_READ },
        schema: { tags: ['sanctions'], response: { 200: z.object({ items: z.array(officialListSchema) }) } },
      },
      async (request) => ({ items: await lists.officialLists(request.principal!) }),
    );

    app.get(
      '/api/sanctions/proposals',
      {
        config: { access: STAFF_READ },
        schema: {
          tags: ['sanctions'],
          querystring: z
            .object({
              jurisdiction: jurisdictionSchema.optional(),
              state: proposalStateSchema.optional(),
              entity: z.string().max(200).optional(),
              q: z
                .string()
                .trim()
                .max(300)
                .optional()
                .describe('text in the reference, the person or any name of the proposal'),
            })
            .strict(),
          response: { 200: z.object({ items: z.array(proposalSchema) }) },
        },
      },
      async (request) => ({
        items: await proposals.list(request.principal!, {
          jurisdiction: request.query.jurisdiction,
          state: request.query.state,
          entityId: request.query.entity,
          text: request.query.q,
        }),
      }),
    );

    app.post(
      '/api/sanctions/proposals',
      {
        config: { access: EDITORS },
        schema: { tags: ['sanctions'], body: createProposalRequestSchema, response: { 200: one } },
      },
      async (request) => ({
        proposal: await proposals.create(request.principal!, {
          entityId: request.body.entityId,
          ...(request.body.targets ? { targets: request.body.targets } : {}),
          ...(request.body.content ? { content: request.body.content } : {}),
        }),
      }),
    );

    app.get(
      '/api/sanctions/proposals/:id',
      { config: { access: STAFF_READ }, schema: { tags: ['sanctions'], params, response: { 200: one } } },
      async (request) => ({ proposal: await proposals.get(request.principal!, request.params.id) }),
    );

    app.put(
      '/api/sanctions/proposals/:id',
      {
        config: { access: EDITORS },
        schema: {
          tags: ['sanctions'],
          params,
          body: z.object({ content: proposalContentSchema, expectedHash: z.string().optional() }).strict(),
          response: { 200: one },
        },
      },
      async (request) => ({
        proposal: await proposals.update(request.principal!, request.params.id, request.body),
      }),
    );

    app.post(
      '/api/sanctions/proposals/:id/review-request',
      { config: { access: EDITORS }, schema: { tags: ['sanctions'], params, response: { 200: one } } },
      async (request) => ({
        proposal: await proposals.submitForReview(request.principal!, request.params.id),
      }),
    );

    app.get(
      '/api/sanctions/proposals/:id/review',
      {
        config: { access: STAFF_READ },
        schema: { tags: ['sanctions'], params, response: { 200: z.object({ review: reviewStatusSchema }) } },
      },
      async (request) => ({ review: await proposals.reviewStatus(request.principal!, request.params.id) }),
    );

    app.post(
      '/api/sanctions/proposals/:id/approve',
      {
        config: { access: REVIEWERS },
        schema: { tags: ['sanctions'], params, body: reviewDecisionRequestSchema, response: { 200: one } },
      },
      async (request) => ({
        proposal: await proposals.approve(request.principal!, request.params.id, request.body),
      }),
    );

    app.post(
      '/api/sanctions/proposals/:id/return',
      {
        config: { access: REVIEWERS },
        schema: { tags: ['sanctions'], params, body: reviewDecisionRequestSchema, response: { 200: one } },
      },
      async (request) => ({
        proposal: await proposals.returnForChanges(request.principal!, request.params.id, request.body),
      }),
    );

    app.post(
      '/api/sanctions/proposals/:id/transitions',
      {
        config: { access: EDITORS },
        schema: { tags: ['sanctions'], params, body: transitionRequestSchema, response: { 200: one } },
      },
      async (request) => ({
        proposal: await proposals.transition(request.principal!, request.params.id, request.body),
      }),
    );

    app.get(
      '/api/sanctions/proposals/:id/events',
      {
        config: { access: STAFF_READ },
        schema: {
          tags: ['sanctions'],
          params,
          response: { 200: z.object({ items: z.array(proposalEventSchema) }) },
        },
      },
      async (request) => ({ items: await proposals.events(request.principal!, request.params.id) }),
    );

    app.get(
      '/api/sanctions/proposals/:id/listings',
      {
        config: { access: STAFF_READ },
        schema: {
          tags: ['sanctions'],
          params,
          response: { 200: z.object({ items: z.array(officialListingSchema) }) },
        },
      },
      async (request) => ({ items: await listed.forProposal(request.principal!, request.params.id) }),
    );

    app.get(
      '/api/sanctions/entities/:id/listings',
      {
        config: { access: STAFF_READ },
        schema: {
          tags: ['sanctions'],
          params: z.object({ id: z.string().min(1).max(200) }).strict(),
          response: { 200: z.object({ items: z.array(officialListingSchema) }) },
        },
      },
      async (request) => ({ items: await listed.forEntity(request.principal!, request.params.id) }),
    );

    app.get(
      '/api/sanctions/exports',
      {
        config: { access: STAFF_READ },
        schema: {
          tags: ['sanctions'],
          querystring: z
            .object({
              format: z.enum(EXPORT_FORMATS),
              status: proposalStateSchema.optional(),
              proposal: z.string().uuid().optional(),
            })
            .strict(),
        },
      },
      async (request, reply) => {
        const { format, status, proposal } = request.query;
        const selection = { status, ...(proposal ? { proposalIds: [proposal] } : {}) };
        const file = EXPORT_FILES[format];
        reply
          .header('content-type', file.type)
          .header('content-disposition', `attachment; filename="${file.name}"`);
        if (format === 'dossier-pdf') {
          const issued = await exports.pdf(request.principal!, selection);
          reply.header('x-verification-code', issued.report.verificationCode);
          return reply.send(issued.pdf);
        }
        let body = '';
        for await (const chunk of exports.text(request.principal!, { format, ...selection })) body += chunk;
        return reply.send(body);
      },
    );
  };
}
