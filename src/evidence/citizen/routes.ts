/**
 * The citizen submission surface: the page (`/submit`, works without JavaScript), its stylesheet and
 * optional script, the form's POST, and the script's resumable upload endpoint (`/submit/tus`). All of
 * it is outside /api: no session, no cookie, no file name kept, no request logged (failures with the day only).
 */

import { AsyncLocalStorage } from 'node:async_hooks';
import { utimes } from 'node:fs/promises';
import fastifyMultipart from '@fastify/multipart';
import { Server as TusServer } from '@tus/server';
import pino from 'pino';
import { AppError, isAppError } from '../../platform/errors.js';
import type { App } from '../../platform/http/app.js';
import type { Intake } from '../intake.js';
import type { EncryptedTusStore } from '../uploads/tus-encrypted-store.js';
import { codeTusAnswers, sendTusError, tusErrorResponse, UPLOAD_HEADERS } from '../uploads/tus-errors.js';
import { FormTokens, TokenBucket } from './form-tokens.js';
import { citizenPage, receiptPage, SUBMIT_CSS } from './page.js';
import { SUBMIT_JS } from './script.js';
import { type CitizenUploads, proofHolds, type Transfer } from './upload-allowance.js';

/**
 * The citizen routes' own logger: its lines carry the day only (`"time":"2026-12-02"`), never the
 * second, since a failure's time dates a submission as well as a request line would. Request lines of
 * the citizen routes are not logged at all (logLevel 'silent').
 */
function dayStampedLogger(logger: pino.Logger): pino.Logger {
  const stream = (logger as unknown as Record<symbol, pino.DestinationStream>)[pino.symbols.streamSym];
  return pino(
    {
      level: logger.level,
      base: undefined,
      timestamp: () => `,"time":"${new Date().toISOString().slice(0, 10)}"`,
    },
    stream,
  );
}

function locale(value: unknown): 'be' | 'ru' | 'en' {
  return value === 'ru' || value === 'en' ? value : 'be';
}

