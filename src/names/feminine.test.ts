import { describe, expect, it } from 'vitest';
import { compareTokens, foreignFeminineBases, isEquivalent } from './index.js';

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
