/** HTTP routes of screening: yente-style `/api/match`, analyst search, bulk screening of an uploaded file. */
import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { z } from 'zod';
import { AppError } from '../platform/errors.js';
import { STAFF } from '../platform/http/access-rules.js';
import { type App, perItemTextCheck } from '../platform/http/app.js';
import { type BulkFormat, csvWriter, jsonlWriter, readQueries } from './bulk.js';
import {
  matchQuerystringSchema,
  matchRequestSchema,
  matchResponseSchema,
  searchQuerystringSchema,
  searchResponseSchema,
} from './model.js';
import { type ScreeningService, screenBulk } from './service.js';

const CSV = 'text/csv';
const NDJSON = 'application/x-ndjson';
const JSONL = 'application/jsonl';

const bulkQuerystringSchema = matchQuerystringSchema.extend({
  format: z.enum(['csv', 'jsonl']).optional().describe('input format; default from the content type'),
  output: z.enum(['csv', 'jsonl']).optional().describe('output format; default: the input format'),
});

export function screeningRoutes(service: ScreeningService) {
  return async (root: App) => {
    root.post(
      '/api/match',
      {
        config: { access: { roles: STAFF, scopes: ['screening'], personalData: true } },
        schema: {
          tags: ['screening'],
          description:
            'Screens a batch of entity queries (OpenSanctions yente shape). Each query fails or succeeds on its own: a bad query gets `status: 400` and `error` in its response. Partner keys must send `X-Purpose`; every call is audited.',
          querystring: matchQuerystringSchema,
          // Each query answers a bad name on its own (SVD_SCREENING_NAME_CONTROL_CHARS), as yente does.
          body: perItemTextCheck(matchRequestSchema),
          response: { 200: matchResponseSchema },
        },
      },
      async (request) => {
        const q = request.query;
        return service.match(request.principal!, request.body.queries, {
          datasets: q.dataset,
          threshold: q.threshold,
          limit: q.limit,
          excludeEntityIds: q.exclude_entity_ids,
          clusters: true,
        });
      },
    );

    root.get(
      '/api/search',
      {
        config: { access: { roles: STAFF } },
        schema: {
          tags: ['screening'],
          description: 'Free-text search over names (any script or spelling), birth dates and identifiers.',
          querystring: searchQuerystringSchema,
          response: { 200: searchResponseSchema },
        },
      },
      async (request) =>
        service.search(request.principal!, request.query.q, request.query.dataset, request.query.limit, {
          clusters: true,
        }),
    );

    // A child scope, so the streaming CSV/JSONL parsers apply to the bulk route only.
    await root.register(async (app: App) => {
      for (const type of [CSV, NDJSON, JSONL])
        app.addContentTypeParser(type, (_request, payload, done) => done(null, payload));
      app.post(
        '/api/screen/bulk',
        {
          config: { access: { roles: STAFF } },
          schema: {
            tags: ['screening'],
            description:
              'Bulk screening of an uploaded file: CSV (`text/csv`, header id,name,birth_date,gender,nationality) or JSONL (`application/x-ndjson`, one yente query with "id" a line). Answers CSV or JSONL, streamed, one line per query (CSV: per query and result); bad lines carry their error.',
            querystring: bulkQuerystringSchema,
          },
        },
        async (request, reply) => {
          const q = request.query;
          const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
          // Only the streamed formats: a JSON body (parsed whole by the default parser) is not a file.
          if (![CSV, NDJSON, JSONL].includes(type) || typeof (request.body as Readable)?.pipe !== 'function')
            throw new AppError('SVD_HTTP_UNSUPPORTED_MEDIA', {
              message: `Send the file as ${CSV} or ${NDJSON} (one JSON query a line).`,
            });
          const format: BulkFormat = q.format ?? (type === CSV ? 'csv' : 'jsonl');
          const output: BulkFormat = q.output ?? format;
          const params = {
            datasets: q.dataset,
            threshold: q.threshold,
            limit: q.limit,
            excludeEntityIds: q.exclude_entity_ids,
            clusters: true,
          };
          await service.ensureIndex();
          await service.datasetsFor(request.principal!, params.datasets);
          const iterator = readQueries(format, request.body as Readable)[Symbol.asyncIterator]();
          // The first record is read before answering, so a bad CSV header is a proper error response.
          const first = await iterator.next();
          async function* records() {
            if (first.done) return;
            yield first.value;
            for (;;) {
              const next = await iterator.next();
              if (next.done) return;
              yield next.value;
            }
          }
          const out = new PassThrough();
          const writer = output === 'csv' ? csvWriter() : jsonlWriter();
          screenBulk(
            service,
            request.principal!,
            records(),
            writer,
            async (text) => {
              if (!out.write(text)) await once(out, 'drain');
            },
            params,
            { label: 'http' },
          ).then(
            () => out.end(),
            (error) => {
              request.log.error({ err: error }, 'bulk screening failed');
              out.destroy(error instanceof Error ? error : new Error(String(error)));
            },
          );
          return reply
            .header('content-type', output === 'csv' ? 'text/csv; charset=utf-8' : `${NDJSON}; charset=utf-8`)
            .header('content-disposition', `attachment; filename="screening-results.${output}"`)
            .send(out);
        },
      );
    });
  };
}
