/**
 * The evidence list's filters as they live in the URL (shareable, back-button friendly) and as the API
 * wants them. Dates are calendar days in the URL (`2024-08-09`) and instants for the API, the `to` day
 * included. Values the server would refuse are dropped rather than sent.
 */
import {
  type Channel,
  channelValues,
  type ItemsQuery,
  kindValues,
  type ProcessingState,
  processingValues,
  type VerificationState,
  verificationValues,
} from './types.js';

export const filterKeys = [
  'q',
  'code',
  'from',
  'to',
  'capturedFrom',
  'capturedTo',
  'incident',
  'collection',
  'kind',
  'state',
  'processing',
  'channel',
] as const;
export type FilterKey = (typeof filterKeys)[number];
export type Filters = Record<FilterKey, string>;
export const pageSize = 50;

const day = /^\d{4}-\d{2}-\d{2}$/;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const code = /^[A-Z][A-Z0-9_.]*[A-Z0-9]$/;
const oneOf = (values: readonly string[], value: string) => (values.includes(value) ? value : '');

/** Reads the filters from a query string, keeping only values of the right shape. */
export function filtersFromSearch(search: URLSearchParams): Filters {
  const get = (key: FilterKey) => (search.get(key) ?? '').trim();
  const codes = get('code')
    .split(',')
    .map((value) => value.trim())
    .filter((value) => code.test(value));
  return {
    q: get('q').slice(0, 200),
    code: codes.join(','),
    from: day.test(get('from')) ? get('from') : '',
    to: day.test(get('to')) ? get('to') : '',
    capturedFrom: day.test(get('capturedFrom')) ? get('capturedFrom') : '',
    capturedTo: day.test(get('capturedTo')) ? get('capturedTo') : '',
    incident: uuid.test(get('incident')) ? get('incident') : '',
    collection: uuid.test(get('collection')) ? get('collection') : '',
    kind: oneOf(kindValues, get('kind')),
    state: oneOf(verificationValues, get('state')),
    processing: oneOf(processingValues, get('processing')),
    channel: oneOf(channelValues, get('channel')),
  };
}

/** The non-empty filters as a query string (in a fixed order, so equal filters give equal URLs). */
export function searchFromFilters(filters: Partial<Filters>): URLSearchParams {
  const search = new URLSearchParams();
  for (const key of filterKeys) {
    const value = filters[key]?.trim();
    if (value) search.set(key, value);
  }
  return search;
}

/** Start of a calendar day in the browser's time zone, as an ISO instant. */
function dayStart(value: string, plusDays = 0): string {
  const [y, m, d] = value.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + plusDays).toISOString();
}

/**
 * The API's query for these filters; the server applies all of them (several codes: any of them) and
 * counts the matches.
 */
export function itemsQueryFromFilters(filters: Filters): ItemsQuery {
  const query: ItemsQuery = { limit: pageSize };
  if (filters.q) query.q = filters.q;
  if (filters.code) {
    if (filters.code.includes(',')) query.codes = filters.code;
    else query.code = filters.code;
  }
  if (filters.from) query.from = dayStart(filters.from);
  if (filters.to) query.to = dayStart(filters.to, 1);
  if (filters.capturedFrom) query.capturedFrom = dayStart(filters.capturedFrom);
  if (filters.capturedTo) query.capturedTo = dayStart(filters.capturedTo, 1);
  if (filters.incident) query.incidentId = filters.incident;
  if (filters.collection) query.collectionId = filters.collection;
  if (filters.processing) query.processingState = filters.processing as ProcessingState;
  if (filters.kind) query.kind = filters.kind;
  if (filters.state) query.verificationState = filters.state as VerificationState;
  if (filters.channel) query.channel = filters.channel as Channel;
  return query;
}

/** Whether a row passes the filters (the server applies them too; this keeps loaded pages consistent). */
export function matchesClientFilters(item: { processingState: string }, filters: Filters): boolean {
  return !filters.processing || item.processingState === filters.processing;
}

/** The short form of a SHA-256 shown in tables: the first 12 hex digits. */
export function shortHash(hash: string, length = 12): string {
  return hash.length > length ? `${hash.slice(0, length)}…` : hash;
}
