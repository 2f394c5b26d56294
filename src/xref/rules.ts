/**
 * Rules that decide a pair without a person (method `rule`): an identical strong identifier (personal
 * number, passport, tax id) and no conflicting birth date. Pure: the run applies them only where the
 * datasets allow it and nothing is decided yet.
 */
import { ID_PROPERTIES, normalizeId } from '../screening/index.js';

/** A strong identifier: at least 8 letters and digits, with digits (a passport, a personal number, a tax id). */
function strongIds(properties: Record<string, string[]>): Set<string> {
  const out = new Set<string>();
  for (const key of ID_PROPERTIES)
    for (const value of properties[key] ?? []) {
      const id = normalizeId(value);
      if (id.length >= 8 && /\d/.test(id)) out.add(id);
    }
  return out;
}

/** Two partial dates agree when one is a prefix of the other (1970 agrees with 1970-05-01). */
function datesAgree(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

/** Both sides give birth dates and none of them agree. */
export function birthDatesConflict(left: Record<string, string[]>, right: Record<string, string[]>): boolean {
  const a = (left.birthDate ?? []).map((d) => d.trim()).filter(Boolean);
  const b = (right.birthDate ?? []).map((d) => d.trim()).filter(Boolean);
  if (a.length === 0 || b.length === 0) return false;
  return !a.some((x) => b.some((y) => datesAgree(x, y)));
}

/** The identifier two records share, when the identifier rule says they are the same; else null. */
export function identifierRule(
  left: Record<string, string[]>,
  right: Record<string, string[]>,
): string | null {
  const mine = strongIds(left);
  if (mine.size === 0) return null;
  for (const id of strongIds(right)) {
    if (mine.has(id)) return birthDatesConflict(left, right) ? null : id;
  }
  return null;
}
