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
  processingValues,
  type VerificationState,
  verificationValues,
} from './types.js';

export const filterKeys = [
  'code',
  'from',
  'to',
  'incident',
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
  return {
    code: code.test(get('code')) ? get('code') : '',
    from: day.test(get('from')) ? get('from') : '',
    to: day.test(get('to')) ? get('to') : '',
    incident: uuid.test(get('incident')) ? get('incident') : '',
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
 * The API's query for these filters. The processing state is not a server filter: it is applied to the
 * rows that come back (see `matchesClientFilters`).
 */
export function itemsQueryFromFilters(filters: Filters): ItemsQuery {
  const query: ItemsQuery = { limit: pageSize };
  if (filters.code) query.code = filters.code;
  if (filters.from) query.from = dayStart(filters.from);
  if (filters.to) query.to = dayStart(filters.to, 1);
  if (filters.incident) query.incidentId = filters.incident;
  if (filters.kind) query.kind = filters.kind;
  if (filters.state) query.verificationState = filters.state as VerificationState;
  if (filters.channel) query.channel = filters.channel as Channel;
  return query;
}

/** Whether a row passes the filters the server does not apply. */
export function matchesClientFilters(item: { processingState: string }, filters: Filters): boolean {
  return !filters.processing || item.processingState === filters.processing;
}

/** The short form of a SHA-256 shown in tables: the first 12 hex digits. */
export function shortHash(hash: string, length = 12): string {
  return hash.length > length ? `${hash.slice(0, length)}…` : hash;
}
