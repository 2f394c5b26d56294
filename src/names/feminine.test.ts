import { describe, expect, it } from 'vitest';
import { compareTokens, foreignFeminineBases, foreignMasculineBases, isEquivalent } from './index.js';

const bases = (token: string) => foreignFeminineBases(token).map((b) => `${b.base}:${b.rule}`);

describe('foreign feminine surnames', () => {
  it.each([
    ['Kazlovová', 'kazlova:cs-ova'],
    ['Kovaľčuková', 'kovaľčuk:cs-ova'],
    ['Šarapovová', 'šarapova:cs-ova'],
    ['Lukašenková', 'lukašenka:cs-ova'],
    ['Lukašenková', 'lukašenko:cs-ova'],
    ['KOVALCHUKOVA', 'kovalchuk:cs-ova'],
    ['Kovalčukienė', 'kovalčuk:lt-iene'],
    ['Kazlovienė', 'kazlova:lt-iene'],
    ['Kazlovaitė', 'kazlova:lt-aite'],
    ['Kovalčukytė', 'kovalčuk:lt-yte'],
    ['Kovalčukiūtė', 'kovalčuk:lt-iute'],
    ['Kazlovė', 'kazlova:lt-e'],
    ['Kovaļčuka', 'kovaļčuk:lv-a'],
    ['Lukaševiča', 'lukaševič:lv-a'],
    ['Kavalčuke', 'kavalčuk:lv-e'],
  ])('%s has the base %s', (token, expected) => {
    expect(bases(token)).toContain(expected);
  });

  it.each([
    'Ivanova',
    'Ivanová',
    'Petrová',
    'Šarapová',
    'Kazlova',
    'Novikova',
    'Kalinowska',
    'Anna',
    'Natalia',
    'Ковальчук',
  ])('%s is not read as an adaptation', (token) => {
    expect(bases(token)).toEqual([]);
  });

  it('says which rule applied and what was dropped', () => {
    const [, withA] = foreignFeminineBases('Kazlovová');
    expect(withA?.detail).toBe(
      '"Kazlovová" is the Czech/Slovak feminine -ová form of "kazlova" (the original ending "-a" dropped)',
    );
  });
});

describe('compareTokens on foreign feminine forms', () => {
  it.each([
    ['Kazlovová', 'Казлова', 'feminine-form:cs-ova'],
    ['Kovaľčuková', 'Ковальчук', 'feminine-form:cs-ova'],
    ['Šarapovová', 'Шарапова', 'feminine-form:cs-ova'],
    ['Kovalčukienė', 'Ковальчук', 'feminine-form:lt-iene'],
    ['Kovaļčuka', 'Кавальчук', 'feminine-form:lv-a'],
  ])('%s ~ %s by %s', (a, b, rule) => {
    const result = compareTokens(a, b);
    expect(result.rule).toBe(rule);
    expect(isEquivalent(result)).toBe(true);
  });
});

describe('Baltic masculine endings', () => {
  const masculine = (token: string) => foreignMasculineBases(token).map((b) => `${b.base}:${b.rule}`);

  it('undoes Lithuanian -as/-ius/-us/-is and Latvian -s/-is on a consonant stem', () => {
    expect(masculine('Ivanovas')).toEqual(['ivanov:lt-as']);
    expect(masculine('Lukaševičius')).toEqual(['lukaševič:lt-ius']);
    expect(masculine('Sergejus')).toEqual(['sergej:lt-us']);
    expect(masculine('Kovalevskis')).toEqual(['kovalevski:baltic-is']);
    expect(masculine('Aleksandrs')).toEqual(['aleksandr:lv-s']);
    expect(masculine('Kovaļčuks')).toEqual(['kovaļčuk:lv-s']);
  });

  it('leaves names without such an ending alone', () => {
    for (const token of ['Lukašenka', 'Ivanov', 'Nikolaeva', 'Aas', 'Гаўрылаў', 'Ross', 'Kavaleu'])
      expect(masculine(token), token).toEqual([]);
  });

  it.each([
    ['Ivanovas', 'Іваноў', 'masculine-form:lt-as'],
    ['Lukaševičius', 'Лукашевич', 'masculine-form:lt-ius'],
    ['Kovalevskis', 'Кавалеўскі', 'masculine-form:baltic-is'],
    ['Aleksandrs', 'Александр', 'masculine-form:lv-s'],
    ['Kovaļčuks', 'Кавальчук', 'masculine-form:lv-s'],
  ])('%s ~ %s by %s, explained', (a, b, rule) => {
    const result = compareTokens(a, b);
    expect(result.rule).toBe(rule);
    expect(isEquivalent(result)).toBe(true);
    expect(result.detail).toContain('masculine');
  });
});
