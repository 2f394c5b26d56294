import { describe, expect, it } from 'vitest';
import { compareDateLists, DATE_EFFECT, encodeDate, formatDate, parseDate, relateDates } from './dates.js';

const d = (text: string) => {
  const parsed = parseDate(text);
  if (!parsed) throw new Error(`unparsable ${text}`);
  return parsed;
};

describe('parseDate', () => {
  it.each([
    ['1975', { year: 1975, month: 0, day: 0 }],
    ['1975-04', { year: 1975, month: 4, day: 0 }],
    ['1975-04-12', { year: 1975, month: 4, day: 12 }],
    ['12.04.1975', { year: 1975, month: 4, day: 12 }],
    ['2.4.1975', { year: 1975, month: 4, day: 2 }],
    ['04.1975', { year: 1975, month: 4, day: 0 }],
    ['1975-04-12T00:00:00Z', { year: 1975, month: 4, day: 12 }],
    ['  1980-02-29 ', { year: 1980, month: 2, day: 29 }],
  ])('reads %s', (text, expected) => {
    expect(parseDate(text)).toEqual(expected);
  });

  it.each([
    '1975-13-45',
    '31.02.1980',
    '1981-02-29',
    '1975-00-10',
    '0000',
    '1975-4-1x',
    '',
    'yesterday',
    '12/13/1975',
    '3000',
    '1975-04-31',
  ])('rejects %s', (text) => {
    expect(parseDate(text)).toBeNull();
  });

  it('formats and encodes', () => {
    expect(formatDate(d('1975'))).toBe('1975');
    expect(formatDate(d('1975-04'))).toBe('1975-04');
    expect(formatDate(d('12.04.1975'))).toBe('1975-04-12');
    expect(encodeDate(d('1975-04-12'))).toBe(19750412);
  });
});

describe('relateDates', () => {
  it.each([
    ['1975-04-12', '1975-04-12', 'exact'],
    ['1975-04-12', '1975-12-04', 'day-month-swap'],
    ['1975-04-12', '1975-04', 'year-month'],
    ['1975-04', '1975-04-12', 'year-month'],
    ['1975', '1975-04-12', 'year'],
    ['1975-04-12', '1975', 'year'],
    ['1975-04-12', '1976-04-12', 'year-plus-minus-one'],
    ['1975', '1974', 'year-plus-minus-one'],
    ['1975-04-12', '1975-06-20', 'same-year-other-day'],
    ['1975-04', '1975-06', 'same-year-other-day'],
    ['1975-04-12', '1980-04-12', 'conflict'],
    ['1975', '1990', 'conflict'],
  ])('%s vs %s is %s', (a, b, relation) => {
    expect(relateDates(d(a), d(b))).toBe(relation);
  });

  it('agreement raises, conflict lowers, a one-year slip costs little', () => {
    expect(DATE_EFFECT.exact).toBeGreaterThan(0);
    expect(DATE_EFFECT.year).toBeGreaterThan(0);
    expect(DATE_EFFECT.conflict).toBeLessThan(DATE_EFFECT['year-plus-minus-one']);
    expect(DATE_EFFECT['year-plus-minus-one']).toBeLessThan(0);
    expect(DATE_EFFECT['year-plus-minus-one']).toBeGreaterThan(-0.1);
  });

  it('takes the best pair of two lists and nothing for an empty list', () => {
    const q = [encodeDate(d('1975-04-12'))];
    const best = compareDateLists(q, [encodeDate(d('1960')), encodeDate(d('1975-04-12'))]);
    expect(best?.relation).toBe('exact');
    expect(compareDateLists(q, [])).toBeNull();
    expect(compareDateLists([], [19750412])).toBeNull();
  });
});