export function citizenRoutes(
  intake: Intake,
  uploads: EncryptedTusStore,
  allowance: CitizenUploads,
  platformLogger: pino.Logger,
) {
  const logger = dayStampedLogger(platformLogger);
  return async (app: App) => {
    const forms = new FormTokens();
    const page = (lang: 'be' | 'ru' | 'en', error?: string, receipt?: string) =>
      citizenPage(lang, { ...issueForm(), maxBytes: intake.options.maxBytes }, error, receipt);
    /** A form token with the proof of work it will need, signed in it. */
    const issueForm = () => {
      const proofBits = allowance.proofBits();
      return { token: forms.issue(proofBits), proofBits };
    };
    // The form posted without JavaScript: the slower path, one global bucket (see upload-allowance.ts).
    const bucket = new TokenBucket(30, 60 / 3600);
    /** Sets the citizen upload directory's times to the start of the day (its entries come and go). */
    const backdateDirectory = async () => {
      const day = new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`);
      await utimes(uploads.directory, day, day).catch(() => {});
    };
    /** The upload a create made, for the request that made it (creation-with-upload). */
    const creating = new AsyncLocalStorage<{ uploadId?: string }>();

    // Citizens' resumable uploads, used by the page's script (/submit.js): anonymous, outside /api, no
    // session or cookie, the form's token (with its proof of work) and its own allowance, no file name
    // kept. The answer to the last PATCH carries the receipt code. If that answer is lost, a HEAD within
    // 15 minutes still gives it: upload id → receipt is held in memory only, never stored or logged.
    const finishedUploads = new Map<string, { receipt: string; size: number; at: number }>();
    const tus = new TusServer({
      path: '/submit/tus',
      datastore: uploads,
      maxSize: () => intake.options.maxBytes,
      relativeLocation: true,
      respectForwardedHeaders: false,
      // Same origin only: no Access-Control-Allow-Origin.
      allowedOrigins: [],
      async onUploadCreate(_request, upload) {
        const given = upload.metadata ?? {};
        const token = given.t ?? undefined;
        const state = forms.batchState(token);
        if (!state) throw new AppError('SVD_EVIDENCE_FORM_EXPIRED');
        // A token pays its proof of work once, when its submission starts.
        if (!state.started && !proofHolds(token!, given.p ?? undefined, state.proofBits))
          throw new AppError('SVD_EVIDENCE_PROOF_REQUIRED');
        allowance.checkCreate(state.nonce);
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
        if (metadata.receipt && !(await intake.receiptKnown(metadata.receipt)))
          throw new AppError('SVD_EVIDENCE_RECEIPT_UNKNOWN');
        if (!forms.checkBatch(token)) throw new AppError('SVD_EVIDENCE_FORM_EXPIRED');
        allowance.addUpload(state.nonce, upload.id);
        const request = creating.getStore();
        if (request) request.uploadId = upload.id;
        return { metadata };
      },
      async onUploadFinish(_request, upload) {
        try {
          const fields = await uploads.metadata(upload.id);
          const result = await intake.intake({
            stream: uploads.read(upload.id),
            channel: 'citizen',
            actor: { type: 'citizen' },
            ...(fields.note ? { note: fields.note } : {}),
            ...(fields.contact && !fields.receipt ? { sealedContact: fields.contact } : {}),
            ...(fields.receipt ? { receiptCode: fields.receipt } : {}),
          });
          const receipt = result.receiptCode ?? fields.receipt ?? '';
          const now = Date.now();
          for (const [id, done] of finishedUploads)
            if (now - done.at > 15 * 60_000) finishedUploads.delete(id);
          finishedUploads.set(upload.id, { receipt, size: result.size, at: now });
          return { headers: { 'Submit-Receipt': receipt } };
        } catch (error) {
          if (isAppError(error)) throw error;
          logger.error({ err: error }, 'citizen resumable submission failed');
          throw new AppError('SVD_HTTP_INTERNAL');
        } finally {
          // Nothing of a citizen's upload stays on disk, whether it was received or refused.
          allowance.forget(upload.id);
          await uploads.remove(upload.id).catch(() => {});
          await backdateDirectory();
        }
      },
      onResponseError: (_request, error) => tusErrorResponse(error),
    });

    await app.register(async (scope) => {
      await scope.register(fastifyMultipart, {
        limits: {
          fileSize: intake.options.maxBytes + 1,
          files: 200,
          fields: 20,
          fieldSize: 20_000,
          parts: 240,
        },
        throwFileSizeLimit: true,
      });

      // The citizen page: outside /api, no session, no cookies, no JavaScript needed.
      // Not logged: a request line's time would date a citizen's submission (see dayStampedLogger).
      scope.get('/submit', { schema: { hide: true }, logLevel: 'silent' }, async (request, reply) => {
        const lang = locale((request.query as Record<string, unknown>)?.lang);
        return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page(lang));
      });
      scope.get('/submit.css', { schema: { hide: true }, logLevel: 'silent' }, async (_request, reply) =>
        reply
          .header('cache-control', 'public, max-age=3600')
          .type('text/css; charset=utf-8')
          .send(SUBMIT_CSS),
      );
      // The page's optional script (resumable upload); script-src 'self' under the strict CSP.
      scope.get('/submit.js', { schema: { hide: true }, logLevel: 'silent' }, async (_request, reply) =>
        reply
          .header('cache-control', 'public, max-age=3600')
          .type('text/javascript; charset=utf-8')
          .send(SUBMIT_JS),
      );
      scope.post('/submit', { schema: { hide: true }, logLevel: 'silent' }, async (request, reply) => {
        const send = (status: number, html: string) =>
          reply
            .status(status)
            .header('cache-control', 'no-store')
            .type('text/html; charset=utf-8')
            .send(html);
        let lang: 'be' | 'ru' | 'en' = 'be';
        if (!request.isMultipart()) return send(415, page(lang, 'form'));
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
            const result = await intake.intake({
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
          if (!isAppError(error)) logger.error({ err: error }, 'citizen submission failed');
          const status = isAppError(error) ? error.status : 500;
          return send(status, page(lang, code, receiptCode));
        }
        if (results.length === 0) return send(400, page(lang, 'SVD_EVIDENCE_NO_FILE'));
        return send(200, receiptPage(lang, receiptCode ?? '', results.length));
      });
    });

    // The resumable endpoint: Fastify hands the raw request to the tus server. No access rule (not an
    // API route: no session, cookie or CSRF token is read), not logged, like /submit.
    await app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
      const handler = async (
        request: import('fastify').FastifyRequest,
        reply: import('fastify').FastifyReply,
      ) => {
        reply.hijack();
        const headers: Record<string, string> = {
          ...UPLOAD_HEADERS,
          'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
        };
        for (const [name, value] of Object.entries(headers)) reply.raw.setHeader(name, value);
        codeTusAnswers(reply.raw);
        const uploadId = (request.params as { uploadId?: string }).uploadId;
        const finished = uploadId ? finishedUploads.get(uploadId) : undefined;
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
        // Bytes about to arrive (a PATCH, or a create carrying the first ones) are admitted against the
        // storage bound first; the upload's true offset is read back once they are written.
        const carriesBytes =
          request.method === 'PATCH' ||
          (request.method === 'POST' &&
            request.headers['content-type'] === 'application/offset+octet-stream');
        let transfer: Transfer | undefined;
        if (carriesBytes) {
          try {
            transfer = allowance.beginTransfer(uploadId, await announcedBytes(request.headers, uploadId));
          } catch (error) {
            sendTusError(reply.raw, error);
            return;
          }
        }
        const context: { uploadId?: string } = {};
        try {
          await creating.run(context, () => tus.handle(request.raw, reply.raw));
        } finally {
          await transfer?.end(context.uploadId);
          // Creating and removing uploads changes their directory's times: set back to the day.
          if (request.method === 'POST' || request.method === 'DELETE') await backdateDirectory();
        }
      };
      /** What a transfer may bring: its Content-Length, else what the upload still lacks, else the maximum. */
      const announcedBytes = async (
        headers: import('node:http').IncomingHttpHeaders,
        uploadId: string | undefined,
      ): Promise<number> => {
        const length = Number(headers['content-length']);
        if (headers['content-length'] !== undefined && Number.isSafeInteger(length) && length >= 0)
          return Math.min(length, intake.options.maxBytes);
        const declared = Number(headers['upload-length']);
        if (!uploadId)
          return Number.isSafeInteger(declared) && declared >= 0 ? declared : intake.options.maxBytes;
        const known = await uploads.getUpload(uploadId).catch(() => undefined);
        return known?.size !== undefined ? known.size - (known.offset ?? 0) : intake.options.maxBytes;
      };
      // Uploads that receive nothing for a while are removed, freeing their share of the storage bound.
      const sweep = setInterval(
        () =>
          void allowance
            .sweep()
            .catch((error) => logger.warn({ err: error }, 'sweeping idle citizen uploads failed')),
        Math.min(60_000, allowance.limits.idleMs),
      );
      sweep.unref();
      scope.addHook('onClose', async () => clearInterval(sweep));
      for (const url of ['/submit/tus', '/submit/tus/:uploadId']) {
        scope.route({
          method: ['POST', 'PATCH', 'HEAD', 'DELETE', 'OPTIONS'],
          url,
          logLevel: 'silent',
          schema: { hide: true },
          handler,
        });
      }
    });
  };
}
