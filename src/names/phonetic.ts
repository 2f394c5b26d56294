/**
 * Coarse phonetic key, computed from a skeleton. On top of the skeleton it merges the regular
 * Belarusian/Russian differences, so the Belarusian and Russian forms of one name usually share it:
 * akanne (unstressed о → а: Навумаў/Наумов, -енка/-енко), яканне (е → я: Сяргей/Сергей), ё/е, г h/g,
 * дз/д, ц/т (soft), the Belarusian в before у (Навум/Наум), -ая/-aja endings.
 */
import { isSkeletonVowel } from './skeleton.js';

/** Phonetic key of a skeleton (see `skeleton()`); '' for ''. */
export function phoneticKey(skel: string): string {
  if (skel.length === 0) return '';
  let s = skel;
  if (s.length > 4 && s.endsWith('aia')) s = s.slice(0, -2);
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const next = i + 1 < s.length ? s[i + 1]! : '';
    if (c === 'i' && (next === 'a' || next === 'o')) {
      out += 'e';
      i += 1;
      continue;
    }
    if (c === 'i' && next === 'u') continue;
    if (c === 'o') {
      out += 'a';
      continue;
    }
    if (c === 'g') {
      out += 'h';
      continue;
    }
    if (c === 'd' && next === 'z') {
      out += 'd';
      i += 1;
      continue;
    }
    if (c === 'c') {
      out += 't';
      continue;
    }
    if (c === 'u' && out.endsWith('v') && out.length > 1 && isSkeletonVowel(out[out.length - 2]!)) continue;
    out += c;
  }
  let collapsed = '';
  for (const c of out) if (collapsed[collapsed.length - 1] !== c) collapsed += c;
  return collapsed;
}
