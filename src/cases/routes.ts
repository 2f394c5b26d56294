/**
 * HTTP routes of verification cases. Partners (API keys with scope `verification`, `X-Purpose` required)
 * file requests, follow their own organization's cases and download released reports; staff do the
 * rest. Authorization of each case happens in the service (not found = forbidden, audited).
 */
import { z } from 'zod';
import type { Principal } from '../platform/auth/model.js';
import { ADMIN, STAFF } from '../platform/http/access-rules.js';
import type { App } from '../platform/http/app.js';
import { reportVerificationSchema } from '../platform/reports/model.js';
import { reviewDecisionRequestSchema, reviewStatusSchema } from '../platform/review/model.js';
import type { ReviewService } from '../platform/review/service.js';
import {
  caseDetailSchema,
  caseSummarySchema,
  citedEvidenceSchema,
  createCaseRequestSchema,
  findingsSchema,
  listCasesQuerySchema,
  partnerCaseSchema,
} from './model.js';
import type { CaseReporting } from './reporting.js';
import type { CaseRetention } from './retention.js';
import type { CaseService } from './service.js';
import type { CaseWork } from './work.js';

/** The services the routes call. */
export interface CasesApi {
  service: CaseService;
  work: CaseWork;
  reporting: CaseReporting;
  retention: CaseRetention;
  review: ReviewService;
}

const idParams = z.object({ id: z.string().max(100) });
const partnerOrStaff = { roles: STAFF, scopes: ['verification'] as const, personalData: true };
const okSchema = z.object({ ok: z.literal(true) });
const caseAnswer = z.union([caseDetailSchema, partnerCaseSchema]);

