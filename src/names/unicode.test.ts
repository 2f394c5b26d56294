import { describe, expect, it } from 'vitest';
import { cleanText, foldCase, hasControlChars, stripDiacritics } from './unicode.js';

describe('cleanText', () => {
  it('folds apostrophe variants to one apostrophe', () => {
    for (const a of ['’', '‘', 'ʼ', '`', '´', "'", 'ʹ', '＇']) expect(cleanText(`Дар${a}я`)).toBe("Дар'я");
  });
  it('collapses whitespace of any kind and trims', () => {
    expect(cleanText('  Іван \t\n Пятровіч\u00a0 \u2003Кавалёў  ')).toBe('Іван Пятровіч Кавалёў');
  });
  it('drops invisible formatting and control characters', () => {
    expect(cleanText('\ufeffІ\u200bван\u200e\u0007')).toBe('Іван');
    expect(cleanText('Ka\u00advaliou')).toBe('Kavaliou');
  });
  it('applies NFKC: fullwidth letters and ligatures', () => {
    expect(cleanText('ＩＶＡＮ')).toBe('IVAN');
    expect(cleanText('ﬁlip')).toBe('filip');
  });
  it('folds dash variants to a hyphen', () => {
    expect(cleanText('Іванова–Сідарэнка')).toBe('Іванова-Сідарэнка');
  });
  it('keeps case (upper case is a surname signal)', () => {
    expect(cleanText('КАВАЛЁЎ Іван')).toBe('КАВАЛЁЎ Іван');
  });
  it('is safe on empty, non-string, lone surrogates and very long garbage', () => {
    expect(cleanText('')).toBe('');
    expect(cleanText(undefined as unknown as string)).toBe('');
    expect(cleanText('a\ud800b\udc00c')).toBe('abc');
    const garbage = Array.from({ length: 10_000 }, (_, i) => String.fromCharCode((i * 7919) % 0xffff)).join(
      '',
    );
    const started = performance.now();
    const cleaned = cleanText(garbage);
    expect(typeof cleaned).toBe('string');
    expect(performance.now() - started).toBeLessThan(500);
  });
  it('keeps emoji and astral letters intact (surrogate pairs)', () => {
    expect(cleanText('Іван 😀')).toBe('Іван 😀');
  });
});

describe('foldCase / stripDiacritics / hasControlChars', () => {
  it('folds case, ё to е and removes apostrophes', () => {
    expect(foldCase("СЯМЁН Дар'я")).toBe('сямен даря');
  });
  it('strips Latin diacritics but keeps Cyrillic letters whole', () => {
    expect(stripDiacritics('Lukašenka Łukaszenka Mahilioŭ Vasiĺjeva')).toBe(
      'Lukasenka Lukaszenka Mahiliou Vasiljeva',
    );
    expect(stripDiacritics('Йосіф Ёлкін Ўладзь')).toBe('Йосіф Ёлкін Ўладзь');
  });
  it('detects control characters but not ordinary whitespace', () => {
    expect(hasControlChars('Іван\tПётр\n')).toBe(false);
    expect(hasControlChars('Іван\u0000')).toBe(true);
    expect(hasControlChars('Іван\u0085')).toBe(true);
  });
});

describe('cleanText: marks and letters of other alphabets', () => {
  it('drops stress marks after Cyrillic letters and keeps the letters NFKC composes', () => {
    expect(cleanText('Але́на Дубро́ўская')).toBe('Алена Дубро́ўская'.replace('\u0301', ''));
    expect(cleanText('Йо\u0301сіф')).toBe('Йосіф');
    expect(cleanText('Андре\u0300й')).toBe('Андрей');
    // A Latin letter keeps its mark (NFKC composes it where Unicode has the letter).
    expect(cleanText('Sc\u030cerba')).toBe('Sčerba');
  });

  it('writes Ukrainian and Serbian letters and the Latin kra as the Belarusian/Russian letters they stand for', () => {
    expect(cleanText('Сєргій Ґалич Їжак')).toBe('Сергій Галич Іжак');
    expect(cleanText('Сергејевич Љубов Њега')).toBe('Сергейевич Льубов Ньега');
    expect(cleanText('Аляĸсей')).toBe('Аляkсей');
  });
});
