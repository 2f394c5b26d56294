/**
 * The bot area's API shapes, derived from the server's Zod schemas (`src/bot/model.ts`) so a change on one
 * side is a type error on the other. Only types cross over: nothing server-side is bundled.
 */
import type {
  Audience,
  BotLanguage,
  BroadcastProgress,
  BroadcastState,
  createBroadcastSchema,
  Localized,
  Question,
  Questionnaire,
  QuestionnaireVersion,
  SubscriberStats,
  Template,
  templateInputSchema,
} from '@bot/model.js';
import type { z } from 'zod';

export type {
  Audience,
  BotLanguage,
  BroadcastProgress,
  BroadcastState,
  Localized,
  Question,
  Questionnaire,
  QuestionnaireVersion,
  SubscriberStats,
  Template,
};

export type Option = Question['options'][number];
export type TemplateInput = z.input<typeof templateInputSchema>;
export type CreateBroadcastInput = z.input<typeof createBroadcastSchema>;
export type MessageVersion = Template['versions']['be'];
export type ParseMode = MessageVersion['parseMode'];
export type Media = Template['media'];

/** What GET /api/bot/status answers (declared inline in src/bot/routes.ts). */
export interface BotStatus {
  configured: boolean;
  paidBroadcasts: boolean;
  defaultRate: number;
}

/** One segment of the current questionnaire, as GET /api/bot/stats lists them. */
export interface Segment {
  code: string;
  questionId: string;
  region: boolean;
  label: Localized;
}

export type BotStats = SubscriberStats & { segments: Segment[] };

/** The three languages of the bot, in the order the forms show them (be first, like the interface). */
export const botLanguageValues = ['be', 'ru', 'en'] as const satisfies readonly BotLanguage[];
export const broadcastStateValues = [
  'running',
  'paused',
  'cancelled',
  'done',
] as const satisfies readonly BroadcastState[];
export const parseModeValues = ['HTML', 'MarkdownV2'] as const satisfies readonly NonNullable<ParseMode>[];
