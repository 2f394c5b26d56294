/**
 * i18next set-up. Belarusian is the default language and is complete; Russian and English mirror its keys
 * (a test checks). The chosen language lives in localStorage so it survives a reload before login.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

export const languages = ['be', 'ru', 'en'] as const;
export type Language = (typeof languages)[number];
export const defaultLanguage: Language = 'be';

const storageKey = 'sviedka.language';

/** Every translation file, `./<lang>/<area>.json`, bundled at build time. */
const files = import.meta.glob<Record<string, unknown>>('./*/*.json', { eager: true, import: 'default' });

/** One language's translations: each area's file under the area's name. */
export function translationsOf(language: Language): Record<string, Record<string, unknown>> {
  const translation: Record<string, Record<string, unknown>> = {};
  for (const [file, content] of Object.entries(files)) {
    const [, lang, area] = /^\.\/([a-z]+)\/([\w-]+)\.json$/.exec(file) ?? [];
    if (lang === language && area) translation[area] = content;
  }
  return translation;
}

/** True when `value` is one of the interface languages. */
export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

/** The language saved in this browser, else Belarusian. */
export function storedLanguage(): Language {
  try {
    const value = globalThis.localStorage?.getItem(storageKey);
    return isLanguage(value) ? value : defaultLanguage;
  } catch {
    return defaultLanguage;
  }
}

/** Switches the interface language and remembers it in this browser. */
export async function applyLanguage(language: Language): Promise<void> {
  try {
    globalThis.localStorage?.setItem(storageKey, language);
  } catch {
    // Private mode or storage disabled: the choice just does not survive a reload.
  }
  if (typeof document !== 'undefined') document.documentElement.lang = language;
  if (i18next.language !== language) await i18next.changeLanguage(language);
}

/** Initializes i18next synchronously (resources are bundled) in the stored language. */
export function initI18n(): typeof i18next {
  const language = storedLanguage();
  if (typeof document !== 'undefined') document.documentElement.lang = language;
  void i18next.use(initReactI18next).init({
    resources: Object.fromEntries(languages.map((lang) => [lang, { translation: translationsOf(lang) }])),
    lng: language,
    fallbackLng: defaultLanguage,
    supportedLngs: [...languages],
    interpolation: { escapeValue: false },
    returnEmptyString: false,
    initAsync: false,
  });
  return i18next;
}

export { i18next };
