import { platformErrors } from '@platform/errors.js';
import { describe, expect, it } from 'vitest';
import { createFormatters } from './format.js';
import { translationsOf } from './index.js';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [inner, text] of flatten(value, path)) out.set(inner, text);
  }
  return out;
}

const files = {
  be: flatten(translationsOf('be') as Tree),
  ru: flatten(translationsOf('ru') as Tree),
  en: flatten(translationsOf('en') as Tree),
};
const placeholders = (text: string) =>
  [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1]).sort();

describe('translations', () => {
  it('have exactly the same keys in be, ru and en', () => {
    const keys = [...files.be.keys()].sort();
    expect([...files.ru.keys()].sort()).toEqual(keys);
    expect([...files.en.keys()].sort()).toEqual(keys);
  });

  it('have no empty values', () => {
    for (const [language, entries] of Object.entries(files)) {
      const empty = [...entries]
        .filter(([, text]) => text.trim() === '')
        .map(([key]) => `${language}:${key}`);
      expect(empty).toEqual([]);
    }
  });

  it('use the same placeholders in every language', () => {
    const mismatched: string[] = [];
    for (const [key, text] of files.be) {
      for (const language of ['ru', 'en'] as const) {
        const other = files[language].get(key) ?? '';
        if (placeholders(other).join() !== placeholders(text).join()) mismatched.push(`${language}:${key}`);
      }
    }
    expect(mismatched).toEqual([]);
  });

  it('write Belarusian with Belarusian letters, not Russian ones', () => {
    // Belarusian Cyrillic has no и, щ or ъ (it writes і, шч and an apostrophe): a slip into Russian shows here.
    const russianOnly = /[ИиЩщЪъ]/;
    const offenders = [...files.be].filter(([, text]) => russianOnly.test(text)).map(([key]) => key);
    expect(offenders).toEqual([]);
    const all = [...files.be.values()].join(' ');
    expect(all).toMatch(/і/);
    expect(all).toMatch(/ў/);
  });

  it('translate every SVD_AUTH and SVD_HTTP error code the server defines, in every language', () => {
    // The server's own catalogue, not a copy: a code added there without a translation fails here.
    const codes = Object.keys(platformErrors).filter((code) => /^SVD_(AUTH|HTTP)_/.test(code));
    expect(codes.length).toBeGreaterThan(20);
    for (const language of ['be', 'ru', 'en'] as const) {
      const missing = codes.filter((code) => !files[language].has(`errors.${code}`));
      expect(missing, `${language}: untranslated error codes`).toEqual([]);
    }
  });
});

describe('formatters', () => {
  it('format dates in the interface language', () => {
    const at = '2024-03-05T10:20:30Z';
    expect(createFormatters('be').date(at)).not.toEqual(createFormatters('en').date(at));
    expect(createFormatters('en').date(at)).toMatch(/2024/);
    expect(createFormatters('en').dateTime(null)).toBe('');
  });

  it('write Belarusian dates numerically, never in English, where the browser lacks Belarusian data', () => {
    const noBelarusian = (locales: string[]) => locales.filter((locale) => locale !== 'be');
    const format = createFormatters('be', noBelarusian);
    expect(format.dateTime(new Date(2024, 2, 5, 14, 7, 9))).toBe('05.03.2024, 14:07:09');
    expect(format.date(new Date(2024, 2, 5))).toBe('05.03.2024');
    expect(format.number(12345.5)).toMatch(/^12\s345,5$/u);
  });

  it('group digits per locale', () => {
    expect(createFormatters('en').number(12345)).toBe('12,345');
    expect(createFormatters('ru').number(12345)).toMatch(/^12\s345$/u);
  });
});
