/**
 * The questionnaire editor's rules, checked in the browser before publishing so a person sees every
 * problem at its field; they mirror `questionnaireSchema` in src/bot/model.ts, and the server's own
 * validation issues are mapped to the same field paths ("questions.0.text.be").
 */
import { ApiError } from '../api/client.js';
import type { Option, Question, Questionnaire } from './types.js';
import { botLanguageValues } from './types.js';

export type FieldProblem =
  | 'required'
  | 'tooLong'
  | 'badCode'
  | 'duplicate'
  | 'noOptions'
  | 'tooManyOptions'
  | 'noQuestions'
  | 'tooManyQuestions'
  | 'regionTwice'
  | 'noOptOut';

/** Field path → problem; the path '' holds problems of the whole questionnaire. */
export type FieldProblems = Record<string, FieldProblem>;

export const MAX_QUESTIONS = 10;
export const MAX_OPTIONS = 12;
export const MAX_TEXT = 300;
/** Ids travel in Telegram callback data: short, lower-case, digits and dashes. */
export const codePattern = /^[a-z0-9][a-z0-9-]{0,23}$/;

function checkText(value: string, path: string, out: FieldProblems): void {
  const trimmed = value.trim();
  if (!trimmed) out[path] = 'required';
  else if (trimmed.length > MAX_TEXT) out[path] = 'tooLong';
}

function checkCode(value: string, path: string, out: FieldProblems): void {
  if (!value) out[path] = 'required';
  else if (!codePattern.test(value)) out[path] = 'badCode';
}

/** Every problem of a draft questionnaire; empty when the server would accept it. */
export function validateQuestionnaire(draft: Questionnaire): FieldProblems {
  const out: FieldProblems = {};
  if (draft.questions.length === 0) out[''] = 'noQuestions';
  if (draft.questions.length > MAX_QUESTIONS) out[''] = 'tooManyQuestions';
  if (draft.questions.filter((question) => question.role === 'region').length > 1) out[''] = 'regionTwice';
  const questionIds = new Set<string>();
  draft.questions.forEach((question, q) => {
    const base = `questions.${q}`;
    checkCode(question.id, `${base}.id`, out);
    if (question.id && questionIds.has(question.id)) out[`${base}.id`] = 'duplicate';
    questionIds.add(question.id);
    for (const language of botLanguageValues)
      checkText(question.text[language], `${base}.text.${language}`, out);
    if (question.options.length === 0) out[`${base}.options`] = 'noOptions';
    if (question.options.length > MAX_OPTIONS) out[`${base}.options`] = 'tooManyOptions';
    // Nobody may be forced to answer: as the server (publishableQuestionnaireSchema), every question
    // needs an answer without a segment, such as "Prefer not to say".
    else if (question.options.length > 0 && question.options.every((option) => option.segment?.trim()))
      out[`${base}.options`] = 'noOptOut';
    const optionIds = new Set<string>();
    question.options.forEach((option, o) => {
      const path = `${base}.options.${o}`;
      checkCode(option.id, `${path}.id`, out);
      if (option.id && optionIds.has(option.id)) out[`${path}.id`] = 'duplicate';
      optionIds.add(option.id);
      for (const language of botLanguageValues)
        checkText(option.label[language], `${path}.label.${language}`, out);
      const segment = option.segment?.trim();
      if (segment && !codePattern.test(segment)) out[`${path}.segment`] = 'badCode';
    });
  });
  return out;
}

/**
 * The server's validation issues (SVD_HTTP_VALIDATION details) by field path, so they appear at the field
 * like the browser's own checks. Issues without a usable path are left to the error alert.
 */
export function serverFieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || error.code !== 'SVD_HTTP_VALIDATION') return {};
  const issues = error.details?.issues;
  if (!Array.isArray(issues)) return {};
  const out: Record<string, string> = {};
  for (const issue of issues) {
    if (!issue || typeof issue !== 'object') continue;
    const { path, message } = issue as { path?: unknown; message?: unknown };
    if (typeof path !== 'string' || typeof message !== 'string') continue;
    const field = path.replace(/^body\.?/, '');
    if (field) out[field] ??= message;
  }
  return out;
}

/** An id not yet used, made from `prefix` and the first free number ("option-5"). */
export function freeId(prefix: string, used: Iterable<string>): string {
  const taken = new Set(used);
  for (let n = 1; ; n += 1) {
    const candidate = `${prefix}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

const emptyText = () => ({ be: '', ru: '', en: '' });

/** Rows of the editor carry a key of their own, so React keeps focus and state when rows move or go. */
export type DraftOption = Option & { key: string };
export type DraftQuestion = Omit<Question, 'options'> & { key: string; options: DraftOption[] };
export interface Draft {
  questions: DraftQuestion[];
}

let keyCounter = 0;
const nextKey = () => {
  keyCounter += 1;
  return `row-${keyCounter}`;
};

/** The editable copy of a published questionnaire. */
export function toDraft(questionnaire: Questionnaire): Draft {
  return {
    questions: questionnaire.questions.map((question) => ({
      ...structuredClone(question),
      key: nextKey(),
      options: question.options.map((option) => ({ ...structuredClone(option), key: nextKey() })),
    })),
  };
}

export function newOption(question: Pick<Question, 'options'>): DraftOption {
  const id = freeId(
    'option',
    question.options.map((option) => option.id),
  );
  return { id, label: emptyText(), segment: id, key: nextKey() };
}

export function newQuestion(questionnaire: Questionnaire): DraftQuestion {
  const id = freeId(
    'question',
    questionnaire.questions.map((question) => question.id),
  );
  return {
    id,
    role: 'segment',
    multi: false,
    text: emptyText(),
    options: [newOption({ options: [] })],
    key: nextKey(),
  };
}

/** Moves an element of a list one place up (-1) or down (+1); out-of-range moves change nothing. */
export function move<T>(list: readonly T[], index: number, by: -1 | 1): T[] {
  const target = index + by;
  if (index < 0 || index >= list.length || target < 0 || target >= list.length) return [...list];
  const out = [...list];
  [out[index], out[target]] = [out[target]!, out[index]!];
  return out;
}

/** The draft as the server expects it: texts trimmed, empty segment codes as null. */
export function toPublishable(draft: Questionnaire): Questionnaire {
  const trim = (text: Question['text']) => ({ be: text.be.trim(), ru: text.ru.trim(), en: text.en.trim() });
  return {
    questions: draft.questions.map((question) => ({
      id: question.id.trim(),
      role: question.role,
      multi: question.multi,
      text: trim(question.text),
      options: question.options.map((option) => ({
        id: option.id.trim(),
        label: trim(option.label),
        segment: option.segment?.trim() ? option.segment.trim() : null,
      })),
    })),
  };
}

/** A segment a questionnaire defines: the code, its answer's label, and whether it is a region. */
export interface CatalogueEntry {
  code: string;
  questionId: string;
  region: boolean;
  label: Question['text'];
}

/** Every segment code of a questionnaire, first answer wins (as `segmentCatalogue` on the server). */
export function segmentCatalogue(questionnaire: Questionnaire): CatalogueEntry[] {
  const out: CatalogueEntry[] = [];
  for (const question of questionnaire.questions) {
    for (const option of question.options) {
      if (option.segment && !out.some((entry) => entry.code === option.segment))
        out.push({
          code: option.segment,
          questionId: question.id,
          region: question.role === 'region',
          label: option.label,
        });
    }
  }
  return out;
}
