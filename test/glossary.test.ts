/**
 * One term per concept: the glossary in web/src/i18n/README.md names, per concept, the variants that
 * must not appear in Belarusian or Russian. This test reads that table and looks for them, as whole
 * words ignoring case, in every web translation, the bot's texts and the default questionnaire.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultQuestionnaire } from '../src/bot/model.js';
import { commandDescriptions, texts } from '../src/bot/texts.js';
import { projectRoot } from '../src/platform/package-info.js';

const i18nDir = path.join(projectRoot, 'web/src/i18n');

/** The glossary rows: concept and the forbidden variants per language. */
function glossary(): Array<{ concept: string; forbidden: { be: string[]; ru: string[] } }> {
  const readme = readFileSync(path.join(i18nDir, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Glossary'));
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*(concept|---)/.test(line));
  return rows.map((line) => {
    const cells = line.split('|').map((cell) => cell.trim());
    const list = (cell: string | undefined) =>
      (cell ?? '')
        .split(',')
        .map((variant) => variant.trim())
        .filter(Boolean);
    return { concept: cells[1]!, forbidden: { be: list(cells[5]), ru: list(cells[6]) } };
  });
}

/** Every string in a JSON value, with its key path. */
function strings(value: unknown, at: string, out: Array<[string, string]>): Array<[string, string]> {
  if (typeof value === 'string') out.push([at, value]);
  else if (value && typeof value === 'object')
    for (const [key, inner] of Object.entries(value)) strings(inner, at ? `${at}.${key}` : key, out);
  return out;
}

/** Every user-facing string of a language: web translations, bot texts, the default questionnaire. */
function corpus(language: 'be' | 'ru'): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const file of readdirSync(path.join(i18nDir, language)).filter((f) => f.endsWith('.json')))
    strings(JSON.parse(readFileSync(path.join(i18nDir, language, file), 'utf8')), file.slice(0, -5), out);
  const bot = texts[language];
  for (const [key, value] of Object.entries(bot))
    out.push([
      `bot:${key}`,
      typeof value === 'function' ? `${value('CODE', true)} ${value('CODE', false)}` : value,
    ]);
  for (const command of commandDescriptions[language])
    out.push([`bot:/${command.command}`, command.description]);
  for (const question of defaultQuestionnaire.questions) {
    out.push([`questionnaire:${question.id}`, question.text[language]]);
    for (const option of question.options)
      out.push([`questionnaire:${question.id}/${option.id}`, option.label[language]]);
  }
  return out;
}

function wholeWord(variant: string): RegExp {
  const escaped = variant.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<!\\p{L})${escaped}(?!\\p{L})`, 'iu');
}

describe('glossary', () => {
  const rows = glossary();

  it('is read from the README', () => {
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.some((row) => row.forbidden.be.length > 0 && row.forbidden.ru.length > 0)).toBe(true);
  });

  for (const language of ['be', 'ru'] as const) {
    it(`no forbidden variant appears in ${language}`, () => {
      const texts = corpus(language);
      const found: string[] = [];
      for (const row of rows)
        for (const variant of row.forbidden[language]) {
          const pattern = wholeWord(variant);
          for (const [key, value] of texts)
            if (pattern.test(value)) found.push(`${key}: "${variant}" (use the term for "${row.concept}")`);
        }
      expect(found).toEqual([]);
    });
  }

  it('writes hours as гадз in Belarusian (г is a year)', () => {
    const bot = JSON.parse(readFileSync(path.join(i18nDir, 'be', 'bot.json'), 'utf8'));
    expect(bot.duration.hours).toBe('гадз');
  });
});
