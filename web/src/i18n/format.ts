/**
 * Locale-aware formatting of dates and numbers with Intl, following the interface language so a
 * Belarusian screen shows Belarusian dates and separators.
 *
 * Some browsers (Chromium among them) ship without Belarusian locale data and would silently fall back to
 * American English ("Nov 24, 2026, 7:16 PM"). Then dates are written numerically with the conventions
 * Belarusian shares with Russian ("24.11.2026, 19:16:21", "12 345,5"): no word of another language
 * appears, and the order and separators are the ones a Belarusian reader expects.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

export interface Formatters {
  dateTime(value: string | number | Date | null | undefined): string;
  date(value: string | number | Date | null | undefined): string;
  number(value: number): string;
}

/** Locales with the same numeric date and number conventions, for when Intl lacks the language itself. */
const numericConventions: Record<string, string> = { be: 'ru' };

/** Builds formatters for an interface language; exported for tests. */
export function createFormatters(
  language: string,
  supported = Intl.DateTimeFormat.supportedLocalesOf,
): Formatters {
  const hasData = supported([language]).length > 0;
  const fallback = numericConventions[language];
  let dateTime: Intl.DateTimeFormat;
  let date: Intl.DateTimeFormat;
  let number: Intl.NumberFormat;
  if (hasData || !fallback) {
    dateTime = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'medium' });
    date = new Intl.DateTimeFormat(language, { dateStyle: 'medium' });
    number = new Intl.NumberFormat(language);
  } else {
    const day = { year: 'numeric', month: '2-digit', day: '2-digit' } as const;
    dateTime = new Intl.DateTimeFormat(fallback, {
      ...day,
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    date = new Intl.DateTimeFormat(fallback, day);
    number = new Intl.NumberFormat(fallback);
  }
  const toDate = (value: string | number | Date) => (value instanceof Date ? value : new Date(value));
  return {
    dateTime: (value) => (value === null || value === undefined ? '' : dateTime.format(toDate(value))),
    date: (value) => (value === null || value === undefined ? '' : date.format(toDate(value))),
    number: (value) => number.format(value),
  };
}

/** Formatters for the current interface language. */
export function useFormat(): Formatters {
  const { i18n } = useTranslation();
  return useMemo(() => createFormatters(i18n.language), [i18n.language]);
}
