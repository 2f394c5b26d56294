import { describe, expect, it } from 'vitest';
import { repairHomoglyphs, toScript } from './homoglyphs.js';
import { detectCyrillicLanguage, detectScript } from './scripts.js';

describe('detectScript', () => {
  it('classifies Cyrillic, Latin, mixed and other', () => {
    expect(detectScript('Іван Кавалёў')).toBe('cyrillic');
    expect(detectScript('Ivan Kavaliou')).toBe('latin');
    expect(detectScript('Łukašenka')).toBe('latin');
    expect(detectScript('Iгар')).toBe('mixed');
    expect(detectScript('Ιβάν')).toBe('other');
    expect(detectScript('12345 !!')).toBe('other');
    expect(detectScript('')).toBe('other');
  });
});

describe('detectCyrillicLanguage', () => {
  it('і, ў and the apostrophe mean Belarusian', () => {
    expect(detectCyrillicLanguage('Іван')).toBe('be');
    expect(detectCyrillicLanguage('Кавалёў')).toBe('be');
    expect(detectCyrillicLanguage("Дар'я")).toBe('be');
  });
  it('и, щ, ъ mean Russian', () => {
    expect(detectCyrillicLanguage('Иван')).toBe('ru');
    expect(detectCyrillicLanguage('Щукин')).toBe('ru');
    expect(detectCyrillicLanguage('Объедков')).toBe('ru');
  });
  it('neither or both is ambiguous', () => {
    expect(detectCyrillicLanguage('Антон')).toBe('ambiguous');
    expect(detectCyrillicLanguage('Марк Панько')).toBe('ambiguous');
    expect(detectCyrillicLanguage('Иван Іванавіч')).toBe('ambiguous');
    expect(detectCyrillicLanguage("O'Neil")).toBe('ambiguous');
  });
});

describe('repairHomoglyphs', () => {
  it('repairs Latin I/i inside Belarusian words (UK list example in names.md)', () => {
    const repaired = repairHomoglyphs('Iгар Iванавiч БУЗОЎСКI');
    expect(repaired).toBe('Ігар Іванавіч БУЗОЎСКІ');
    expect(detectScript(repaired)).toBe('cyrillic');
    expect(detectCyrillicLanguage(repaired)).toBe('be');
  });
  it('repairs Latin a, e, o, c, p, x, y inside Cyrillic words', () => {
    expect(repairHomoglyphs('Aлeксaндp')).toBe('Александр');
    expect(repairHomoglyphs('Сoкoлoвa')).toBe('Соколова');
    expect(repairHomoglyphs('Пoxмeлкин')).toBe('Похмелкин');
  });
  it('repairs Cyrillic look-alikes inside Latin words', () => {
    expect(repairHomoglyphs('Ivаnоv')).toBe('Ivanov');
    expect(repairHomoglyphs('Kоvаlеv')).toBe('Kovalev');
    expect(repairHomoglyphs('Sеrgеi')).toBe('Sergei');
  });
  it('decides words of look-alikes only by the other words', () => {
    expect(repairHomoglyphs('Кавалёў OCA')).toBe('Кавалёў OCA');
    expect(detectScript(repairHomoglyphs('Мiхась Рoмaнoвiч'))).toBe('cyrillic');
  });
  it('leaves single-script text untouched (same string)', () => {
    const s = 'Кавалёў Іван';
    expect(repairHomoglyphs(s)).toBe(s);
    expect(repairHomoglyphs('')).toBe('');
  });
  it('toScript converts all look-alikes of a word', () => {
    expect(toScript('ОСА', 'latin')).toBe('OCA');
    expect(toScript('Ioann', 'cyrillic')).toBe('Іоаnn');
  });
});
