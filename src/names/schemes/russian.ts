/** Romanization schemes for Russian Cyrillic (the Russian form of a Belarusian person's name). */
import { BASE_LETTERS, same, yOrBare } from './common.js';
import type { SchemeDefinition } from './types.js';

/** ICAO Doc 9303 (2013), used in Russian and many Belarusian passports issued from the Russian form. */
export const ICAO_RU: SchemeDefinition = {
  id: 'icao-ru',
  lang: 'ru',
  label: 'ICAO 9303 (Russian)',
  diacritics: false,
  letters: BASE_LETTERS,
  iotated: { е: same('e'), ё: same('e'), ю: same('iu'), я: same('ia') },
  softSign: '',
  apostrophe: '',
  hardSign: 'ie',
};

/** BGN/PCGN 1947: е → ye at word start and after vowels/ь/ъ/й, й → y, ь → ’. */
export const BGN_RU: SchemeDefinition = {
  id: 'bgn-ru',
  lang: 'ru',
  label: 'BGN/PCGN 1947 (Russian)',
  diacritics: true,
  letters: { ...BASE_LETTERS, й: 'y' },
  iotated: { е: yOrBare('e', 'e'), ё: yOrBare('ë', 'ë'), ю: same('yu'), я: same('ya') },
  softSign: '’',
  apostrophe: '',
  hardSign: '”',
};

/** Common English-language practice (press, many lists): Dmitry, Yury, Alexei, Grigoryevich. */
export const ENGLISH_RU: SchemeDefinition = {
  id: 'english-ru',
  lang: 'ru',
  label: 'English practice (Russian form)',
  diacritics: false,
  letters: { ...BASE_LETTERS, й: 'y' },
  iotated: { е: yOrBare('e', 'e'), ё: same('yo'), ю: same('yu'), я: same('ya') },
  softSign: '',
  apostrophe: '',
  hardSign: '',
  finals: [
    ['ий', 'y'],
    ['ый', 'y'],
    ['ия', 'ia'],
  ],
  clusters: [['кс', 'x']],
};

/** ISO 9:1995 / GOST 7.79 system A: one Latin letter (with diacritics) per Cyrillic letter. */
export const ISO9_RU: SchemeDefinition = {
  id: 'iso9-ru',
  lang: 'ru',
  label: 'ISO 9 / GOST 7.79 A',
  diacritics: true,
  letters: { ...BASE_LETTERS, ж: 'ž', й: 'j', х: 'h', ц: 'c', ч: 'č', ш: 'š', щ: 'ŝ', э: 'è' },
  iotated: { е: same('e'), ё: same('ë'), ю: same('û'), я: same('â') },
  softSign: 'ʹ',
  apostrophe: '',
  hardSign: 'ʺ',
};

/** German (Duden) transcription: Wladimir, Grigorjewitsch, Lukaschenko. */
export const GERMAN_RU: SchemeDefinition = {
  id: 'german-ru',
  lang: 'ru',
  label: 'German transcription (Russian form)',
  diacritics: false,
  letters: {
    ...BASE_LETTERS,
    в: 'w',
    ж: 'sch',
    з: 's',
    й: 'i',
    х: 'ch',
    ц: 'z',
    ч: 'tsch',
    ш: 'sch',
    щ: 'schtsch',
  },
  iotated: {
    е: { initial: 'je', afterVowel: 'je', afterConsonant: 'e' },
    ё: { initial: 'jo', afterVowel: 'jo', afterConsonant: 'jo', afterSibilant: 'o' },
    ю: same('ju'),
    я: same('ja'),
  },
  softSign: '',
  apostrophe: '',
  hardSign: '',
  finals: [['ий', 'i']],
};

/** Polish transcription: Władimir, Grigorjewicz, Łukaszenko. */
export const POLISH_RU: SchemeDefinition = {
  id: 'polish-ru',
  lang: 'ru',
  label: 'Polish transcription (Russian form)',
  diacritics: true,
  letters: { ...BASE_LETTERS, в: 'w', ж: 'ż', й: 'j', х: 'ch', ц: 'c', ч: 'cz', ш: 'sz', щ: 'szcz' },
  iotated: {
    е: { initial: 'je', afterVowel: 'je', afterConsonant: 'ie', afterSoftL: 'e', afterSibilant: 'e' },
    ё: { initial: 'jo', afterVowel: 'jo', afterConsonant: 'io', afterSoftL: 'o', afterSibilant: 'o' },
    ю: { initial: 'ju', afterVowel: 'ju', afterConsonant: 'iu', afterSoftL: 'u', afterSibilant: 'u' },
    я: { initial: 'ja', afterVowel: 'ja', afterConsonant: 'ia', afterSoftL: 'a', afterSibilant: 'a' },
  },
  softSign: 'acute',
  acute: { з: 'ź', л: 'l', н: 'ń', с: 'ś', ц: 'ć' },
  apostrophe: '',
  hardSign: '',
  softL: { hard: 'ł', soft: 'l' },
  iAfterSibilant: 'y',
  finals: [['ий', 'ij']],
};

/** Swedish transcription seen in the EU list: Aleksandr Grigorjevitj Lukasjenko. */
export const SWEDISH_RU: SchemeDefinition = {
  id: 'swedish-ru',
  lang: 'ru',
  label: 'Swedish transcription (Russian form)',
  diacritics: false,
  letters: { ...BASE_LETTERS, ж: 'zj', й: 'j', х: 'ch', ч: 'tj', ш: 'sj', щ: 'sjtj' },
  iotated: {
    е: { initial: 'je', afterVowel: 'je', afterConsonant: 'e' },
    ё: same('jo'),
    ю: same('ju'),
    я: same('ja'),
  },
  softSign: '',
  apostrophe: '',
  hardSign: '',
  finals: [['ий', 'ij']],
};

/** French transcription: Loukachenko, Grigorievitch. */
export const FRENCH_RU: SchemeDefinition = {
  id: 'french-ru',
  lang: 'ru',
  label: 'French transcription (Russian form)',
  diacritics: true,
  letters: { ...BASE_LETTERS, ж: 'j', й: 'ï', у: 'ou', х: 'kh', ч: 'tch', ш: 'ch', щ: 'chtch' },
  iotated: { е: same('e'), ё: same('io'), ю: same('iou'), я: same('ia') },
  softSign: '',
  apostrophe: '',
  hardSign: '',
  finals: [['ий', 'i']],
};

/** Czech/Slovak transcription of the Russian form: Grigorjevič, Lukašenko. */
export const CZECH_RU: SchemeDefinition = {
  id: 'czech-ru',
  lang: 'ru',
  label: 'Czech transcription (Russian form)',
  diacritics: true,
  letters: { ...BASE_LETTERS, ж: 'ž', й: 'j', х: 'ch', ц: 'c', ч: 'č', ш: 'š', щ: 'šč' },
  iotated: {
    е: { initial: 'je', afterVowel: 'je', afterConsonant: 'e' },
    ё: same('jo'),
    ю: same('ju'),
    я: same('ja'),
  },
  softSign: '',
  apostrophe: '',
  hardSign: '',
  finals: [['ий', 'ij']],
};

export const RUSSIAN_SCHEMES: readonly SchemeDefinition[] = [
  ICAO_RU,
  BGN_RU,
  ENGLISH_RU,
  ISO9_RU,
  GERMAN_RU,
  POLISH_RU,
  SWEDISH_RU,
  FRENCH_RU,
  CZECH_RU,
];
