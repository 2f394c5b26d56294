/**
 * HTTP routes of the evidence vault (thin: validate, authorize, call the service): analysts' upload
 * (multipart, many files) and resumable upload (tus), items, taxonomy, incidents, export, and the
 * citizen submission page (`/submit`), which works without JavaScript and keeps nothing identifying.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHmac } from 'node:crypto';
import fastifyMultipart from '@fastify/multipart';
import { Server as TusServer } from '@tus/server';
import { z } from 'zod';
import type { Principal } from '../platform/auth/model.js';
import { actorOf } from '../platform/auth/service.js';
import { constantTimeEqual, randomBytes, randomToken } from '../platform/crypto.js';
import { AppError, isAppError } from '../platform/errors.js';
import { ADMIN, STAFF } from '../platform/http/access-rules.js';
import type { App } from '../platform/http/app.js';
import type { Platform } from '../platform/platform.js';
import { citizenPage, receiptPage, SUBMIT_CSS } from './citizen-page.js';
import { SUBMIT_JS } from './citizen-script.js';
import { exportZipStream } from './export.js';
import {
  addPersonRequestSchema,
  addTaxonomyCodeRequestSchema,
  classifyRequestSchema,
  collectionSchema,
  createCollectionRequestSchema,
  custodyEventSchema,
  exportRequestSchema,
  incidentInputSchema,
  incidentSchema,
  incidentUpdateSchema,
  intakeResultSchema,
  itemDetailSchema,
  itemStatusSchema,
  itemSummarySchema,
  linkItemRequestSchema,
  listIncidentsQuerySchema,
  listItemsQuerySchema,
  moveItemRequestSchema,
  setLinkRoleRequestSchema,
  setVerificationRequestSchema,
  taxonomyCodeSchema,
  tusResultSchema,
  verifyReportSchema,
} from './model.js';
import type { EvidenceService } from './service.js';
import type { EncryptedTusStore } from './tus-encrypted-store.js';

const idParams = z.object({ id: z.string().uuid() }).strict();
const empty = z.object({}).strict().optional();
const principalOf = (request: { principal: Principal | null }) => request.principal!;

/**
 * A global token bucket for the citizen page. It is keyed by nothing: keying by IP would mean keeping
 * IPs. It only stops floods; one busy hour may make honest senders wait, which the page says.
 */
