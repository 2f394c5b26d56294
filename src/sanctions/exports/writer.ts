/** A file writer for one export format: text chunks for the head, each entry and the tail. */
import type { OfficialEntry } from '../lists/entry.js';

export interface ExportWriter {
  /** The media type of the file. */
  mediaType: string;
  head(total: number, generated: Date): string;
  entry(entry: OfficialEntry, index: number): string;
  tail(): string;
}

/** FtM date `1978-04-17` → `17/04/1978`; partial dates keep `dd`/`mm` placeholders (the UK's way). */
export function dayMonthYear(date: string): string {
  const [year, month, day] = date.split('-');
  return `${day ?? 'dd'}/${month ?? 'mm'}/${year}`;
}

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** FtM date → OFAC's `17 Apr 1978`, `Apr 1978` or `1978`. */
export function ofacDate(date: string): string {
  const [year, month, day] = date.split('-');
  const monthName = month ? MONTH_NAMES[Number(month) - 1] : undefined;
  return [day ? String(Number(day)).padStart(2, '0') : undefined, monthName, year].filter(Boolean).join(' ');
}

/** The name given in Latin letters with its parts, if any (the list's main name). */
export function latinPrimary(entry: OfficialEntry) {
  return (
    entry.names.find((n) => n.quality === 'primary' && (!n.lang || n.lang === 'en')) ??
    entry.names.find((n) => n.quality === 'primary') ??
    entry.names[0]
  );
}
