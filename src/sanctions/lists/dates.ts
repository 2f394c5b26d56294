/**
 * Dates as the lists print them, to FtM partial dates (`1965`, `1965-03`, `1965-03-12`): ISO dates,
 * `dd/mm/yyyy` and `dd.mm.yyyy` (UK, with `00` or `dd`/`mm` placeholders for unknown parts), OFAC's
 * `12 Mar 1965`, `Mar 1965`, `circa 1965` and `1963 to 1965`, and Excel serial numbers (Canada).
 */

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** An FtM date from parts; undefined when the parts do not name a real date. */
export function partialDate(year: number, month?: number, day?: number): string | undefined {
  if (!Number.isInteger(year) || year < 1000 || year > 2999) return undefined;
  const y = String(year);
  if (month === undefined || month === 0 || Number.isNaN(month)) return y;
  if (!Number.isInteger(month) || month < 1 || month > 12) return undefined;
  const m = `${y}-${String(month).padStart(2, '0')}`;
  if (day === undefined || day === 0 || Number.isNaN(day)) return m;
  if (!Number.isInteger(day) || day < 1 || day > daysIn(year, month)) return undefined;
  return `${m}-${String(day).padStart(2, '0')}`;
}

function fromExcelSerial(serial: number): string | undefined {
  // Excel's day 1 is 1900-01-01 and it counts a 29 February 1900 that never was: day 0 is 1899-12-30.
  const date = new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000);
  return partialDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

/**
 * Every date a list's date text stands for. A range of years ("1963 to 1965", OFAC's way of saying it
 * does not know) gives each year when there are few, else its two ends. Empty when nothing is a date.
 */
export function parseListDates(text: string | null | undefined, options: { excel?: boolean } = {}): string[] {
  if (!text) return [];
  let value = text.trim().replace(/\.$/, '');
  if (value === '') return [];
  value = value.replace(/^(circa|approximately|approx\.?|about|ca\.?)\s+/i, '');

  const range = /^(\d{4})\s*(?:to|-|–)\s*(\d{4})$/i.exec(value);
  if (range) {
    const from = Number(range[1]);
    const to = Number(range[2]);
    if (to < from) return [];
    const years = to - from <= 5 ? Array.from({ length: to - from + 1 }, (_, i) => from + i) : [from, to];
    return years.map((year) => partialDate(year)).filter((d): d is string => d !== undefined);
  }

  const iso = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(value);
  if (iso) return one(partialDate(Number(iso[1]), num(iso[2]), num(iso[3])));

  // dd/mm/yyyy, dd.mm.yyyy, dd-mm-yyyy; the UK writes unknown parts as "dd", "mm" or "00".
  const dmy = /^(\d{1,2}|dd|00)[/.-](\d{1,2}|mm|00)[/.-](\d{4})$/i.exec(value);
  if (dmy) return one(partialDate(Number(dmy[3]), num(dmy[2]), num(dmy[1])));

  const mdy = /^(\d{1,2})[/.-](\d{4})$/.exec(value);
  if (mdy) return one(partialDate(Number(mdy[2]), Number(mdy[1])));

  const words = /^(?:(\d{1,2})\s+)?([A-Za-z]{3,9})\.?,?\s+(\d{4})$/.exec(value);
  if (words) {
    const month = MONTHS[words[2]!.slice(0, words[2]!.toLowerCase() === 'sept' ? 4 : 3).toLowerCase()];
    if (month) return one(partialDate(Number(words[3]), month, num(words[1])));
  }

  if (options.excel && /^\d{4,5}(?:\.0+)?$/.test(value)) {
    const serial = Number(value);
    if (serial > 2958465) return [];
    // Four digits are more likely a year than a day in 1900-1927.
    if (/^\d{4}$/.test(value) && serial >= 1000) return one(partialDate(serial));
    return one(fromExcelSerial(serial));
  }
  return [];
}

function num(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

function one(value: string | undefined): string[] {
  return value === undefined ? [] : [value];
}

/** The earliest of some FtM dates (they sort as text); undefined for none. */
export function earliest(dates: Array<string | undefined>): string | undefined {
  const present = dates.filter((d): d is string => typeof d === 'string' && d !== '');
  return present.length === 0 ? undefined : present.sort()[0];
}
