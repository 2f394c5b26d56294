/**
 * Locale-aware formatting of dates and numbers with Intl, following the interface language so a
 * Belarusian screen shows Belarusian month names and separators.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

export interface Formatters {
  dateTime(value: string | number | Date | null | undefined): string;
  date(value: string | number | Date | null | undefined): string;
  number(value: number): string;
  relative(value: string | Date | null | undefined, now?: Date): string;
}

/** Builds formatters for an interface language; exported for tests. */
export function createFormatters(language: string): Formatters {
  const dateTime = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'medium' });
  const date = new Intl.DateTimeFormat(language, { dateStyle: 'medium' });
  const number = new Intl.NumberFormat(language);
  const relative = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  const toDate = (value: string | number | Date) => (value instanceof Date ? value : new Date(value));
  return {
    dateTime: (value) => (value === null || value === undefined ? '' : dateTime.format(toDate(value))),
    date: (value) => (value === null || value === undefined ? '' : date.format(toDate(value))),
    number: (value) => number.format(value),
    relative: (value, now = new Date()) => {
      if (value === null || value === undefined) return '';
      const seconds = Math.round((toDate(value).getTime() - now.getTime()) / 1000);
      const steps: [Intl.RelativeTimeFormatUnit, number][] = [
        ['year', 31_536_000],
        ['month', 2_592_000],
        ['day', 86_400],
        ['hour', 3_600],
        ['minute', 60],
      ];
      for (const [unit, size] of steps) {
        if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
      }
      return relative.format(seconds, 'second');
    },
  };
}

/** Formatters for the current interface language. */
export function useFormat(): Formatters {
  const { i18n } = useTranslation();
  return useMemo(() => createFormatters(i18n.language), [i18n.language]);
}
