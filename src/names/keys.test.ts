import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TOKEN_KEYS, tokenKeys } from './keys.js';
import { romanize } from './romanize.js';
import { ALL_SCHEMES } from './schemes/index.js';
import { detectCyrillicLanguage } from './scripts.js';

function overlap(a: string, b: string): boolean {
  const ka = new Set(tokenKeys(a));
  return tokenKeys(b).some((k) => ka.has(k));
}

describe('tokenKeys', () => {
  it('gives dictionary, phonetic and skeleton keys, bounded', () => {
    const keys = tokenKeys('Аляксандр');
    expect(keys.some((k) => k.startsWith('g:'))).toBe(true);
    expect(keys.some((k) => k.startsWith('f:'))).toBe(true);
    expect(keys.some((k) => k.startsWith('s:'))).toBe(true);
    expect(keys.length).toBeLessThanOrEqual(MAX_TOKEN_KEYS);
    expect(tokenKeys('Рыгоравіч').some((k) => k.startsWith('p:'))).toBe(true);
  });

  it('shares a key across the spellings in names.md', () => {
    for (const [a, b] of [
      ['Аляксандр', 'Alexander'],
      ['Aliaksandr', 'Aleksandr'],
      ['Рыгоравіч', 'Hryhoryavich'],
      ['Ryhoravich', 'Grigorievich'],
      ['Лукашэнка', 'LUKASHENKO'],
      ['LUKASHENKA', 'LUKASJENKA'],
      ['Навумаў', 'Naumov'],
      ['Navumau', 'Наумов'],
      ['Iгар', 'Igor'],
      ['Бузоўскі', 'Buzovsky'],
    ]) {
      expect(overlap(a!, b!), `${a} / ${b}: ${tokenKeys(a!)} | ${tokenKeys(b!)}`).toBe(true);
    }
  });

  it('keeps hard negatives apart', () => {
    expect(overlap('Aliaksandr', 'Aliaksei')).toBe(false);
    expect(overlap('Navumau', 'Naumenko')).toBe(false);
    expect(overlap('Іванавіч', 'Рыгоравіч')).toBe(false);
  });

  it('initials get initial keys; garbage gets none', () => {
    expect(tokenKeys('A.')).toEqual(['i:a']);
    expect(tokenKeys('Г.')).toEqual(expect.arrayContaining(['i:g', 'i:h']));
    expect(tokenKeys('')).toEqual([]);
    expect(tokenKeys('!!!')).toEqual([]);
    expect(tokenKeys('x'.repeat(10_000)).length).toBeLessThanOrEqual(MAX_TOKEN_KEYS);
  });

  it('property: any romanization of a Cyrillic name shares a key with the Cyrillic source', () => {
    const letters = 'абвгдежзійклмнопрстуўфхцчшыьэюяё';
    const ruLetters = 'абвгдежзийклмнопрстуфхцчшщыьъэюяё';
    const word = (alphabet: string) =>
      fc
        .array(fc.constantFrom(...alphabet), { minLength: 2, maxLength: 12 })
        .map((chars) => chars.join(''))
        .filter((w) => /[аеёіиоуыэюя]/.test(w));
    const check = (w: string) => {
      const lang = detectCyrillicLanguage(w);
      for (const scheme of ALL_SCHEMES) {
        if (lang !== 'ambiguous' && scheme.lang !== lang) continue;
        const latin = romanize(w, scheme);
        // A one-letter rendering reads as an initial (keys i:x), not as a name.
        if ((latin.match(/[A-Za-z\u00c0-\u024f]/g) ?? []).length < 2) continue;
        expect(overlap(w, latin), `${w} → ${latin} (${scheme.id})`).toBe(true);
      }
    };
    // Found by this property: the French rendering's skeleton fell past the key cap behind other schemes' variants.
    check('шацзгаа');
    fc.assert(fc.property(word(letters), check), { numRuns: 150 });
    fc.assert(fc.property(word(ruLetters), check), { numRuns: 150 });
  });

  it('property: key count is always within the bound', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        expect(tokenKeys(s).length).toBeLessThanOrEqual(MAX_TOKEN_KEYS);
      }),
      { numRuns: 300 },
    );
  });
});
