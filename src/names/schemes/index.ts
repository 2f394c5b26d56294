/** Registry of romanization schemes. */
import { BELARUSIAN_SCHEMES } from './belarusian.js';
import { RUSSIAN_SCHEMES } from './russian.js';
import type { SchemeDefinition, SchemeId } from './types.js';

export type { IotatedForms, SchemeDefinition, SchemeId } from './types.js';
export { BELARUSIAN_SCHEMES, RUSSIAN_SCHEMES };

/** Every scheme, Belarusian-form schemes first. */
export const ALL_SCHEMES: readonly SchemeDefinition[] = [...BELARUSIAN_SCHEMES, ...RUSSIAN_SCHEMES];

const BY_ID = new Map<SchemeId, SchemeDefinition>(ALL_SCHEMES.map((s) => [s.id, s]));

/** The scheme with this id (throws on an unknown id: ids are compile-time constants). */
export function getScheme(id: SchemeId): SchemeDefinition {
  const scheme = BY_ID.get(id);
  if (!scheme) throw new Error(`Unknown romanization scheme: ${id}`);
  return scheme;
}

/** Schemes that apply to a Belarusian or Russian Cyrillic form. */
export function schemesFor(lang: 'be' | 'ru'): readonly SchemeDefinition[] {
  return lang === 'be' ? BELARUSIAN_SCHEMES : RUSSIAN_SCHEMES;
}
