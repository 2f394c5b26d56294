/**
 * Birth dates for screening: parsing of full and partial dates (FtM prefixes `YYYY`, `YYYY-MM`,
 * `YYYY-MM-DD`, and the `DD.MM.YYYY` of Belarusian documents) with calendar validation, a compact
 * integer encoding for the index, and the comparison that turns two date lists into a score change.
 */

/** A date with optional month and day (0 = unknown). */
export interface PartialDate {
  year: number;
  month: number;
  day: number;
}

const MIN_YEAR = 1800;
const MAX_YEAR = 2100;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function valid(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) return false;
  if (month === 0) return day === 0;
  if (month < 1 || month > 12) return false;
  if (day === 0) return true;
  return day >= 1 && day <= daysInMonth(year, month);
}

/**
 * Parses one date; returns null when it is not a real calendar date (1975-13-45, 31.02.1980) or not in
 * a known format. An ISO date-time keeps its date part.
 */
export function parseDate(raw: string): PartialDate | null {
  const text = raw.trim();
  let match = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ][0-9:.+\-Z]*)?)?)?$/.exec(text);
  if (match) {
    const year = Number(match[1]);
    const month = match[2] ? Number(match[2]) : 0;
    const day = match[3] ? Number(match[3]) : 0;
    return valid(year, month, day) ? { year, month, day } : null;
  }
  match = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(text);
  if (match) {
    const day = Number(match[1]);
    const month = Number(match[2]);
    const year = Number(match[3]);
    return valid(year, month, day) && day > 0 && month > 0 ? { year, month, day } : null;
  }
  match = /^(\d{1,2})[./](\d{4})$/.exec(text);
  if (match) {
    const month = Number(match[1]);
    const year = Number(match[2]);
    return valid(year, month, 0) && month > 0 ? { year, month, day: 0 } : null;
  }
  return null;
}

/** Integer form for the index: year·10000 + month·100 + day (unknown parts are 0). */
export function encodeDate(date: PartialDate): number {
  return date.year * 10000 + date.month * 100 + date.day;
}

/** Inverse of `encodeDate`. */
export function decodeDate(code: number): PartialDate {
  return { year: Math.floor(code / 10000), month: Math.floor(code / 100) % 100, day: code % 100 };
}

/** ISO-prefix text of a date (`1975`, `1975-04`, `1975-04-12`). */
export function formatDate(date: PartialDate): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  if (date.month === 0) return String(date.year);
  if (date.day === 0) return `${date.year}-${pad(date.month)}`;
  return `${date.year}-${pad(date.month)}-${pad(date.day)}`;
}

/** How two birth dates relate, from strongest agreement to conflict. */
export type DateRelation =
  | 'exact'
  | 'day-month-swap'
  | 'year-month'
  | 'year'
  | 'year-plus-minus-one'
  | 'same-year-other-day'
  | 'conflict';

/** Score change per relation: agreement raises, conflict lowers; a one-year slip costs little. */
export const DATE_EFFECT: Record<DateRelation, number> = {
  exact: 0.1,
  'day-month-swap': 0.05,
  'year-month': 0.07,
  year: 0.05,
  'year-plus-minus-one': -0.04,
  'same-year-other-day': -0.1,
  conflict: -0.35,
};

/** Relation between two dates (see `DateRelation`). */
export function relateDates(a: PartialDate, b: PartialDate): DateRelation {
  if (a.year !== b.year) {
    if (Math.abs(a.year - b.year) === 1) return 'year-plus-minus-one';
    return 'conflict';
  }
  if (a.month === 0 || b.month === 0) return 'year';
  if (a.day === 0 || b.day === 0) {
    if (a.month === b.month) return 'year-month';
    // A month given where the other date has the day in that place: treat as a possible swap.
    if ((a.day === 0 && b.day === a.month) || (b.day === 0 && a.day === b.month)) return 'year';
    return 'same-year-other-day';
  }
  if (a.month === b.month && a.day === b.day) return 'exact';
  if (a.month === b.day && a.day === b.month) return 'day-month-swap';
  return 'same-year-other-day';
}

/** Best relation over all pairs of two lists of encoded dates; null when either list is empty. */
export function compareDateLists(
  query: readonly number[],
  candidate: ArrayLike<number>,
): { relation: DateRelation; effect: number; query: number; candidate: number } | null {
  let best: { relation: DateRelation; effect: number; query: number; candidate: number } | null = null;
  for (const q of query) {
    const qd = decodeDate(q);
    for (let i = 0; i < candidate.length; i++) {
      const c = candidate[i]!;
      const relation = relateDates(qd, decodeDate(c));
      const effect = DATE_EFFECT[relation];
      if (!best || effect > best.effect) best = { relation, effect, query: q, candidate: c };
    }
  }
  return best;
}
