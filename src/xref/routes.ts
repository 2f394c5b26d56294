/** HTTP routes of cross-referencing: validate, authorize, call the services. */
import { Readable } from 'node:stream';
import { z } from 'zod';
import { ADMIN, STAFF } from '../platform/http/access-rules.js';
import type { App } from '../platform/http/app.js';
import type { DecisionService } from './decisions.js';
import {
  clusterViewSchema,
  comparisonSchema,
  decideRequestSchema,
  decideResponseSchema,
  decisionViewSchema,
  mergedEntitySchema,
  queueQuerySchema,
  queueResponseSchema,
  runViewSchema,
  settingsRequestSchema,
  splitRequestSchema,
  startRunRequestSchema,
} from './model.js';
import type { ReviewQueue } from './queue.js';
import type { XrefRunService } from './runs.js';

const REVIEW = { roles: STAFF } as const;
const idParams = z.object({ id: z.string().min(1).max(512) }).strict();

const RUNNERS = { roles: ['admin', 'analyst'] } as const;

export function xrefRoutes(services: {
  decisions: DecisionService;
  runs: XrefRunService;
  queue: ReviewQueue;
}) {
  const { decisions, runs, queue } = services;
  return async (app: App) => {
    app.post(
      '/api/xref/runs',
      {
        config: { access: RUNNERS },
        schema: {
          tags: ['xref'],
          description:
            'Cross-references a dataset against others (default: every other dataset you may see) in the background; an unchanged finished run is reused, a changed one compares only what changed.',
          body: startRunRequestSchema,
          response: { 200: z.object({ run: runViewSchema, reused: z.boolean() }) },
        },
      },
      async (request) => {
        const { run, reused } = await runs.start(
          request.principal!,
          {
            dataset: request.body.dataset,
            against: request.body.against,
            ...(request.body.params ? { params: request.body.params } : {}),
          },
          { queue: true },
        );
        return { run: await runs.view(run), reused };
      },
    );

    app.get(
      '/api/xref/runs',
      {
        config: { access: REVIEW },
        schema: {
          tags: ['xref'],
          description: 'Xref runs over datasets you may see, with progress, rate and time left.',
          response: { 200: z.object({ items: z.array(runViewSchema) }) },
        },
      },
      async (request) => ({ items: await runs.list(request.principal!) }),
    );

    app.get(
      '/api/xref/runs/:id',
      {
        config: { access: REVIEW },
        schema: {
          tags: ['xref'],
          params: z.object({ id: z.string().uuid() }).strict(),
          response: { 200: z.object({ run: runViewSchema }) },
        },
      },
      async (request) => ({ run: await runs.get(request.principal!, request.params.id) }),
    );

    app.put(
      '/api/xref/settings/:dataset',
      {
        config: { access: { roles: ADMIN } },
        schema: {
          tags: ['xref'],
          description:
            'Whether rules (identical strong identifier, no conflicting birth date) decide pairs of this dataset automatically. Default: on for unrestricted datasets, off for restricted ones.',
          params: z.object({ dataset: z.string().min(1).max(200) }).strict(),
          body: settingsRequestSchema,
          response: { 200: z.object({ autoRules: z.boolean() }) },
        },
      },
      async (request) => {
        await runs.setAutoRules(request.principal!, request.params.dataset, request.body.autoRules);
        return { autoRules: request.body.autoRules };
      },
    );

    app.get(
      '/api/xref/queue',
      {
        config: { access: REVIEW },
        schema: {
          tags: ['xref'],
          description:
            'Suggested pairs waiting for review, best score first (or random), filtered by dataset pair, score band and schema; only pairs whose both sides you may see.',
          querystring: queueQuerySchema,
          response: { 200: queueResponseSchema },
        },
      },
      async (request) => {
        const q = request.query;
        const [score, id] = q.after ? q.after.split(':').map(Number) : [];
        const page = await queue.page(request.principal!, {
          datasets: q.dataset,
          ...(q.minScore !== undefined ? { minScore: q.minScore } : {}),
          ...(q.maxScore !== undefined ? { maxScore: q.maxScore } : {}),
          ...(q.schema ? { schema: q.schema } : {}),
          undecided: q.undecided,
          order: q.order,
          ...(score !== undefined && id !== undefined ? { after: { score, id } } : {}),
          limit: q.limit,
        });
        const last = page.items[page.items.length - 1];
        return {
          items: await queue.pairs(request.principal!, page.items),
          total: page.total,
          next:
            last && page.items.length === q.limit && q.order === 'score' ? `${last.score}:${last.id}` : null,
        };
      },
    );

    app.get(
      '/api/xref/pairs/:id',
      {
        config: { access: { ...REVIEW, personalData: true } },
        schema: {
          tags: ['xref'],
          description:
            'Both sides of a suggested pair side by side: names by script with their Belarusian, Russian and Latin forms, dates, positions, identifiers, addresses and sources; agreeing values marked.',
          params: z.object({ id: z.coerce.number().int().positive() }).strict(),
          response: { 200: comparisonSchema },
        },
      },
      async (request) => queue.compare(request.principal!, request.params.id),
    );

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

    app.get(
      '/api/xref/entities/:id/merged',
      {
        config: { access: { roles: STAFF, scopes: ['registry:read'], personalData: true } },
        schema: {
          tags: ['xref'],
          description:
            'One person across datasets: the cluster of an entity and every fact of every member you may see, each value with the records it came from.',
          params: idParams,
          response: { 200: mergedEntitySchema },
        },
      },
      async (request) => decisions.merged(request.principal!, request.params.id),
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
      '/api/xref/datasets/:dataset/merged.ftm.jsonl',
      {
        config: { access: { roles: STAFF, scopes: ['registry:read'], personalData: true } },
        schema: {
          tags: ['xref'],
          description:
            'A dataset as FtM JSON lines with one entity per person: records decided to be one person are written once under the cluster id, with `referents` (member ids), `datasets` and the properties of every member you may see; other records as they are.',
          params: z.object({ dataset: z.string().min(1).max(200) }).strict(),
        },
      },
      async (request, reply) => {
        const lines = decisions.mergedExportLines(request.principal!, request.params.dataset);
        // The first page before answering, so a refusal is a coded error and not a broken stream.
        const first = await lines.next();
        async function* all() {
          if (!first.done) yield first.value;
          yield* lines;
        }
        return reply
          .header('content-type', 'application/x-ndjson; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="${request.params.dataset.replace(/[^a-z0-9_-]/gi, '_')}.merged.ftm.jsonl"`,
          )
          .send(Readable.from(all()));
      },
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
