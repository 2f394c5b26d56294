/** Building blocks shared by the scheme tables. */
import type { IotatedForms } from './types.js';

/** Letters romanized the same way by nearly every scheme. */
export const BASE_LETTERS: Readonly<Record<string, string>> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  ж: 'zh',
  з: 'z',
  и: 'i',
  і: 'i',
  ї: 'i',
  й: 'i',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ў: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ы: 'y',
  э: 'e',
  є: 'ie',
  ґ: 'g',
};

/** The same rendering in every position. */
export function same(form: string): IotatedForms {
  return { initial: form, afterVowel: form, afterConsonant: form };
}

/** `j`-forms at word start and after vowels, `i`-forms after consonants (2007, MVD 2008, Polish). */
export function jOrI(vowel: string, extra: Partial<IotatedForms> = {}): IotatedForms {
  return { initial: `j${vowel}`, afterVowel: `j${vowel}`, afterConsonant: `i${vowel}`, ...extra };
}

/** `y`-forms at word start and after vowels, bare vowel after consonants (BGN Russian е). */
export function yOrBare(vowel: string, bare: string): IotatedForms {
  return { initial: `y${vowel}`, afterVowel: `y${vowel}`, afterConsonant: bare };
}

/** Acute-marked soft consonants of the Belarusian Latin alphabet (дзь gives dź through з). */
export const BELARUSIAN_ACUTE: Readonly<Record<string, string>> = {
  з: 'ź',
  л: 'ĺ',
  н: 'ń',
  с: 'ś',
  ц: 'ć',
};
