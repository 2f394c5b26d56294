/**
 * The audit log's filters as they live in the URL (shareable, back-button friendly) and as the API wants
 * them. Times are ISO instants in the URL and local date-times in the form.
 */
import type { AuditOutcome, AuditQuery } from '../api/types.js';

export const outcomes: AuditOutcome[] = ['ok', 'denied', 'failed'];
export const filterKeys = ['actor', 'action', 'target', 'outcome', 'from', 'to'] as const;
export type FilterKey = (typeof filterKeys)[number];
export type Filters = Record<FilterKey, string>;
export const pageSize = 100;

/** Reads the filters from a query string; unknown outcomes are dropped rather than sent. */
export function filtersFromSearch(search: URLSearchParams): Filters {
  const filters = Object.fromEntries(filterKeys.map((key) => [key, search.get(key) ?? ''])) as Filters;
  if (filters.outcome && !outcomes.includes(filters.outcome as AuditOutcome)) filters.outcome = '';
  return filters;
}

/** The non-empty filters, as the API's query. */
export function auditQueryFromFilters(filters: Filters): AuditQuery {
  const query: AuditQuery = { limit: pageSize };
  if (filters.actor) query.actor = filters.actor;
  if (filters.action) query.action = filters.action;
  if (filters.target) query.target = filters.target;
  if (filters.outcome) query.outcome = filters.outcome as AuditOutcome;
  if (filters.from) query.from = filters.from;
  if (filters.to) query.to = filters.to;
  return query;
}

/** ISO instant → value for <input type="datetime-local"> in the browser's time zone. */
export function isoToLocalInput(iso: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/** <input type="datetime-local"> value → ISO instant with offset, as the API expects. */
export function localInputToIso(value: string): string {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}
