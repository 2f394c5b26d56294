/** HTTP routes of the bot area: validate, authorize, call the service. Counts only, never subscriber lists. */
import { z } from 'zod';
import { ADMIN, STAFF } from '../platform/http/access-rules.js';
import type { App } from '../platform/http/app.js';
import {
  audienceSchema,
  createBroadcastSchema,
  progressSchema,
  publishableQuestionnaireSchema,
  questionnaireVersionSchema,
  segmentCatalogue,
  subscriberStatsSchema,
  templateInputSchema,
  templateSchema,
} from './model.js';
import type { BotService } from './service.js';

const idParams = z.object({ id: z.string().uuid() }).strict();
const empty = z.object({}).strict().optional();
const segmentSchema = z.object({
  code: z.string(),
  questionId: z.string(),
  region: z.boolean(),
  label: z.object({ be: z.string(), ru: z.string(), en: z.string() }),
});

export function botRoutes(service: BotService) {
  return (app: App) => {
    app.get(
      '/api/bot/status',
      {
        config: { access: { roles: STAFF } },
        schema: {
          tags: ['bot'],
          response: {
            200: z.object({ configured: z.boolean(), paidBroadcasts: z.boolean(), defaultRate: z.number() }),
          },
        },
      },
      async () => ({
        configured: Boolean(service.settings.token),
        paidBroadcasts: service.settings.paidBroadcasts,
        defaultRate: service.settings.rate,
      }),
    );

    app.get(
      '/api/bot/stats',
      {
        config: { access: { roles: STAFF } },
        schema: {
          tags: ['bot'],
          response: { 200: subscriberStatsSchema.extend({ segments: z.array(segmentSchema) }) },
        },
      },
      async () => {
        const questionnaire = await service.currentQuestionnaire();
        return { ...(await service.stats()), segments: segmentCatalogue(questionnaire.definition) };
      },
    );

    app.get(
      '/api/bot/questionnaire',
      {
        config: { access: { roles: STAFF } },
        schema: { tags: ['bot'], response: { 200: questionnaireVersionSchema } },
      },
      async () => service.currentQuestionnaire(),
    );

    app.put(
      '/api/bot/questionnaire',
      {
        config: { access: { roles: ADMIN } },
        schema: {
          tags: ['bot'],
          body: publishableQuestionnaireSchema,
          response: { 200: questionnaireVersionSchema },
        },
      },
      async (request) => service.publishQuestionnaire(request.principal!, request.body),
    );

    app.get(
      '/api/bot/templates',
      {
        config: { access: { roles: STAFF } },
        schema: { tags: ['bot'], response: { 200: z.object({ items: z.array(templateSchema) }) } },
      },
      async () => ({ items: await service.listTemplates() }),
    );

    app.post(
      '/api/bot/templates',
      {
        config: { access: { roles: ADMIN } },
        schema: { tags: ['bot'], body: templateInputSchema, response: { 200: templateSchema } },
      },
      async (request) => service.createTemplate(request.principal!, request.body),
    );

    app.put(
      '/api/bot/templates/:id',
      {
        config: { access: { roles: ADMIN } },
        schema: {
          tags: ['bot'],
          params: idParams,
          body: templateInputSchema,
          response: { 200: templateSchema },
        },
      },
      async (request) => service.updateTemplate(request.principal!, request.params.id, request.body),
    );

    app.delete(
      '/api/bot/templates/:id',
      {
        config: { access: { roles: ADMIN } },
        schema: { tags: ['bot'], params: idParams },
      },
      async (request, reply) => {
        await service.deleteTemplate(request.principal!, request.params.id);
        return reply.status(204).send();
      },
    );

    app.post(
      '/api/bot/audience/count',
      {
        config: { access: { roles: STAFF } },
        schema: {
          tags: ['bot'],
          body: z.object({ audience: audienceSchema }).strict(),
          response: { 200: z.object({ count: z.number() }) },
        },
      },
      async (request) => ({ count: await service.countAudience(request.body.audience) }),
    );

    app.get(
      '/api/bot/broadcasts',
      {
        config: { access: { roles: STAFF } },
        schema: { tags: ['bot'], response: { 200: z.object({ items: z.array(progressSchema) }) } },
      },
      async () => ({ items: await service.listBroadcasts() }),
    );

    app.post(
      '/api/bot/broadcasts',
      {
        config: { access: { roles: ADMIN } },
        schema: { tags: ['bot'], body: createBroadcastSchema, response: { 200: progressSchema } },
      },
      async (request) => service.createBroadcast(request.principal!, request.body),
    );

    app.get(
      '/api/bot/broadcasts/:id',
      {
        config: { access: { roles: STAFF } },
        schema: { tags: ['bot'], params: idParams, response: { 200: progressSchema } },
      },
      async (request) => service.progress(request.params.id),
    );

    for (const action of ['cancel', 'pause', 'resume'] as const) {
      app.post(
        `/api/bot/broadcasts/:id/${action}`,
        {
          config: { access: { roles: ADMIN } },
          schema: { tags: ['bot'], params: idParams, body: empty, response: { 200: progressSchema } },
        },
        async (request) =>
          action === 'cancel'
            ? service.cancelBroadcast(request.principal!, request.params.id)
            : service.pauseBroadcast(request.principal!, request.params.id, action === 'pause'),
      );
    }
  };
}
