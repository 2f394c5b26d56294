/**
 * Romanization schemes for Belarusian Cyrillic. Tables follow the published standards; where the
 * passport practice deviates from the tables (interscript issue #308: Yauheni, Dzmitry), the
 * `passport-be` scheme encodes what passports show.
 */
import { BASE_LETTERS, BELARUSIAN_ACUTE, jOrI, same } from './common.js';
import type { SchemeDefinition } from './types.js';

/** ICAO Doc 9303 (Belarusian table); the MVD 2010 passport instruction uses the same letters. */
export const ICAO_BE: SchemeDefinition = {
  id: 'icao-be',
  lang: 'be',
  label: 'ICAO 9303 (Belarusian table)',
  diacritics: false,
  letters: { ...BASE_LETTERS, г: 'h' },
  iotated: { е: same('e'), ё: same('io'), ю: same('iu'), я: same('ia') },
  softSign: '',
  apostrophe: '',
  hardSign: '',
};

/**
 * Belarusian passports as issued: ICAO letters, but я/ю/е/ё as ya/yu/ye/yo at word start and after
 * vowels (Yauheni, Tsikhanouskaya, Anastasiya) except after ы (Maryia, the ICAO/MVD 2010 vector), and
 * final -ый/-ій without the й (Dzmitry, Yauheni).
 */
export const PASSPORT_BE: SchemeDefinition = {
  ...ICAO_BE,
  id: 'passport-be',
  label: 'Belarusian passport practice (MVD 2008/2010)',
  iotated: {
    е: { initial: 'ye', afterVowel: 'ye', afterConsonant: 'e', afterYery: 'ie' },
    ё: { initial: 'yo', afterVowel: 'yo', afterConsonant: 'io', afterYery: 'io' },
    ю: { initial: 'yu', afterVowel: 'yu', afterConsonant: 'iu', afterYery: 'iu' },
    я: { initial: 'ya', afterVowel: 'ya', afterConsonant: 'ia', afterYery: 'ia' },
  },
  finals: [
    ['ый', 'y'],
    ['ій', 'i'],
  ],
};

/**
 * MVD instruction No 288 of 2008 (table in the appendix): ў → w, й → j, j/i-forms of iotated vowels,
 * acute on soft consonants. The interscript map renders г as G; the 2010 instruction states that the
 * Belarusian г is written h, which this table follows.
 */
export const MVD_BE_2008: SchemeDefinition = {
  id: 'mvd-be-2008',
  lang: 'be',
  label: 'MVD instruction 2008 No 288',
  diacritics: true,
  letters: { ...BASE_LETTERS, г: 'h', й: 'j', ў: 'w' },
  iotated: { е: jOrI('e'), ё: jOrI('o'), ю: jOrI('u'), я: jOrI('a') },
  softSign: 'acute',
  acute: BELARUSIAN_ACUTE,
  apostrophe: '',
  hardSign: '',
};

/** BGN/PCGN 1979: е/ё/ю/я always ye/yo/yu/ya, й → y, ў → w, ь → ’, apostrophe → ”. */
export const BGN_BE_1979: SchemeDefinition = {
  id: 'bgn-be-1979',
  lang: 'be',
  label: 'BGN/PCGN 1979 (Belarusian)',
  diacritics: false,
  letters: { ...BASE_LETTERS, г: 'h', й: 'y', ў: 'w' },
  iotated: { е: same('ye'), ё: same('yo'), ю: same('yu'), я: same('ya') },
  softSign: '’',
  apostrophe: '”',
  hardSign: '”',
};

/** National system of 2007 (geographical names, Łacinka-based), with diacritics. */
export const NATIONAL_BE_2007: SchemeDefinition = {
  id: 'national-be-2007',
  lang: 'be',
  label: 'National system 2007 (with diacritics)',
  diacritics: true,
  letters: {
    ...BASE_LETTERS,
    г: 'h',
    ж: 'ž',
    й: 'j',
    ў: 'ŭ',
    х: 'ch',
    ц: 'c',
    ч: 'č',
    ш: 'š',
    щ: 'šč',
  },
  iotated: { е: jOrI('e'), ё: jOrI('o'), ю: jOrI('u'), я: jOrI('a') },
  softSign: 'acute',
  acute: BELARUSIAN_ACUTE,
  apostrophe: '',
  hardSign: '',
};

