/**
 * The identifying-information checklist of a proposal and its completeness score: what a government
 * needs to act on a listing (EU best practices: names in the original scripts, date and place of
 * birth, nationality, documents, functions; the Global Magnitsky forms ask the same).
 */
import type { Identity } from './model.js';

export const CHECKLIST = [
  'nameLatin',
  'nameBelarusian',
  'nameRussian',
  'birthDate',
  'birthPlace',
  'gender',
  'citizenship',
  'personalNumber',
  'passportNumber',
  'positions',
  'unit',
  'address',
] as const;

function present(identity: Identity, key: (typeof CHECKLIST)[number]): boolean {
  if (key === 'positions') return identity.positions.some((p) => p.title && p.from);
  const value = identity[key];
  return Array.isArray(value) ? value.length > 0 : value !== '';
}

/** Which checklist items are filled, and the share filled (0–1, two decimals). */
export function completeness(identity: Identity) {
  const items = CHECKLIST.map((key) => ({ key, present: present(identity, key) }));
  const score = Math.round((items.filter((i) => i.present).length / items.length) * 100) / 100;
  return { score, items };
}