export class TokenBucket {
  #tokens: number;
  #last = Date.now();
  constructor(
    readonly capacity: number,
    readonly perSecond: number,
  ) {
    this.#tokens = capacity;
  }
  take(): boolean {
    const now = Date.now();
    this.#tokens = Math.min(this.capacity, this.#tokens + ((now - this.#last) / 1000) * this.perSecond);
    this.#last = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/**
 * The citizen form's anti-forgery token: `<minute>.<nonce>.<mac>` with an HMAC under a per-process key,
 * valid for two hours and usable once. The platform's CSRF protection expects a cookie-bound token in
 * the x-csrf-token header, which a JavaScript-free form cannot send, and a cookie would be a device
 * identifier the page promises not to keep. A hidden field proves the form came from this server
 * recently (stopping blind cross-site posts and naive replays) without identifying anyone.
 */
export class FormTokens {
  readonly #key = randomBytes(32);
  readonly #used = new Map<string, number>();
  /** Tokens in use by the page's script: nonce → files started with it. */
  readonly #batches = new Map<string, number>();
  issue(): string {
    const minute = Math.floor(Date.now() / 60_000);
    const nonce = randomToken(12);
    return `${minute}.${nonce}.${this.#mac(`${minute}.${nonce}`)}`;
  }
  #mac(text: string): string {
    return createHmac('sha256', this.#key).update(text).digest('base64url').slice(0, 32);
  }
  /** The token's nonce and minute when its MAC and age are right. */
  #parse(token: string | undefined): { minute: number; nonce: string } | undefined {
    const [minute, nonce, mac] = (token ?? '').split('.');
    if (!minute || !nonce || !mac || !constantTimeEqual(mac, this.#mac(`${minute}.${nonce}`)))
      return undefined;
    const age = Math.floor(Date.now() / 60_000) - Number(minute);
    if (!(age >= 0 && age <= 120)) return undefined;
    return { minute: Number(minute), nonce };
  }
  #markUsed(nonce: string, minute: number): void {
    this.#used.set(nonce, minute);
    for (const [key, at] of this.#used)
      if (Math.floor(Date.now() / 60_000) - at > 120) {
        this.#used.delete(key);
        this.#batches.delete(key);
      }
  }
  /** Checks a token; with `consume`, it cannot be used again. */
  check(token: string | undefined, consume: boolean): boolean {
    const parsed = this.#parse(token);
    if (!parsed || this.#used.has(parsed.nonce)) return false;
    if (consume) this.#markUsed(parsed.nonce, parsed.minute);
    return true;
  }
  /**
   * Checks a token for the page's script, which sends each chosen file as its own resumable upload
   * with the page's token: the first file starts a submission ('first': the caller takes a bucket
   * token), later ones join it ('again'), up to `limit` files. The form can no longer be posted with it.
   */
  checkBatch(token: string | undefined, limit = 200): 'first' | 'again' | false {
    const parsed = this.#parse(token);
    if (!parsed) return false;
    const started = this.#batches.get(parsed.nonce);
    if (started === undefined && this.#used.has(parsed.nonce)) return false;
    if ((started ?? 0) >= limit) return false;
    this.#batches.set(parsed.nonce, (started ?? 0) + 1);
    this.#markUsed(parsed.nonce, parsed.minute);
    return started === undefined ? 'first' : 'again';
  }
}

function locale(value: unknown): 'be' | 'ru' | 'en' {
  return value === 'ru' || value === 'en' ? value : 'be';
}

/** A coded error as the tus server sends it: the API's JSON error body with the HTTP status. */
function tusErrorResponse(error: unknown): { status_code: number; body: string } | undefined {
  const coded = isAppError(error)
    ? error
    : (error as { status_code?: number })?.status_code === 413
      ? new AppError('SVD_BLOB_TOO_LARGE')
      : undefined;
  if (!coded) return undefined;
  return {
    status_code: coded.status,
    body: JSON.stringify({ error: { code: coded.code, message: coded.message } }),
  };
}

export function evidenceRoutes(
  service: EvidenceService,
  platform: Platform,
  uploads: { staff: EncryptedTusStore; citizen: EncryptedTusStore },
) {
  return async (app: App) => {
    const maxBytes = service.options.maxBytes;
    const forms = new FormTokens();
    const bucket = new TokenBucket(30, 60 / 3600);
    const tusPrincipal = new AsyncLocalStorage<Principal>();
    const datastore = uploads.staff;
    const ownerOf = (principal: Principal) =>
      `${principal.type}:${'id' in principal ? principal.id : principal.label}`;
    const tus = new TusServer({
      path: '/api/evidence/tus',
      datastore,
      maxSize: maxBytes,
      relativeLocation: true,
      respectForwardedHeaders: false,
      async onUploadCreate(_request, upload) {
        const principal = tusPrincipal.getStore();
        if (!principal) throw { status_code: 401, body: 'not logged in' };
        return { metadata: { ...(upload.metadata ?? {}), owner: ownerOf(principal) } };
      },
      async onIncomingRequest(_request, uploadId) {
        const principal = tusPrincipal.getStore();
        if (!principal) throw { status_code: 401, body: 'not logged in' };
        const metadata = await datastore.metadata(uploadId).catch(() => undefined);
        // Another user's upload answers like a missing one.
        if (metadata && metadata.owner !== ownerOf(principal)) throw { status_code: 404, body: 'not found' };
      },
      async onUploadFinish(_request, upload) {
        const principal = tusPrincipal.getStore()!;
        const metadata = upload.metadata ?? {};
        try {
          const result = await service.intake({
            stream: datastore.read(upload.id),
            channel: 'web',
            actor: principal,
            ...(metadata.filename ? { fileName: metadata.filename } : {}),
            ...(metadata.filetype ? { declaredMediaType: metadata.filetype } : {}),
            ...(metadata.source ? { sourceLabel: metadata.source } : {}),
            ...(metadata.note ? { note: metadata.note } : {}),
            ...(metadata.incidentId ? { incidentId: metadata.incidentId } : {}),
            ...(metadata.collectionId ? { collection: metadata.collectionId } : {}),
            tusUpload: { id: upload.id, owner: ownerOf(principal) },
          });
          await datastore.remove(upload.id).catch(() => {});
          return {
            headers: {
              'Upload-Evidence-Id': result.itemId,
              'Upload-Sha256': result.sha256,
              'Upload-Duplicate': String(result.duplicate),
            },
          };
        } catch (error) {
          if (isAppError(error)) throw error;
          throw { status_code: 500, body: 'the upload could not be stored' };
        }
      },
      onResponseError: (_request, error) => tusErrorResponse(error),
    });

    // Citizens' resumable uploads, used by the page's script (/submit.js): anonymous, outside /api, no
    // session or cookie, the same form token and token bucket as the form, no file name kept. The
    // answer to the last PATCH carries the receipt code. If that answer is lost, a HEAD within 15
    // minutes still gives it: upload id → receipt is held in memory only, never stored or logged.
    const citizenUploads = uploads.citizen;
    const finishedCitizenUploads = new Map<string, { receipt: string; size: number; at: number }>();
    const citizenTus = new TusServer({
      path: '/submit/tus',
      datastore: citizenUploads,
      maxSize: () => service.options.maxBytes,
      relativeLocation: true,
      respectForwardedHeaders: false,
      // Same origin only: no Access-Control-Allow-Origin.
      allowedOrigins: [],
      async onUploadCreate(_request, upload) {
        const given = upload.metadata ?? {};
        const use = forms.checkBatch(given.t ?? undefined);
        if (!use) throw new AppError('SVD_EVIDENCE_FORM_EXPIRED');
        if (use === 'first' && !bucket.take()) throw new AppError('SVD_EVIDENCE_BUSY');
        // Only the form's fields; the file's name and type (and anything else sent) are not kept.
        const metadata: Record<string, string> = {};
        for (const [name, limit] of [
          ['note', 2000],
          ['contact', 500],
          ['receipt', 40],
        ] as const) {
          const value = given[name]?.trim();
          if (value) metadata[name] = value.slice(0, limit);
        }
        // An unknown receipt code is refused now, not after the whole file has been sent.
        if (metadata.receipt && !(await service.receiptKnown(metadata.receipt)))
          throw new AppError('SVD_EVIDENCE_RECEIPT_UNKNOWN');
        return { metadata };
      },
      async onUploadFinish(_request, upload) {
        try {
          const fields = await citizenUploads.metadata(upload.id);
          const result = await service.intake({
            stream: citizenUploads.read(upload.id),
            channel: 'citizen',
            actor: { type: 'citizen' },
            ...(fields.note ? { note: fields.note } : {}),
            ...(fields.contact && !fields.receipt ? { sealedContact: fields.contact } : {}),
            ...(fields.receipt ? { receiptCode: fields.receipt } : {}),
          });
          const receipt = result.receiptCode ?? fields.receipt ?? '';
          const now = Date.now();
          for (const [id, done] of finishedCitizenUploads)
            if (now - done.at > 15 * 60_000) finishedCitizenUploads.delete(id);
          finishedCitizenUploads.set(upload.id, { receipt, size: result.size, at: now });
          return { headers: { 'Submit-Receipt': receipt } };
        } catch (error) {
          if (isAppError(error)) throw error;
          platform.logger.error({ err: error }, 'citizen resumable submission failed');
          throw new AppError('SVD_HTTP_INTERNAL');
        } finally {
          // Nothing of a citizen's upload stays on disk, whether it was received or refused.
          await citizenUploads.remove(upload.id).catch(() => {});
        }
      },
      onResponseError: (_request, error) => tusErrorResponse(error),
    });

    await app.register(async (scope) => {
      await scope.register(fastifyMultipart, {
        limits: { fileSize: maxBytes + 1, files: 200, fields: 20, fieldSize: 20_000, parts: 240 },
        throwFileSizeLimit: true,
      });

      scope.post(
        '/api/evidence/upload',
        {
          config: { access: { roles: STAFF, scopes: ['evidence:submit'] } },
          schema: {
            tags: ['evidence'],
            consumes: ['multipart/form-data'],
            response: {
              200: z.object({
                items: z.array(intakeResultSchema.extend({ fileName: z.string().nullable() })),
              }),
            },
          },
        },
        async (request) => {
          if (!request.isMultipart()) throw new AppError('SVD_HTTP_UNSUPPORTED_MEDIA');
          const fields: Record<string, string> = {};
          const items = [];
          for await (const part of request.parts()) {
            if (part.type === 'field') {
              fields[part.fieldname] = String(part.value).slice(0, 5000);
              continue;
            }
            const result = await service.intake({
              stream: part.file,
              channel: 'web',
              actor: principalOf(request),
              ...(part.filename ? { fileName: part.filename } : {}),
              ...(part.mimetype ? { declaredMediaType: part.mimetype } : {}),
              ...(fields.source ? { sourceLabel: fields.source } : {}),
              ...(fields.note ? { note: fields.note } : {}),
              ...(fields.incidentId ? { incidentId: fields.incidentId } : {}),
              ...(fields.collectionId ? { collection: fields.collectionId } : {}),
            });
            items.push({ ...result, fileName: part.filename || null });
          }
          if (items.length === 0) throw new AppError('SVD_EVIDENCE_NO_FILE');
          return { items };
        },
      );

      // The citizen page: outside /api, no session, no cookies, no JavaScript needed.
      // logLevel caps plugin debug output (multipart traces request headers) on the citizen path.
      scope.get('/submit', { schema: { hide: true }, logLevel: 'info' }, async (request, reply) => {
        const lang = locale((request.query as Record<string, unknown>)?.lang);
        return reply
          .header('cache-control', 'no-store')
          .type('text/html; charset=utf-8')
          .send(citizenPage(lang, forms.issue()));
      });
      scope.get('/submit.css', { schema: { hide: true }, logLevel: 'info' }, async (_request, reply) =>
        reply
          .header('cache-control', 'public, max-age=3600')
          .type('text/css; charset=utf-8')
          .send(SUBMIT_CSS),
      );
      // The page's optional script (resumable upload); script-src 'self' under the strict CSP.
      scope.get('/submit.js', { schema: { hide: true }, logLevel: 'info' }, async (_request, reply) =>
        reply
          .header('cache-control', 'public, max-age=3600')
          .type('text/javascript; charset=utf-8')
          .send(SUBMIT_JS),
      );
      scope.post('/submit', { schema: { hide: true }, logLevel: 'info' }, async (request, reply) => {
        const send = (status: number, html: string) =>
          reply
            .status(status)
            .header('cache-control', 'no-store')
            .type('text/html; charset=utf-8')
            .send(html);
        let lang: 'be' | 'ru' | 'en' = 'be';
        if (!request.isMultipart()) return send(415, citizenPage(lang, forms.issue(), 'form'));
        const fields: Record<string, string> = {};
        const results: Array<{ duplicate: boolean }> = [];
        let receiptCode: string | undefined;
        try {
          for await (const part of request.parts()) {
            if (part.type === 'field') {
              fields[part.fieldname] = String(part.value).slice(0, 2000);
              if (part.fieldname === 'lang') lang = locale(part.value);
              continue;
            }
            if (!part.filename) {
              part.file.resume();
              continue;
            }
            if (results.length === 0) {
              if (!forms.check(fields.t, true)) throw new AppError('SVD_EVIDENCE_FORM_EXPIRED');
              if (!bucket.take()) throw new AppError('SVD_EVIDENCE_BUSY');
            }
            const result = await service.intake({
              stream: part.file,
              channel: 'citizen',
              actor: { type: 'citizen' },
              // The citizen's file name can identify them (phone naming schemes, their name): not kept.
              ...(fields.note ? { note: fields.note } : {}),
              ...(fields.contact?.trim() && !receiptCode && !fields.receipt?.trim()
                ? { sealedContact: fields.contact.trim() }
                : {}),
              ...((receiptCode ?? fields.receipt?.trim())
                ? { receiptCode: receiptCode ?? fields.receipt!.trim() }
                : {}),
            });
            receiptCode ??= result.receiptCode;
            results.push(result);
          }
        } catch (error) {
          const code = isAppError(error) ? error.code : 'SVD_HTTP_INTERNAL';
          if (!isAppError(error)) request.log.error({ err: error }, 'citizen submission failed');
          const status = isAppError(error) ? error.status : 500;
          return send(status, citizenPage(lang, forms.issue(), code, receiptCode));
        }
        if (results.length === 0) return send(400, citizenPage(lang, forms.issue(), 'SVD_EVIDENCE_NO_FILE'));
        return send(200, receiptPage(lang, receiptCode ?? '', results.length));
      });
    });

    // Resumable uploads (tus 1.0). Fastify hands the raw request to the tus server.
    await app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
      const handler = async (
        request: { principal: Principal | null; raw: import('node:http').IncomingMessage },
        reply: import('fastify').FastifyReply,
      ) => {
        reply.hijack();
        for (const [name, value] of Object.entries({
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'no-referrer',
        }))
          reply.raw.setHeader(name, value);
        await tusPrincipal.run(principalOf(request), () => tus.handle(request.raw, reply.raw));
      };
      const config = { access: { roles: STAFF, scopes: ['evidence:submit'] as const } };
      for (const url of ['/api/evidence/tus', '/api/evidence/tus/:uploadId']) {
        scope.route({
          method: ['POST', 'PATCH', 'HEAD', 'DELETE', 'OPTIONS'],
          url,
          config,
          schema: { hide: true },
          handler,
        });
      }

      // The citizens' endpoint: no access rule (not an API route: no session, cookie or CSRF token is
      // read), logged like /submit (method, route pattern and status only).
      const citizenHandler = async (
        request: import('fastify').FastifyRequest,
        reply: import('fastify').FastifyReply,
      ) => {
        reply.hijack();
        const headers: Record<string, string> = {
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'no-referrer',
          'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
        };
        for (const [name, value] of Object.entries(headers)) reply.raw.setHeader(name, value);
        const uploadId = (request.params as { uploadId?: string }).uploadId;
        const finished = uploadId ? finishedCitizenUploads.get(uploadId) : undefined;
        if (finished && request.method === 'HEAD') {
          reply.raw.writeHead(200, {
            'tus-resumable': '1.0.0',
            'upload-offset': String(finished.size),
            'upload-length': String(finished.size),
            'submit-receipt': finished.receipt,
          });
          reply.raw.end();
          return;
        }
        await citizenTus.handle(request.raw, reply.raw);
      };
      for (const url of ['/submit/tus', '/submit/tus/:uploadId']) {
        scope.route({
          method: ['POST', 'PATCH', 'HEAD', 'DELETE', 'OPTIONS'],
          url,
          logLevel: 'info',
          schema: { hide: true },
          handler: citizenHandler,
        });
      }
    });

    app.get(
      '/api/evidence/items',
      {
        config: { access: { roles: STAFF } },
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
      async (request) => service.list(principalOf(request), request.query),
    );
    app.get(
      '/api/evidence/items/:id/status',
      {
        config: { access: { roles: STAFF } },
        schema: { tags: ['evidence'], params: idParams, response: { 200: itemStatusSchema } },
      },
      async (request) => service.status(principalOf(request), request.params.id),
    );
    app.post(
      '/api/evidence/items/:id/collection',
      {
        config: { access: { roles: ADMIN } },
        schema: { tags: ['evidence'], params: idParams, body: moveItemRequestSchema },
      },
      async (request, reply) => {
        await service.moveItem(
          principalOf(request),
          request.params.id,
          request.body.collectionId,
          request.body.note,
        );
        return reply.status(204).send();
      },
    );
    app.get(
      '/api/evidence/collections',
      {
        config: { access: { roles: STAFF } },
        schema: { tags: ['evidence'], response: { 200: z.object({ items: z.array(collectionSchema) }) } },
      },
      async (request) => ({ items: await service.listCollections(principalOf(request)) }),
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
      async (request) => service.createCollection(principalOf(request), request.body),
    );
    app.get(
      '/api/evidence/tus-result/:uploadId',
      {
        config: { access: { roles: STAFF, scopes: ['evidence:submit'] } },
        schema: {
          tags: ['evidence'],
          params: z.object({ uploadId: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/) }).strict(),
          response: { 200: tusResultSchema },
        },
      },
      async (request) => service.tusResult(ownerOf(principalOf(request)), request.params.uploadId),
    );
    app.get(
      '/api/evidence/items/:id',
      {
        config: { access: { roles: STAFF } },
        schema: { tags: ['evidence'], params: idParams, response: { 200: itemDetailSchema } },
      },
      async (request) => service.show(principalOf(request), request.params.id),
    );
    app.get(
      '/api/evidence/items/:id/custody',
      {
        config: { access: { roles: STAFF } },
        schema: {
          tags: ['evidence'],
          params: idParams,
          response: { 200: z.object({ events: z.array(custodyEventSchema) }) },
        },
      },
      async (request) => ({ events: await service.custodyLog(principalOf(request), request.params.id) }),
    );
    app.get(
      '/api/evidence/items/:id/original',
      {
        config: { access: { roles: STAFF } },
        schema: { tags: ['evidence'], params: idParams },
      },
      async (request, reply) => {
        const { item, stream } = await service.download(principalOf(request), request.params.id);
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
        { config: { access: { roles: STAFF } }, schema: { tags: ['evidence'], params: idParams } },
        async (request, reply) => {
          const { mediaType, stream } = await service.derivative(
            request.principal!,
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
        config: { access: { roles: STAFF } },
        schema: {
          tags: ['evidence'],
          params: idParams,
          body: classifyRequestSchema,
          response: { 200: z.object({ codes: z.array(z.string()) }) },
        },
      },
      async (request) => ({
        codes: await service.classifyItem(
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
        config: { access: { roles: STAFF } },
        schema: { tags: ['evidence'], params: idParams, body: setVerificationRequestSchema },
      },
      async (request, reply) => {
        await service.setVerificationState(
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
        config: { access: { roles: STAFF } },
        schema: { tags: ['evidence'], params: idParams, body: empty, response: { 200: verifyReportSchema } },
      },
      async (request) => service.verify(principalOf(request), { itemId: request.params.id }),
    );

    app.get(
      '/api/evidence/taxonomy',
      {
        config: { access: { roles: STAFF } },
        schema: { tags: ['evidence'], response: { 200: z.object({ codes: z.array(taxonomyCodeSchema) }) } },
      },
      async () => ({ codes: await service.taxonomy() }),
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
      async (request) => service.addCode(principalOf(request), request.body),
    );
    app.post(
      '/api/evidence/taxonomy/:code/deprecate',
      {
        config: { access: { roles: ADMIN } },
        schema: { tags: ['evidence'], params: z.object({ code: z.string().max(100) }).strict(), body: empty },
      },
      async (request, reply) => {
        await service.deprecateCode(principalOf(request), request.params.code);
        return reply.status(204).send();
      },
    );

    app.get(
      '/api/evidence/incidents',
      {
        config: { access: { roles: STAFF } },
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
        config: { access: { roles: STAFF } },
        schema: { tags: ['evidence'], body: incidentInputSchema, response: { 200: incidentSchema } },
      },
      async (request) => service.createIncident(principalOf(request), request.body),
    );
    app.get(
      '/api/evidence/incidents/:id',
      {
        config: { access: { roles: STAFF } },
        schema: { tags: ['evidence'], params: idParams, response: { 200: incidentSchema } },
      },
      async (request) => service.incident(principalOf(request), request.params.id),
    );
    app.patch(
      '/api/evidence/incidents/:id',
      {
        config: { access: { roles: STAFF } },
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
        config: { access: { roles: STAFF } },
        schema: {
          tags: ['evidence'],
          params: idParams,
          body: linkItemRequestSchema,
          response: { 200: incidentSchema },
        },
      },
      async (request) => {
        await service.linkItem(
          principalOf(request),
          request.params.id,
          request.body.itemId,
          request.body.role,
        );
        return service.incident(principalOf(request), request.params.id);
      },
    );
    const linkParams = z.object({ id: z.string().uuid(), itemId: z.string().uuid() }).strict();
    app.delete(
      '/api/evidence/incidents/:id/items/:itemId',
      {
        config: { access: { roles: STAFF } },
        schema: { tags: ['evidence'], params: linkParams, response: { 200: incidentSchema } },
      },
      async (request) => {
        await service.unlinkItem(principalOf(request), request.params.id, request.params.itemId);
        return service.incident(principalOf(request), request.params.id);
      },
    );
    app.patch(
      '/api/evidence/incidents/:id/items/:itemId',
      {
        config: { access: { roles: STAFF } },
        schema: {
          tags: ['evidence'],
          params: linkParams,
          body: setLinkRoleRequestSchema,
          response: { 200: incidentSchema },
        },
      },
      async (request) => {
        await service.setLinkRole(
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
        config: { access: { roles: STAFF } },
        schema: {
          tags: ['evidence'],
          params: z.object({ id: z.string().uuid(), personId: z.string().uuid() }).strict(),
          response: { 200: incidentSchema },
        },
      },
      async (request) => {
        await service.removePerson(principalOf(request), request.params.id, request.params.personId);
        return service.incident(principalOf(request), request.params.id);
      },
    );
    app.post(
      '/api/evidence/incidents/:id/persons',
      {
        config: { access: { roles: STAFF } },
        schema: {
          tags: ['evidence'],
          params: idParams,
          body: addPersonRequestSchema,
          response: { 200: incidentSchema },
        },
      },
      async (request) => {
        await service.addPerson(principalOf(request), request.params.id, request.body);
        return service.incident(principalOf(request), request.params.id);
      },
    );
    app.post(
      '/api/evidence/incidents/:id/classify',
      {
        config: { access: { roles: STAFF } },
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

    app.post(
      '/api/evidence/export',
      {
        config: { access: { roles: STAFF } },
        schema: { tags: ['evidence'], body: exportRequestSchema },
      },
      async (request, reply) => {
        const { exportId, stream, encrypted } = await exportZipStream(
          service,
          principalOf(request),
          request.body,
        );
        await platform.audit.record({
          actor: actorOf(principalOf(request)),
          action: 'evidence.export',
          target: { type: 'evidence_export', id: exportId },
          details: { ...request.body, encrypted },
        });
        return reply
          .header('content-type', encrypted ? 'application/octet-stream' : 'application/zip')
          .header(
            'content-disposition',
            `attachment; filename="evidence-${exportId}.${encrypted ? 'sviedka-package' : 'zip'}"`,
          )
          .send(stream);
      },
    );
  };
}
