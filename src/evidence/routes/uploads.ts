/**
 * Staff and partner uploads: multipart (many files in one request) and resumable (tus 1.0, for large
 * video), with the result of a finished resumable upload kept for its uploader.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import fastifyMultipart from '@fastify/multipart';
import { Server as TusServer } from '@tus/server';
import { z } from 'zod';
import type { Principal } from '../../platform/auth/model.js';
import { AppError, isAppError } from '../../platform/errors.js';
import { STAFF } from '../../platform/http/access-rules.js';
import type { App } from '../../platform/http/app.js';
import type { Intake, IntakeResult } from '../intake.js';
import { intakeResultSchema, tusResultSchema } from '../model.js';
import type { EncryptedTusStore } from '../uploads/tus-encrypted-store.js';
import { codeTusAnswers, tusErrorResponse, UPLOAD_HEADERS } from '../uploads/tus-errors.js';

const principalOf = (request: { principal: Principal | null }) => request.principal!;
const submit = { access: { roles: STAFF, scopes: ['evidence:submit'] as const } };

/** Who owns a resumable upload: only they may continue it or read its result. */
const ownerOf = (principal: Principal) =>
  `${principal.type}:${'id' in principal ? principal.id : principal.label}`;

export function uploadRoutes(intake: Intake, datastore: EncryptedTusStore) {
  return async (app: App) => {
    const maxBytes = intake.options.maxBytes;
    const tusPrincipal = new AsyncLocalStorage<Principal>();
    const tus = new TusServer({
      path: '/api/evidence/tus',
      datastore,
      maxSize: maxBytes,
      relativeLocation: true,
      respectForwardedHeaders: false,
      async onUploadCreate(_request, upload) {
        const principal = tusPrincipal.getStore();
        if (!principal) throw new AppError('SVD_AUTH_REQUIRED');
        const given = upload.metadata ?? {};
        // A destination the uploader may not use is refused now, before the file is sent.
        await intake.checkDestination({
          actor: principal,
          channel: 'web',
          ...(given.collectionId ? { collection: given.collectionId } : {}),
          ...(given.incidentId ? { incidentId: given.incidentId } : {}),
        });
        return { metadata: { ...given, owner: ownerOf(principal) } };
      },
      async onIncomingRequest(_request, uploadId) {
        const principal = tusPrincipal.getStore();
        if (!principal) throw new AppError('SVD_AUTH_REQUIRED');
        const metadata = await datastore.metadata(uploadId).catch(() => undefined);
        // Another user's upload answers like a missing one.
        if (metadata && metadata.owner !== ownerOf(principal)) throw new AppError('SVD_HTTP_NOT_FOUND');
      },
      async onUploadFinish(_request, upload) {
        const principal = tusPrincipal.getStore()!;
        const metadata = upload.metadata ?? {};
        try {
          const result = await intake.intake({
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
          throw new AppError('SVD_HTTP_INTERNAL');
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
          config: submit,
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
          const items: Array<IntakeResult & { fileName: string | null }> = [];
          let current: string | null = null;
          try {
            for await (const part of request.parts()) {
              if (part.type === 'field') {
                fields[part.fieldname] = String(part.value).slice(0, 5000);
                continue;
              }
              current = part.filename || null;
              const result = await intake.intake({
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
          } catch (error) {
            // Files before the failing one are stored: the answer says which, and which file failed.
            if (items.length === 0) throw error;
            if (!isAppError(error))
              request.log.error({ err: error }, 'upload failed after some files were stored');
            const coded = isAppError(error) ? error : new AppError('SVD_HTTP_INTERNAL');
            throw new AppError(coded.code, {
              message: `${coded.message} ${items.length} file(s) before it were stored.`,
              details: { ...coded.details, stored: items, failedFile: current },
              cause: error,
            });
          }
          if (items.length === 0) throw new AppError('SVD_EVIDENCE_NO_FILE');
          return { items };
        },
      );
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
        for (const [name, value] of Object.entries(UPLOAD_HEADERS)) reply.raw.setHeader(name, value);
        codeTusAnswers(reply.raw);
        await tusPrincipal.run(principalOf(request), () => tus.handle(request.raw, reply.raw));
      };
      for (const url of ['/api/evidence/tus', '/api/evidence/tus/:uploadId']) {
        scope.route({
          method: ['POST', 'PATCH', 'HEAD', 'DELETE', 'OPTIONS'],
          url,
          config: submit,
          schema: { hide: true },
          handler,
        });
      }
    });

    app.get(
      '/api/evidence/tus-result/:uploadId',
      {
        config: submit,
        schema: {
          tags: ['evidence'],
          params: z.object({ uploadId: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/) }).strict(),
          response: { 200: tusResultSchema },
        },
      },
      async (request) => intake.tusResult(ownerOf(principalOf(request)), request.params.uploadId),
    );
  };
}
