/**
 * The pure parts of the top-bar search across all resources: who may use it, when "/" should jump to it,
 * what to ask the server, which sections to show in which order, and where a chosen result or a section's
 * "see all" leads. Kept apart from the component so they are unit-tested.
 */
import type { Role } from '../api/types.js';

/** Roles the server lets call `GET /api/search/all` (its access rule is STAFF in src/platform/search.ts). */
export const SEARCH_ROLES = ['admin', 'analyst', 'reviewer'] as const satisfies readonly Role[];

/** Most results each section of the dropdown shows; its "see all" opens the area's list. */
export const SEARCH_LIMIT = 5;

/** Shortest text worth a request: one letter matches half the registry. */
export const MIN_QUERY_LENGTH = 2;

/** The sections, in the order the dropdown shows them (people first: the top bar searches names first). */
export const SECTION_KEYS = ['people', 'evidence', 'incidents', 'cases', 'proposals'] as const;
export type SectionKey = (typeof SECTION_KEYS)[number];

/** One thing found, as `GET /api/search/all` answers it (searchHitSchema in src/platform/search.ts). */
export interface SearchHit {
  id: string;
  title: string;
  subtitle: string | null;
  date: string | null;
  tag: string | null;
  score: number | null;
  matchedName: string | null;
  matchedWords: string[];
  matchedIn: string | null;
}

export interface SearchSection {
  key: string;
  total: { value: number; relation: 'eq' | 'gte' };
  items: SearchHit[];
}

export interface SearchAllResponse {
  sections: SearchSection[];
  failed: string[];
}

/** The value of the option that screens the typed name in full (what Enter does before results arrive). */
export const SEE_ALL = 'all:people';

/** Option values: a hit is `hit:<section>:<id>`, a section's "see all" `all:<section>`. */
export const optionValue = (section: SectionKey, id: string) => `hit:${section}:${id}`;
export const seeAllValue = (section: SectionKey) => `all:${section}`;

const isSection = (key: string): key is SectionKey => (SECTION_KEYS as readonly string[]).includes(key);

/** Where a chosen option leads: a thing's page, or its area's list filtered by the text typed. */
export function optionTarget(value: string, text: string): string {
  const [kind, section = '', ...rest] = value.split(':');
  if (!isSection(section)) return screeningPath(text);
  if (kind === 'hit' && rest.length > 0) return hitPath(section, rest.join(':'));
  return seeAllPath(section, text);
}

/** The page of one thing found (routes in areas.tsx). */
export function hitPath(section: SectionKey, id: string): string {
  const safe = encodeURIComponent(id);
  switch (section) {
    case 'people':
      return entityPath(id);
    case 'evidence':
      return `/evidence/${safe}`;
    case 'incidents':
      return `/incidents/${safe}`;
    case 'cases':
      return `/cases/${safe}`;
    case 'proposals':
      return `/sanctions/proposals/${safe}`;
  }
}

/** A section's "see all": the area's list with the text as its filter (the same search, every result). */
export function seeAllPath(section: SectionKey, text: string): string {
  if (section === 'people') return screeningPath(text);
  const query = new URLSearchParams({ q: text.trim() }).toString();
  const list: Record<Exclude<SectionKey, 'people'>, string> = {
    evidence: '/evidence',
    incidents: '/incidents',
    cases: '/cases',
    proposals: '/sanctions/proposals',
  };
  return `${list[section]}?${query}`;
}

/** The sections to show, in dropdown order: known ones that found something. */
export function shownSections(
  response: SearchAllResponse | undefined,
): Array<SearchSection & { key: SectionKey }> {
  if (!response) return [];
  return SECTION_KEYS.flatMap((key) =>
    response.sections.filter(
      (section): section is SearchSection & { key: SectionKey } =>
        section.key === key && section.total.value > 0 && section.items.length > 0,
    ),
  );
}

/** A section's count as shown: "12", or "500+" when the area stopped counting. */
export function countLabel(total: SearchSection['total'], format: (n: number) => string = String): string {
  return `${format(total.value)}${total.relation === 'gte' ? '+' : ''}`;
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
  return `/api/search/all?${new URLSearchParams({ q: text, limit: String(limit) }).toString()}`;
}

/** A score between 0 and 1 as a whole percentage. */
export function percent(score: number): string {
  return `${Math.round(Math.min(1, Math.max(0, score)) * 100)}%`;
}
