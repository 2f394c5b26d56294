/**
 * Name intelligence for Belarusian and Russian personal names (pure functions, no I/O).
 *
 * Entry points for screening:
 *   normalizeName(raw)   validate, clean, parse into role-tagged tokens (or a coded NameError)
 *   nameForms(name)      BE/RU Cyrillic forms, romanizations per scheme, skeleton and phonetic forms
 *   tokenKeys(token)     bounded set of index keys of one token (≤ MAX_TOKEN_KEYS)
 *   compareTokens(a, b)  score 0..1 + rule + explanation for two tokens
 */
export {
  type CompareRule,
  compareTokens,
  EQUIVALENCE_THRESHOLD,
  isEquivalent,
  RULE_SCORES,
  type TokenComparison,
} from './compare.js';
export {
  belarusianPatronymics,
  belarusianToRussian,
  type DictionaryHit,
  dictionaryIndex,
  femalePatronymic,
  lookupCyrillic,
  patronymicStem,
  russianPatronymics,
  russianToBelarusian,
} from './equivalence.js';
export { isNameError, MAX_NAME_LENGTH, type NameError, type NameErrorCode } from './errors.js';
export {
  FEMININE_RULES,
  type FeminineBase,
  type FeminineRule,
  foreignFeminineBases,
  foreignFormBases,
  foreignFormKind,
  foreignMasculineBases,
  type MasculineRule,
} from './feminine.js';
export { type FormRule, type NameForm, type NameForms, nameForms, type TokenForms } from './forms.js';
export { GIVEN_NAMES, type GivenNameEntry } from './given-names.js';
export { repairHomoglyphs } from './homoglyphs.js';
export { MAX_TOKEN_KEYS, tokenKeys } from './keys.js';
export { type NormalizedName, normalizeName } from './normalize-name.js';
export { type NameRole, type ParsedName, type ParsedToken, parseName } from './parse.js';
export { phoneticKey } from './phonetic.js';
export { romanize, romanizeAll } from './romanize.js';
export { ALL_SCHEMES, getScheme, type SchemeDefinition, type SchemeId, schemesFor } from './schemes/index.js';
export {
  type CyrillicLanguage,
  detectCyrillicLanguage,
  detectScript,
  isCyrillicLetter,
  isLatinLetter,
  type Script,
} from './scripts.js';
export { damerauLevenshtein, jaroWinkler, levenshtein } from './similarity.js';
export { skeleton, skeletonVariants } from './skeleton.js';
export { clearTokenCache } from './token.js';
export { cleanText, foldCase, hasControlChars, stripDiacritics } from './unicode.js';
