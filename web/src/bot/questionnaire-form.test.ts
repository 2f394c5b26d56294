import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.js';
import {
  freeId,
  move,
  newOption,
  newQuestion,
  segmentCatalogue,
  serverFieldErrors,
  toDraft,
  toPublishable,
  validateQuestionnaire,
} from './questionnaire-form.js';
import type { Questionnaire } from './types.js';

const text = (value: string) => ({ be: value, ru: value, en: value });

function sample(): Questionnaire {
  return {
    questions: [
      {
        id: 'region',
        role: 'region',
        multi: false,
        text: text('Where?'),
        options: [
          { id: 'brest', label: text('Brest'), segment: 'brest' },
          { id: 'undisclosed', label: text('Prefer not to say'), segment: null },
        ],
      },
      {
        id: 'participation',
        role: 'segment',
        multi: true,
        text: text('How?'),
        options: [
          { id: 'street', label: text('Street'), segment: 'street' },
          { id: 'undisclosed', label: text('Prefer not to say'), segment: null },
        ],
      },
    ],
  };
}

describe('validateQuestionnaire', () => {
  it('accepts a valid questionnaire', () => {
    expect(validateQuestionnaire(sample())).toEqual({});
  });

  it('puts each problem at its field', () => {
    const draft = sample();
    draft.questions[0]!.text.be = '  ';
    draft.questions[0]!.options[1]!.label.ru = 'x'.repeat(301);
    draft.questions[1]!.id = 'Bad Id';
    draft.questions[1]!.options[0]!.segment = 'UPPER';
    expect(validateQuestionnaire(draft)).toEqual({
      'questions.0.text.be': 'required',
      'questions.0.options.1.label.ru': 'tooLong',
      'questions.1.id': 'badCode',
      'questions.1.options.0.segment': 'badCode',
    });
  });

  it('finds repeated ids, missing options and a second region question', () => {
    const draft = sample();
    draft.questions[1]!.id = 'region';
    draft.questions[1]!.role = 'region';
    draft.questions[0]!.options[1]!.id = 'brest';
    draft.questions.push({ ...newQuestion(draft), options: [] });
    const problems = validateQuestionnaire(draft);
    expect(problems['questions.1.id']).toBe('duplicate');
    expect(problems['questions.0.options.1.id']).toBe('duplicate');
    expect(problems['questions.2.options']).toBe('noOptions');
    expect(problems['']).toBe('regionTwice');
  });

  it('asks for an opt-out answer (no segment) in every question', () => {
    const draft = sample();
    draft.questions[1]!.options.pop();
    expect(validateQuestionnaire(draft)).toEqual({ 'questions.1.options': 'noOptOut' });
  });

  it('needs at least one question and at most ten', () => {
    expect(validateQuestionnaire({ questions: [] })['']).toBe('noQuestions');
    const many = sample();
    for (let i = 0; i < 9; i += 1) many.questions.push({ ...many.questions[1]!, id: `q-${i}` });
    expect(validateQuestionnaire(many)['']).toBe('tooManyQuestions');
  });

  it('treats an empty segment code as "no segment"', () => {
    const draft = sample();
    draft.questions[1]!.options[0]!.segment = '';
    expect(validateQuestionnaire(draft)).toEqual({});
    expect(toPublishable(draft).questions[1]!.options[0]!.segment).toBeNull();
  });
});

describe('editing helpers', () => {
  it('makes fresh ids', () => {
    expect(freeId('option', ['option-1', 'option-3'])).toBe('option-2');
    const draft = sample();
    expect(newQuestion(draft).id).toBe('question-1');
    const option = newOption(draft.questions[1]!);
    expect(option).toMatchObject({ id: 'option-1', label: text(''), segment: 'option-1' });
    expect(option.key).not.toBe(newOption(draft.questions[1]!).key);
  });

  it('moves within bounds only', () => {
    expect(move(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(move(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(move(['a', 'b'], 0, -1)).toEqual(['a', 'b']);
  });

  it('gives editor rows keys and leaves them out of what is published', () => {
    const draft = toDraft(sample());
    expect(draft.questions[0]!.key).toMatch(/^row-/);
    expect(toPublishable(draft)).toEqual(sample());
  });

  it('trims texts before publishing', () => {
    const draft = sample();
    draft.questions[0]!.text.en = '  Where?  ';
    expect(toPublishable(draft).questions[0]!.text.en).toBe('Where?');
  });
});

describe('serverFieldErrors', () => {
  it('maps validation issues to field paths', () => {
    const error = new ApiError('SVD_HTTP_VALIDATION', 'Invalid', 400, {
      issues: [
        { path: 'body.questions.0.text.be', message: 'Too small' },
        { path: 'body', message: 'at most one question may have the region role' },
      ],
    });
    expect(serverFieldErrors(error)).toEqual({ 'questions.0.text.be': 'Too small' });
  });

  it('ignores other errors', () => {
    expect(serverFieldErrors(new ApiError('SVD_BOT_QUESTIONNAIRE_INVALID', 'x', 400))).toEqual({});
    expect(serverFieldErrors(new Error('x'))).toEqual({});
  });
});

describe('segmentCatalogue', () => {
  it('lists each segment once, marks regions and skips answers without a segment', () => {
    const draft = sample();
    draft.questions[1]!.options.push({ id: 'brest-again', label: text('Also Brest'), segment: 'brest' });
    expect(segmentCatalogue(draft)).toEqual([
      { code: 'brest', questionId: 'region', region: true, label: text('Brest') },
      { code: 'street', questionId: 'participation', region: false, label: text('Street') },
    ]);
  });
});
