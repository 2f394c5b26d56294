/**
 * The bot area's data shapes: the questionnaire (data, versioned), templates, broadcasts and their
 * audience expressions, the evidence intake contract, and the area's error codes. Zod schemas here
 * validate requests, type the code and feed the OpenAPI document.
 */
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { defineErrors } from '../platform/errors.js';

export const botErrors = defineErrors({
  SVD_BOT_NOT_CONFIGURED: {
    status: 500,
    message: 'The bot token is not set: give TELEGRAM_BOT_TOKEN or TELEGRAM_BOT_TOKEN_FILE.',
  },
  SVD_BOT_KEY: {
    status: 500,
    message: 'The broadcast key pair is missing or invalid (keys/broadcast.public, keys/broadcast.secret).',
  },
  SVD_BOT_QUESTIONNAIRE_INVALID: { status: 400, message: 'The questionnaire is not valid.' },
  SVD_BOT_TEMPLATE_EXISTS: { status: 409, message: 'A template with this name already exists.' },
  SVD_BOT_AUDIENCE_INVALID: {
    status: 400,
    message: 'The audience names a segment or region that does not exist.',
  },
  SVD_BOT_AUDIENCE_EMPTY: { status: 400, message: 'No subscriber matches this audience.' },
  SVD_BOT_CONTENT_INVALID: {
    status: 400,
    message:
      'The message is not valid: give a text for every language (at most 4096 characters, 1024 with media).',
  },
  SVD_BOT_BROADCAST_STATE: { status: 409, message: 'The broadcast is not in a state that allows this.' },
  SVD_BOT_RATE: {
    status: 400,
    message: 'The rate must be between 1 and 30 messages per second, or up to 1000 with paid broadcasts.',
  },
});

export const botLanguages = ['be', 'ru', 'en'] as const;
export const botLanguageSchema = z.enum(botLanguages);
export type BotLanguage = z.infer<typeof botLanguageSchema>;

const localized = z.object({
  be: z.string().trim().min(1).max(300),
  ru: z.string().trim().min(1).max(300),
  en: z.string().trim().min(1).max(300),
});
export type Localized = z.infer<typeof localized>;

/** Ids travel in callback data (64 bytes at most), so they are short and plain. */
const codeSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,23}$/, 'a-z, 0-9 and dash; at most 24 characters');

export const optionSchema = z.object({
  id: codeSchema,
  label: localized,
  /** Segment this answer puts the subscriber in; null for answers that target nothing ("prefer not to say"). */
  segment: codeSchema.nullable(),
});

export const questionSchema = z.object({
  id: codeSchema,
  /** 'region' marks the question whose segments `--region` selects from. */
  role: z.enum(['region', 'segment']).default('segment'),
  multi: z.boolean(),
  text: localized,
  options: z.array(optionSchema).min(1).max(12),
});
export type Question = z.infer<typeof questionSchema>;

export const questionnaireSchema = z
  .object({ questions: z.array(questionSchema).min(1).max(10) })
  .superRefine((value, ctx) => {
    const ids = new Set<string>();
    for (const question of value.questions) {
      if (ids.has(question.id)) ctx.addIssue({ code: 'custom', message: `question ${question.id} repeats` });
      ids.add(question.id);
      const options = new Set<string>();
      for (const option of question.options) {
        if (options.has(option.id))
          ctx.addIssue({ code: 'custom', message: `option ${question.id}/${option.id} repeats` });
        options.add(option.id);
      }
    }
    if (value.questions.filter((q) => q.role === 'region').length > 1)
      ctx.addIssue({ code: 'custom', message: 'at most one question may have the region role' });
  });
export type Questionnaire = z.infer<typeof questionnaireSchema>;

/**
 * What an administrator may publish: besides the shape, every question has an opt-out answer (one
 * without a segment, such as "Prefer not to say"), because nobody may be forced to tell the bot where
 * they live or whether they would join street actions. Versions stored before this rule are still
 * read with `questionnaireSchema`.
 */
export const publishableQuestionnaireSchema = questionnaireSchema.superRefine((value, ctx) => {
  value.questions.forEach((question, index) => {
    if (!question.options.some((option) => option.segment === null))
      ctx.addIssue({
        code: 'custom',
        path: ['questions', index, 'options'],
        message: `Question ${question.id} needs an answer without a segment (such as "Prefer not to say"): nobody may be forced to answer.`,
      });
  });
});

