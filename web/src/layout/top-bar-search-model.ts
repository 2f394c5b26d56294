/**
 * The pure parts of the top-bar name search: who may use it, when "/" should jump to it, what to ask the
 * server and where a chosen result leads. Kept apart from the component so they are unit-tested.
 */
import type { Role } from '../api/types.js';

/** Roles the server lets call `GET /api/search` (its access rule is STAFF in src/screening/routes.ts). */
export const SEARCH_ROLES = ['admin', 'analyst', 'reviewer'] as const satisfies readonly Role[];

/** Most results the dropdown shows; the screening page shows more. */
export const SEARCH_LIMIT = 8;

/** Shortest text worth a request: one letter matches half the registry. */
export const MIN_QUERY_LENGTH = 2;

/** The value of the dropdown's last option, which opens the screening page instead of an entity. */
export const SEE_ALL = 'all';

/** Option values: entity ids are prefixed so no id can pass for the "see all" option. */
export const optionValue = (entityId: string) => `entity:${entityId}`;

/** Where a chosen option leads: an entity page, or the screening page for the text typed. */
export function optionTarget(value: string, text: string): string {
  return value.startsWith('entity:') ? entityPath(value.slice('entity:'.length)) : screeningPath(text);
}

export function canSearch(role: Role | undefined | null): boolean {
  return !!role && (SEARCH_ROLES as readonly Role[]).includes(role);
}

/** The text to send, or null when it is too short to search (whitespace does not count). */
export function searchText(input: string): string | null {
  const text = input.trim().replace(/\s+/g, ' ');
  return [...text].length >= MIN_QUERY_LENGTH ? text.slice(0, 300) : null;
}

/** The parts of a key press that decide whether "/" focuses the search. */
export interface ShortcutEvent {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  target: {
    tagName?: string;
    isContentEditable?: boolean;
    getAttribute?(name: string): string | null;
  } | null;
}

const TYPING_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT']);
const TYPING_ROLES = new Set(['textbox', 'combobox', 'searchbox', 'spinbutton']);

/** True when "/" was pressed outside any place where the person is typing (where "/" is a character). */
export function isSearchShortcut(event: ShortcutEvent): boolean {
  if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return false;
  const target = event.target;
  if (!target) return true;
  if (target.tagName && TYPING_TAGS.has(target.tagName.toUpperCase())) return false;
  if (target.isContentEditable) return false;
  const role = target.getAttribute?.('role');
  return !(role && TYPING_ROLES.has(role));
}

/** The entity page of a result (route `/registry/entities/:id` in areas.tsx). */
export function entityPath(id: string): string {
  return `/registry/entities/${encodeURIComponent(id)}`;
}

/** The screening page with the name filled in (it reads `?name=` and screens at once). */
export function screeningPath(name: string): string {
  return `/screening/name?${new URLSearchParams({ name: name.trim() }).toString()}`;
}

/** The query string of the search request. */
export function searchRequestPath(text: string, limit = SEARCH_LIMIT): string {
  return `/api/search?${new URLSearchParams({ q: text, limit: String(limit) }).toString()}`;
}

/** A score between 0 and 1 as a whole percentage. */
export function percent(score: number): string {
  return `${Math.round(Math.min(1, Math.max(0, score)) * 100)}%`;
}