export function casesRoutes(cases: CasesApi) {
  return async (root: App) => {
    root.post(
      '/api/cases',
      {
        config: { access: partnerOrStaff },
        schema: {
          tags: ['cases'],
          description:
            'Files a verification request. A partner key’s organization is the requester; staff name it. Subject data is encrypted under a per-case key.',
          body: createCaseRequestSchema,
          response: { 201: caseAnswer },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await cases.service.create(request.principal!, request.body)),
    );

    root.get(
      '/api/cases',
      {
        config: { access: partnerOrStaff },
        schema: {
          tags: ['cases'],
          description: 'Cases the caller may see (partners: their organization’s), newest first.',
          querystring: listCasesQuerySchema,
          response: { 200: z.object({ cases: z.array(caseSummarySchema) }) },
        },
      },
      async (request) => ({ cases: await cases.service.list(request.principal!, request.query) }),
    );

    root.get(
      '/api/cases/:id',
      {
        config: { access: partnerOrStaff },
        schema: { tags: ['cases'], params: idParams, response: { 200: caseAnswer } },
      },
      async (request) => cases.service.get(request.principal!, request.params.id),
    );

    root.get(
      '/api/cases/:id/history',
      {
        config: { access: { roles: STAFF } },
        schema: { tags: ['cases'], params: idParams },
      },
      async (request) => cases.service.history(request.principal!, request.params.id),
    );

    root.get(
      '/api/cases/:id/evidence',
      {
        config: { access: { roles: STAFF, personalData: true } },
        schema: {
          tags: ['cases'],
          params: idParams,
          response: { 200: z.object({ items: z.array(citedEvidenceSchema) }) },
        },
      },
      async (request) => ({
        items: await cases.reporting.citedEvidence(request.principal!, request.params.id),
      }),
    );

    const step = <Body extends z.ZodTypeAny = z.ZodNever>(
      path: string,
      description: string,
      body: Body | null,
      run: (principal: Principal, id: string, body: z.infer<Body>) => Promise<unknown>,
      roles = STAFF,
    ) =>
      root.post(
        `/api/cases/:id/${path}`,
        {
          config: { access: { roles } },
          schema: { tags: ['cases'], description, params: idParams, ...(body ? { body } : {}) },
        },
        async (request) =>
          (await run(request.principal!, request.params.id, request.body as z.infer<Body>)) ?? { ok: true },
      );

    step('accept', 'received → accepted', null, (p, id) => cases.service.accept(p, id));
    step(
      'decline',
      'received | accepted → declined (reason required)',
      z.object({ reason: z.string().max(2000) }).strict(),
      (p, id, b) => cases.service.decline(p, id, b.reason),
    );
    step(
      'assign',
      'Assigns the case (userId null unassigns).',
      z.object({ userId: z.string().uuid().nullable() }).strict(),
      (p, id, b) => cases.service.assign(p, id, b.userId),
    );
    step(
      'screen',
      'Screens the subject now and snapshots the results; answers what changed.',
      null,
      (p, id) => cases.work.screen(p, id),
    );
    step('submit', 'in progress → in review (findings complete, every hit reviewed).', null, (p, id) =>
      cases.work.submit(p, id),
    );
    step(
      'approve',
      'Four-eyes approval of the content the reviewer read (contentHash); releases the case and issues the released report. Authors and editors are refused.',
      reviewDecisionRequestSchema,
      async (p, id, b) => {
        const status = await cases.work.approve(p, id, b);
        if (status.approved) await cases.reporting.issue(p, id, { draft: false });
        return status;
      },
    );
    step(
      'return',
      'Returns the case to the analyst with a comment (required).',
      reviewDecisionRequestSchema,
      (p, id, b) => cases.work.returnForChanges(p, id, b),
    );
    step('close', 'released → closed (the retention period starts).', null, (p, id) =>
      cases.service.close(p, id),
    );
    step(
      'legal-hold',
      'Sets or lifts a legal hold (administrators).',
      z.object({ hold: z.boolean() }).strict(),
      (p, id, b) => cases.service.setLegalHold(p, id, b.hold),
      ADMIN,
    );
    step(
      'erase',
      'Erases the subject data now (administrators; refused under a legal hold).',
      null,
      (p, id) => cases.retention.erase(p, id, 'order'),
      ADMIN,
    );

    root.put(
      '/api/cases/:id/findings',
      {
        config: { access: { roles: STAFF } },
        schema: {
          tags: ['cases'],
          params: idParams,
          body: findingsSchema,
          response: { 200: z.object({ contentHash: z.string() }) },
        },
      },
      async (request) => cases.work.updateFindings(request.principal!, request.params.id, request.body),
    );

    root.post(
      '/api/cases/:id/hits/:hitId',
      {
        config: { access: { roles: STAFF } },
        schema: {
          tags: ['cases'],
          params: z.object({ id: z.string().max(100), hitId: z.string().uuid() }),
          body: z
            .object({
              review: z.enum(['confirmed', 'dismissed', 'unsure']),
              reason: z.string().max(5000).optional(),
            })
            .strict(),
          response: { 200: okSchema },
        },
      },
      async (request) => {
        await cases.work.reviewHit(request.principal!, request.params.id, request.params.hitId, request.body);
        return { ok: true as const };
      },
    );

    root.get(
      '/api/cases/:id/review',
      {
        config: { access: { roles: STAFF } },
        schema: { tags: ['cases'], params: idParams, response: { 200: reviewStatusSchema } },
      },
      async (request) => {
        await cases.service.get(request.principal!, request.params.id, { recordRead: false });
        return cases.review.status({ type: 'case', id: request.params.id });
      },
    );

    root.post(
      '/api/cases/:id/reports',
      {
        config: { access: { roles: STAFF } },
        schema: {
          tags: ['cases'],
          description:
            'Issues a report: a watermarked draft, or (draft=false) the released report of approved content. Answers the PDF.',
          params: idParams,
          body: z
            .object({ draft: z.boolean().default(true), language: z.enum(['be', 'ru', 'en']).default('be') })
            .strict(),
        },
      },
      async (request, reply) => {
        const issued = await cases.reporting.issue(request.principal!, request.params.id, request.body);
        return reply
          .type('application/pdf')
          .header('content-disposition', `attachment; filename="report-v${issued.report.version}.pdf"`)
          .header('x-report-version', String(issued.report.version))
          .header('x-verification-code', issued.report.verificationCode)
          .send(issued.pdf);
      },
    );

    root.get(
      '/api/cases/:id/report.:format',
      {
        config: { access: partnerOrStaff },
        schema: {
          tags: ['cases'],
          description:
            'The latest released report exactly as issued (PDF or its JSON twin), or `?report=ID`. Partners never receive drafts. Every delivery is logged.',
          params: z.object({ id: z.string().max(100), format: z.enum(['pdf', 'json']) }),
          querystring: z.object({ report: z.string().uuid().optional() }),
        },
      },
      async (request, reply) => {
        const found = await cases.reporting.download(
          request.principal!,
          request.params.id,
          request.query.report,
        );
        const pdf = request.params.format === 'pdf';
        return reply
          .type(pdf ? 'application/pdf' : 'application/json')
          .header(
            'content-disposition',
            `attachment; filename="report-v${found.report.version}.${request.params.format}"`,
          )
          .header('x-verification-code', found.report.verificationCode)
          .send(pdf ? found.pdf : found.json);
      },
    );

    await root.register(async (app: App) => {
      app.addContentTypeParser(
        ['application/pdf', 'application/octet-stream'],
        { parseAs: 'buffer' },
        (_r, body, done) => done(null, body),
      );
      app.post(
        '/api/cases/verify-report',
        {
          config: { access: partnerOrStaff },
          bodyLimit: 50 * 1024 * 1024,
          schema: {
            tags: ['cases'],
            description:
              'Tells whether the uploaded file (PDF or JSON twin, sent as the raw body) is an unaltered report we issued.',
            response: {
              200: reportVerificationSchema.extend({
                caseNumber: z.string().nullable(),
                caseErased: z.boolean().nullable(),
              }),
            },
          },
        },
        async (request) => {
          const body = request.body;
          const bytes = Buffer.isBuffer(body)
            ? body
            : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body ?? ''));
          return cases.reporting.verify(request.principal!, bytes);
        },
      );
    });
  };
}
