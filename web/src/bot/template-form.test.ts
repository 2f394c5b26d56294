import { describe, expect, it } from 'vitest';
import { draftOf, emptyTemplate, templateProblems, toTemplateInput } from './template-form.js';

describe('template drafts', () => {
  it('ask for a name and a text in every language', () => {
    expect(templateProblems(emptyTemplate())).toEqual({
      name: 'required',
      'versions.be.text': 'required',
      'versions.ru.text': 'required',
      'versions.en.text': 'required',
    });
  });

  it('allow 4096 characters, or 1024 as a caption under media', () => {
    const draft = emptyTemplate();
    draft.name = 'Instruction';
    for (const language of ['be', 'ru', 'en'] as const) draft.versions[language].text = 'ы'.repeat(2000);
    expect(templateProblems(draft)).toEqual({});
    draft.media = { type: 'photo', fileId: '' };
    expect(templateProblems(draft)).toMatchObject({
      'versions.be.text': 'tooLong',
      'media.fileId': 'required',
    });
  });

  it('round-trip a template and trim what the server trims', () => {
    const template = {
      id: '00000000-0000-4000-8000-000000000000',
      name: 'x',
      segment: 'street',
      versions: {
        be: { text: 'a', parseMode: 'HTML' as const },
        ru: { text: 'b', parseMode: null },
        en: { text: 'c', parseMode: 'MarkdownV2' as const },
      },
      media: { type: 'document' as const, fileId: 'BQAC' },
      createdAt: '',
      updatedAt: '',
    };
    const draft = draftOf(template);
    draft.name = '  x  ';
    draft.media!.fileId = ' BQAC ';
    const input = toTemplateInput(draft);
    expect(input.name).toBe('x');
    expect(input.media).toEqual({ type: 'document', fileId: 'BQAC' });
    expect(input.versions.ru.parseMode).toBeNull();
    expect(toTemplateInput({ ...draft, segment: '' }).segment).toBeNull();
  });
});