/** National system of 2007 with the diacritics dropped (how it appears in ASCII-only systems). */
export const NATIONAL_BE_2007_ASCII: SchemeDefinition = {
  ...NATIONAL_BE_2007,
  id: 'national-be-2007-ascii',
  label: 'National system 2007 (without diacritics)',
  diacritics: false,
  letters: { ...NATIONAL_BE_2007.letters, ж: 'z', ў: 'u', ч: 'c', ш: 's', щ: 'sc' },
  acute: { з: 'z', л: 'l', н: 'n', с: 's', ц: 'c' },
};

/** Classical Łacinka as in Polish-language media: hard л → ł, soft л → l, no i after soft l. */
export const LACINKA_BE: SchemeDefinition = {
  ...NATIONAL_BE_2007,
  id: 'lacinka-be',
  label: 'Łacinka (Polish-style)',
  iotated: {
    е: jOrI('e', { afterSoftL: 'e' }),
    ё: jOrI('o', { afterSoftL: 'o' }),
    ю: jOrI('u', { afterSoftL: 'u' }),
    я: jOrI('a', { afterSoftL: 'a' }),
  },
  acute: { з: 'ź', н: 'ń', с: 'ś', ц: 'ć', л: 'l' },
  softL: { hard: 'ł', soft: 'l' },
};

/** Swedish transcription seen in the EU list (ч → tj, ш → sj, я → ja; г → h from the Belarusian form). */
export const SWEDISH_BE: SchemeDefinition = {
  id: 'swedish-be',
  lang: 'be',
  label: 'Swedish transcription (Belarusian form)',
  diacritics: false,
  letters: { ...BASE_LETTERS, г: 'h', ж: 'zj', й: 'j', х: 'ch', ч: 'tj', ш: 'sj', щ: 'sjtj' },
  iotated: {
    е: { initial: 'je', afterVowel: 'je', afterConsonant: 'e' },
    ё: same('jo'),
    ю: same('ju'),
    я: same('ja'),
  },
  softSign: '',
  apostrophe: '',
  hardSign: '',
};

/** German (Duden-style) transcription of the Belarusian form (Aljaksandr, Lukaschenka). */
export const GERMAN_BE: SchemeDefinition = {
  id: 'german-be',
  lang: 'be',
  label: 'German transcription (Belarusian form)',
  diacritics: false,
  letters: {
    ...BASE_LETTERS,
    в: 'w',
    г: 'h',
    ж: 'sch',
    з: 's',
    й: 'j',
    х: 'ch',
    ц: 'z',
    ч: 'tsch',
    ш: 'sch',
    щ: 'schtsch',
  },
  iotated: {
    е: { initial: 'je', afterVowel: 'je', afterConsonant: 'e' },
    ё: same('jo'),
    ю: same('ju'),
    я: same('ja'),
  },
  softSign: '',
  apostrophe: '',
  hardSign: '',
};

/** Czech/Slovak transcription of the Belarusian form (Aljaksandr Ryhoravič Lukašenka). */
export const CZECH_BE: SchemeDefinition = {
  id: 'czech-be',
  lang: 'be',
  label: 'Czech transcription (Belarusian form)',
  diacritics: true,
  letters: { ...BASE_LETTERS, г: 'h', ж: 'ž', й: 'j', х: 'ch', ц: 'c', ч: 'č', ш: 'š', щ: 'šč' },
  iotated: {
    е: { initial: 'je', afterVowel: 'je', afterConsonant: 'e' },
    ё: same('jo'),
    ю: same('ju'),
    я: same('ja'),
  },
  softSign: '',
  apostrophe: '',
  hardSign: '',
};

export const BELARUSIAN_SCHEMES: readonly SchemeDefinition[] = [
  ICAO_BE,
  PASSPORT_BE,
  MVD_BE_2008,
  BGN_BE_1979,
  NATIONAL_BE_2007,
  NATIONAL_BE_2007_ASCII,
  LACINKA_BE,
  SWEDISH_BE,
  GERMAN_BE,
  CZECH_BE,
];
