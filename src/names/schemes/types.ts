/**
 * Shape of a romanization scheme: data only. The engine in `../romanize.ts` interprets it, so a new
 * scheme is a table, not code.
 */

/** Identifier of a romanization scheme (stable: it appears in match explanations). */
export type SchemeId =
  | 'icao-be'
  | 'passport-be'
  | 'mvd-be-2008'
  | 'bgn-be-1979'
  | 'national-be-2007'
  | 'national-be-2007-ascii'
  | 'lacinka-be'
  | 'swedish-be'
  | 'german-be'
  | 'czech-be'
  | 'icao-ru'
  | 'bgn-ru'
  | 'english-ru'
  | 'iso9-ru'
  | 'german-ru'
  | 'polish-ru'
  | 'swedish-ru'
  | 'french-ru'
  | 'czech-ru';

/** Romanization of е, ё, ю, я by position: word start, after a vowel/ь/ъ/'/ў/й, after a consonant. */
export interface IotatedForms {
  readonly initial: string;
  readonly afterVowel: string;
  readonly afterConsonant: string;
  /** After л where the scheme softens л itself (Łacinka `la`, Polish `la`). */
  readonly afterSoftL?: string;
  /** After the hard sibilants ж ш ч щ ц (Polish `ża`, German `scho`). */
  readonly afterSibilant?: string;
  /** After ы (Belarusian passports: Марыя → Maryia but Ціханоўская → Tsikhanouskaya). */
  readonly afterYery?: string;
}

export interface SchemeDefinition {
  readonly id: SchemeId;
  /** Orthography the scheme applies to: Belarusian or Russian Cyrillic. */
  readonly lang: 'be' | 'ru';
  readonly label: string;
  /** The scheme's output uses diacritics (č, š, ŭ, ĺ …). */
  readonly diacritics: boolean;
  /** Lower-case Cyrillic letter to lower-case Latin, for letters without positional rules. */
  readonly letters: Readonly<Record<string, string>>;
  readonly iotated: Readonly<Record<'е' | 'ё' | 'ю' | 'я', IotatedForms>>;
  /** ь: a string, or 'acute' to mark the preceding consonant (ć ĺ ń ś ź) using `acute`. */
  readonly softSign: string;
  readonly acute?: Readonly<Record<string, string>>;
  /** Belarusian apostrophe. */
  readonly apostrophe: string;
  /** Russian ъ. */
  readonly hardSign: string;
  /** Word-final Cyrillic endings with their own rendering (e.g. -ый → y in passports), longest first. */
  readonly finals?: ReadonlyArray<readonly [string, string]>;
  /** Cyrillic letter pairs rendered together (e.g. кс → x in English practice). */
  readonly clusters?: ReadonlyArray<readonly [string, string]>;
  /** л rendered hard/soft by what follows (Łacinka, Polish). */
  readonly softL?: { readonly hard: string; readonly soft: string };
  /** и/ы after ж ш ч щ ц (Polish `y`). */
  readonly iAfterSibilant?: string;
}
