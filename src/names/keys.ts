/**
 * Index keys of one name token, for candidate retrieval: a person is a candidate for a query when
 * they share at least one key on some name token. Keys are short prefixed strings:
 *   g:<entry>   given-name dictionary entry (Аляксандр, Александр, Alexander, Aliaksandr …)
 *   p:<entry>   patronymic derived from a dictionary entry (Рыгоравіч, Григорьевич, Hryhoryavich …)
 *   f:<key>     phonetic key (merges BE/RU vowel and г h/g differences)
 *   s:<key>     skeleton of a romanization (collapses scheme differences)
 *   i:<letter>  the token is an initial
 */
import { analyzeToken } from './token.js';

/** Upper bound on the number of keys `tokenKeys` returns for one token. */
export const MAX_TOKEN_KEYS = 24;
const MAX_DICTIONARY_KEYS = 4;
const MAX_PHONETIC_KEYS = 8;

/**
 * Index keys for one name token (see the file header for the key kinds). At most MAX_TOKEN_KEYS
 * (24): dictionary keys first (≤ 4), then phonetic keys (≤ 8), then skeletons. Typical counts: 3–8.
 * Empty for a token without letters.
 */
export function tokenKeys(token: string): string[] {
  const analysis = analyzeToken(token);
  if (analysis.isInitial) return [...analysis.initials].sort().map((l) => `i:${l}`);
  const keys: string[] = [];
  const seen = new Set<string>();
  const add = (key: string) => {
    if (!seen.has(key) && keys.length < MAX_TOKEN_KEYS) {
      seen.add(key);
      keys.push(key);
    }
  };
  let dictionary = 0;
  for (const hit of analysis.hits) {
    if (dictionary >= MAX_DICTIONARY_KEYS) break;
    const key = `${hit.kind === 'given' ? 'g' : 'p'}:${hit.entry}`;
    if (!seen.has(key)) dictionary++;
    add(key);
  }
  for (const id of analysis.patronymicEntries) {
    if (dictionary >= MAX_DICTIONARY_KEYS) break;
    if (!seen.has(`p:${id}`)) dictionary++;
    add(`p:${id}`);
  }
  for (const p of analysis.phonetics.slice(0, MAX_PHONETIC_KEYS)) add(`f:${p}`);
  for (const s of analysis.skeletons) add(`s:${s}`);
  return keys;
}
