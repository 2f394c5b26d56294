/**
 * FollowTheMoney property labels and values as a reader expects them: translated property names (be/ru/en,
 * from `<lang>/ftm.json`) and country names instead of ISO codes, in the interface language.
 */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

/** The properties of country type in the registry's FtM schema (a server test keeps this list complete). */
export const COUNTRY_PROPERTIES: ReadonlySet<string> = new Set([
  'birthCountry',
  'citizenship',
  'country',
  'jurisdiction',
  'mainCountry',
  'nationality',
]);

const displayNames = new Map<string, Intl.DisplayNames | null>();

/** A country's name in `language`, or the code itself for codes no locale knows (e.g. `suhh`). */
export function countryName(code: string, language: string): string {
  if (!displayNames.has(language)) {
    try {
      displayNames.set(
        language,
        new Intl.DisplayNames([language, 'en'], { type: 'region', fallback: 'none' }),
      );
    } catch {
      displayNames.set(language, null);
    }
  }
  if (!/^[a-z]{2}$/i.test(code)) return code;
  try {
    return displayNames.get(language)?.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** `(property) => label` and `(property, value) => display value` in the interface language. */
export function useFtmLabels() {
  const { t, i18n } = useTranslation();
  const label = useCallback(
    (property: string) =>
      t(`ftm.properties.${property}` as 'ftm.properties.name', { defaultValue: property }),
    [t],
  );
  const value = useCallback(
    (property: string, raw: string) =>
      COUNTRY_PROPERTIES.has(property) ? countryName(raw, i18n.language) : raw,
    [i18n.language],
  );
  return { label, value };
}
