/** The template editor's draft and its checks (mirroring `templateInputSchema` and the server's length rule). */
import { messageLength, messageLimit } from './telegram-html.js';
import { botLanguageValues, type Template, type TemplateInput } from './types.js';

export interface TemplateDraft {
  name: string;
  segment: string | null;
  versions: Record<'be' | 'ru' | 'en', { text: string; parseMode: 'HTML' | 'MarkdownV2' | null }>;
  media: { type: 'photo' | 'document'; fileId: string } | null;
}

export type TemplateProblem = 'required' | 'tooLong';

export function emptyTemplate(): TemplateDraft {
  const version = () => ({ text: '', parseMode: 'HTML' as const });
  return { name: '', segment: null, versions: { be: version(), ru: version(), en: version() }, media: null };
}

export function draftOf(template: Template): TemplateDraft {
  const version = (value: Template['versions']['be']) => ({ text: value.text, parseMode: value.parseMode });
  return {
    name: template.name,
    segment: template.segment,
    versions: {
      be: version(template.versions.be),
      ru: version(template.versions.ru),
      en: version(template.versions.en),
    },
    media: template.media ? { ...template.media } : null,
  };
}

/** Problems by field path ("name", "versions.be.text", "media.fileId"); empty when the server would accept. */
export function templateProblems(draft: TemplateDraft): Record<string, TemplateProblem> {
  const out: Record<string, TemplateProblem> = {};
  if (!draft.name.trim()) out.name = 'required';
  else if (draft.name.trim().length > 100) out.name = 'tooLong';
  const limit = messageLimit(draft.media !== null);
  for (const language of botLanguageValues) {
    const text = draft.versions[language].text;
    if (!text.trim()) out[`versions.${language}.text`] = 'required';
    else if (messageLength(text) > limit) out[`versions.${language}.text`] = 'tooLong';
  }
  if (draft.media) {
    if (!draft.media.fileId.trim()) out['media.fileId'] = 'required';
    else if (draft.media.fileId.trim().length > 300) out['media.fileId'] = 'tooLong';
  }
  return out;
}

export function toTemplateInput(draft: TemplateDraft): TemplateInput {
  return {
    name: draft.name.trim(),
    segment: draft.segment || null,
    versions: draft.versions,
    media: draft.media ? { type: draft.media.type, fileId: draft.media.fileId.trim() } : null,
  };
}
