/** Typed calls to the bot area's API, on top of the app's one JSON client. Counts only, never subscribers. */
import { id, request } from '../api/client.js';
import type {
  Audience,
  BotStats,
  BotStatus,
  BroadcastProgress,
  CreateBroadcastInput,
  Questionnaire,
  QuestionnaireVersion,
  Template,
  TemplateInput,
} from './types.js';

export const botKeys = {
  status: ['bot', 'status'] as const,
  stats: ['bot', 'stats'] as const,
  questionnaire: ['bot', 'questionnaire'] as const,
  templates: ['bot', 'templates'] as const,
  broadcasts: ['bot', 'broadcasts'] as const,
  broadcast: (broadcastId: string) => ['bot', 'broadcasts', broadcastId] as const,
  audience: (audience: Audience) => ['bot', 'audience', audience] as const,
};

export const botApi = {
  status: () => request<BotStatus>('GET', '/api/bot/status'),
  stats: () => request<BotStats>('GET', '/api/bot/stats'),
  questionnaire: () => request<QuestionnaireVersion>('GET', '/api/bot/questionnaire'),
  publishQuestionnaire: (definition: Questionnaire) =>
    request<QuestionnaireVersion>('PUT', '/api/bot/questionnaire', definition),
  templates: () => request<{ items: Template[] }>('GET', '/api/bot/templates'),
  createTemplate: (input: TemplateInput) => request<Template>('POST', '/api/bot/templates', input),
  updateTemplate: (templateId: string, input: TemplateInput) =>
    request<Template>('PUT', `/api/bot/templates/${id(templateId)}`, input),
  deleteTemplate: (templateId: string) => request<void>('DELETE', `/api/bot/templates/${id(templateId)}`),
  countAudience: (audience: Audience) =>
    request<{ count: number }>('POST', '/api/bot/audience/count', { audience }),
  broadcasts: () => request<{ items: BroadcastProgress[] }>('GET', '/api/bot/broadcasts'),
  broadcast: (broadcastId: string) =>
    request<BroadcastProgress>('GET', `/api/bot/broadcasts/${id(broadcastId)}`),
  createBroadcast: (input: CreateBroadcastInput) =>
    request<BroadcastProgress>('POST', '/api/bot/broadcasts', input),
  broadcastAction: (broadcastId: string, action: 'cancel' | 'pause' | 'resume') =>
    request<BroadcastProgress>('POST', `/api/bot/broadcasts/${id(broadcastId)}/${action}`, {}),
};