export const questionnaireVersionSchema = z.object({
  version: z.number().int(),
  definition: questionnaireSchema,
  createdAt: z.string(),
});
export type QuestionnaireVersion = z.infer<typeof questionnaireVersionSchema>;

/** Answers of one subscriber: option ids per question id. */
export type Answers = Record<string, string[]>;

const region = (id: string, be: string, ru: string, en: string) => ({
  id,
  label: { be, ru, en },
  segment: id,
});

/** The questionnaire a new installation starts with (version 1). */
export const defaultQuestionnaire: Questionnaire = {
  questions: [
    {
      id: 'region',
      role: 'region',
      multi: false,
      text: {
        be: 'Дзе вы жывяце? Дастаткова вобласці.',
        ru: 'Где вы живёте? Достаточно области.',
        en: 'Where do you live? The region is enough.',
      },
      options: [
        region('minsk-city', 'Мінск', 'Минск', 'Minsk (city)'),
        region('brest', 'Брэсцкая вобласць', 'Брестская область', 'Brest region'),
        region('vitebsk', 'Віцебская вобласць', 'Витебская область', 'Vitebsk region'),
        region('gomel', 'Гомельская вобласць', 'Гомельская область', 'Gomel region'),
        region('grodno', 'Гродзенская вобласць', 'Гродненская область', 'Grodno region'),
        region('minsk-region', 'Мінская вобласць', 'Минская область', 'Minsk region'),
        region('mogilev', 'Магілёўская вобласць', 'Могилёвская область', 'Mogilev region'),
        {
          id: 'undisclosed',
          label: { be: 'Не хачу казаць', ru: 'Не хочу указывать', en: 'Prefer not to say' },
          segment: null,
        },
      ],
    },
    {
      id: 'participation',
      role: 'segment',
      multi: true,
      text: {
        be: 'Як вы гатовыя ўдзельнічаць? Можна выбраць некалькі або «Не хачу казаць».',
        ru: 'Как вы готовы участвовать? Можно выбрать несколько или «Не хочу указывать».',
        en: 'How are you ready to take part? You can choose several, or “Prefer not to say”.',
      },
      options: [
        {
          id: 'street',
          label: { be: 'Вулічныя акцыі', ru: 'Уличные акции', en: 'Street actions' },
          segment: 'street',
        },
        {
          id: 'workplace',
          label: { be: 'Акцыі на працы', ru: 'Акции на работе', en: 'Workplace actions' },
          segment: 'workplace',
        },
        {
          id: 'quiet',
          label: { be: 'Ціхая падтрымка', ru: 'Тихая поддержка', en: 'Quiet support' },
          segment: 'quiet',
        },
        {
          id: 'documentation',
          label: { be: 'Дакументаванне', ru: 'Документирование', en: 'Documentation' },
          segment: 'documentation',
        },
        {
          id: 'undisclosed',
          label: { be: 'Не хачу казаць', ru: 'Не хочу указывать', en: 'Prefer not to say' },
          segment: null,
        },
      ],
    },
  ],
};

/** Segments an answer set puts a subscriber in, read with the questionnaire version it was given under. */
export function segmentsOf(definition: Questionnaire, answers: Answers): Set<string> {
  const segments = new Set<string>();
  for (const question of definition.questions) {
    for (const optionId of answers[question.id] ?? []) {
      const option = question.options.find((o) => o.id === optionId);
      if (option?.segment) segments.add(option.segment);
    }
  }
  return segments;
}

/** Every segment code a questionnaire defines, with the question it belongs to. */
export function segmentCatalogue(definition: Questionnaire): Array<{
  code: string;
  questionId: string;
  region: boolean;
  label: Localized;
}> {
  const out: Array<{ code: string; questionId: string; region: boolean; label: Localized }> = [];
  for (const question of definition.questions) {
    for (const option of question.options) {
      if (option.segment && !out.some((s) => s.code === option.segment)) {
        out.push({
          code: option.segment,
          questionId: question.id,
          region: question.role === 'region',
          label: option.label,
        });
      }
    }
  }
  return out;
}

