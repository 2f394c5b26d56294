/**
 * Which part of a personal name each token is: surname, given name or patronymic. Belarusian and
 * Russian documents write SURNAME Given Patronymic, lists mix "Given Patronymic SURNAME" and
 * "SURNAME, Given"; so the part comes from what the token is (a dictionary given name, a patronymic
 * ending) before where it stands, and position, capitals and a comma only settle what is left.
 */
import type { SplitName, TokenInfo } from './tokens.js';

export const SURNAME = 0;
export const GIVEN = 1;
export const PATRONYMIC = 2;
export const OTHER = 3;
export type Part = typeof SURNAME | typeof GIVEN | typeof PATRONYMIC | typeof OTHER;

export const PART_NAMES = ['surname', 'given', 'patronymic', 'other'] as const;

/** Weight of each part in the name score: the surname discriminates most. */
export const PART_WEIGHTS: readonly number[] = [0.45, 0.35, 0.2, 0.3];

/** Assigns a part to each token of one name. */
export function assignParts(
  infos: readonly TokenInfo[],
  split: Pick<SplitName, 'commaAfter' | 'upper'>,
): Part[] {
  const n = infos.length;
  const parts: Part[] = new Array(n);
  let initials = 0;
  for (let i = 0; i < n; i++) {
    const info = infos[i]!;
    if (info.initial) {
      parts[i] = initials === 0 ? GIVEN : PATRONYMIC;
      initials++;
    } else if (info.patronymicShaped) parts[i] = PATRONYMIC;
    else if (info.given.length > 0) parts[i] = GIVEN;
    else parts[i] = SURNAME;
  }
  if (n < 2) {
    if (n === 1 && parts[0] === PATRONYMIC) parts[0] = SURNAME;
    return parts;
  }
  const count = (part: Part) => parts.filter((p) => p === part).length;
  // Capitals ("Ivan PETROV") and a comma ("PETROV, Ivan") are written on purpose: they win over what
  // the token looks like (a surname may end like a patronymic: Бабрыковіч).
  let strong = split.commaAfter >= 0 && split.commaAfter < n ? split.commaAfter : -1;
  if (strong < 0) {
    const uppers = split.upper.flatMap((u, i) => (u && !infos[i]!.initial ? [i] : []));
    if (uppers.length === 1) strong = uppers[0]!;
  }
  if (strong >= 0) {
    parts[strong] = SURNAME;
    if (count(GIVEN) === 0) {
      const next = parts.findIndex((p, i) => i !== strong && p === SURNAME);
      if (next >= 0) parts[next] = GIVEN;
    }
    if (count(PATRONYMIC) === 0 && count(SURNAME) > 1) {
      const third = parts.findIndex((p, i) => i !== strong && p === SURNAME && infos[i]!.patronymicShaped);
      if (third >= 0) parts[third] = PATRONYMIC;
    }
    return parts;
  }
  if (count(SURNAME) === 0) {
    // A surname must be somewhere: a patronymic-shaped surname (Бабрыковіч) or a given-name-like one
    // stands first (document order) or last (list order).
    let pick = -1;
    if (count(PATRONYMIC) >= 2) {
      pick = parts[0] === PATRONYMIC ? 0 : parts.lastIndexOf(PATRONYMIC);
    }
    if (pick < 0 && n >= 3) {
      const patronymicAt = parts.indexOf(PATRONYMIC);
      pick = patronymicAt === n - 1 ? 0 : n - 1;
    }
    if (pick < 0 && count(GIVEN) >= 2) pick = n - 1;
    // Two words are a given name and a surname: a list does not name a person by given name and
    // patronymic alone, and Belarusian surnames often end like patronymics (Volha Zhdanovich).
    if (pick < 0 && n === 2) pick = parts.indexOf(PATRONYMIC);
    if (pick >= 0) parts[pick] = SURNAME;
  } else if (count(PATRONYMIC) >= 2) {
    // Two patronymic-shaped tokens and a surname-like one: keep the one after a given name.
    const positions = parts.flatMap((p, i) => (p === PATRONYMIC ? [i] : []));
    for (const i of positions) if (i === 0 || parts[i - 1] !== GIVEN) parts[i] = SURNAME;
  }
  return parts;
}