export const audienceSchema = z
  .object({
    /** Empty: everyone who finished the questionnaire. */
    segments: z.array(codeSchema).max(20).default([]),
    mode: z.enum(['any', 'all']).default('any'),
    region: codeSchema.nullable().default(null),
  })
  .strict();
export type Audience = z.infer<typeof audienceSchema>;

/** True when a subscriber with these segments is in the audience. */
export function matchesAudience(audience: Audience, segments: ReadonlySet<string>): boolean {
  if (audience.region && !segments.has(audience.region)) return false;
  if (audience.segments.length === 0) return true;
  return audience.mode === 'all'
    ? audience.segments.every((s) => segments.has(s))
    : audience.segments.some((s) => segments.has(s));
}

export const parseModeSchema = z.enum(['HTML', 'MarkdownV2']).nullable();
export const messageVersionSchema = z.object({
  text: z.string().min(1).max(4096),
  parseMode: parseModeSchema.default('HTML'),
});
export const mediaSchema = z
  .object({ type: z.enum(['photo', 'document']), fileId: z.string().min(1).max(300) })
  .nullable();
export const contentSchema = z.object({
  versions: z.object({ be: messageVersionSchema, ru: messageVersionSchema, en: messageVersionSchema }),
  media: mediaSchema.default(null),
});
export type BroadcastContent = z.infer<typeof contentSchema>;

export const templateInputSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    segment: codeSchema.nullable().default(null),
    versions: contentSchema.shape.versions,
    media: mediaSchema.default(null),
  })
  .strict();
export type TemplateInput = z.infer<typeof templateInputSchema>;

export const templateSchema = z.object({
  id: z.string().uuid(),
  name: z.string(),
  segment: z.string().nullable(),
  versions: contentSchema.shape.versions,
  media: mediaSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Template = z.infer<typeof templateSchema>;

export const broadcastStates = ['running', 'paused', 'cancelled', 'done'] as const;
export type BroadcastState = (typeof broadcastStates)[number];
export const deliveryStates = ['pending', 'sending', 'sent', 'failed', 'unknown', 'cancelled'] as const;
export type DeliveryState = (typeof deliveryStates)[number];

export const createBroadcastSchema = z
  .object({
    audience: audienceSchema,
    templateId: z.string().uuid().optional(),
    /** A one-off message instead of a template: the same text in every language unless given per language. */
    content: contentSchema.optional(),
    rate: z.number().int().min(1).max(1000).optional(),
    paid: z.boolean().default(false),
    resendUnknown: z.boolean().default(false),
  })
  .strict();
export type CreateBroadcastInput = z.infer<typeof createBroadcastSchema>;

export const progressSchema = z.object({
  id: z.string().uuid(),
  state: z.enum(broadcastStates),
  audience: audienceSchema,
  templateId: z.string().nullable(),
  rate: z.number(),
  paid: z.boolean(),
  total: z.number(),
  pending: z.number(),
  sending: z.number(),
  sent: z.number(),
  failed: z.number(),
  unknown: z.number(),
  cancelled: z.number(),
  removed: z.number(),
  /** Messages per second since the broadcast started (average). */
  achievedRate: z.number(),
  etaSeconds: z.number().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  pruned: z.boolean(),
});
export type BroadcastProgress = z.infer<typeof progressSchema>;

export const subscriberStatsSchema = z.object({
  total: z.number(),
  confirmed: z.number(),
  byLanguage: z.record(z.string(), z.number()),
  bySegment: z.record(z.string(), z.number()),
  byRegion: z.record(z.string(), z.number()),
});
export type SubscriberStats = z.infer<typeof subscriberStatsSchema>;

/** What the evidence vault's intake takes and returns (areas.evidence.intake), as far as the bot uses it. */
export interface EvidenceIntakeInput {
  stream: Readable;
  fileName?: string;
  declaredMediaType?: string;
  channel: 'bot';
  sourceLabel?: string;
  actor: { type: 'bot' };
}
export interface EvidenceIntakeResult {
  itemId: string;
  sha256: string;
  size: number;
  mediaType: string;
  duplicate: boolean;
  receiptCode?: string;
}
export interface EvidenceIntake {
  intake(input: EvidenceIntakeInput): Promise<EvidenceIntakeResult>;
}
