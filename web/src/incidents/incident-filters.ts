/**
 * The incident list's filters in the URL (shareable) and as the server's query: the server filters and
 * pages (newest first). `matchesIncident` states the same rules for rows already loaded.
 */
import type { IncidentsQuery } from '../evidence/types.js';

export const incidentFilterKeys = ['q', 'code', 'place', 'institution', 'from', 'to'] as const;
export type IncidentFilterKey = (typeof incidentFilterKeys)[number];
export type IncidentFilters = Record<IncidentFilterKey, string>;

export interface FilterableIncident {
  title: string;
  description: string;
  place: string | null;
  placeType: string | null;
  responsibleInstitution: string | null;
  responsibleUnit: string | null;
  occurredFrom: string | null;
  occurredTo: string | null;
  codes: string[];
}

/** Reads the filters from a query string. */
export function incidentFiltersFromSearch(search: URLSearchParams): IncidentFilters {
  const filters = Object.fromEntries(
    incidentFilterKeys.map((key) => [key, (search.get(key) ?? '').trim()]),
  ) as IncidentFilters;
  for (const key of ['from', 'to'] as const) if (!/^\d{4}-\d{2}-\d{2}$/.test(filters[key])) filters[key] = '';
  return filters;
}

/** Whether an incident passes the filters; a date range keeps incidents whose time overlaps it. */
export function matchesIncident(incident: FilterableIncident, filters: IncidentFilters): boolean {
  if (filters.q) {
    const needle = filters.q.toLocaleLowerCase();
    const haystack = [incident.title, incident.description, incident.place, incident.responsibleUnit]
      .filter(Boolean)
      .join(' ')
      .toLocaleLowerCase();
    if (!haystack.includes(needle)) return false;
  }
  if (filters.code && !incident.codes.includes(filters.code)) return false;
  if (filters.place && incident.placeType !== filters.place) return false;
  if (filters.institution && incident.responsibleInstitution !== filters.institution) return false;
  if (filters.from || filters.to) {
    const start = incident.occurredFrom ?? incident.occurredTo;
    const end = incident.occurredTo ?? incident.occurredFrom;
    if (!start || !end) return false;
    if (filters.from && end.slice(0, 10) < filters.from) return false;
    if (filters.to && start.slice(0, 10) > filters.to) return false;
  }
  return true;
}

/** Start of a calendar day in the browser's time zone, as an ISO instant. */
function dayStart(value: string, plusDays = 0): string {
  const [y, m, d] = value.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + plusDays).toISOString();
}

/** The server query for these filters; the `to` day is included. */
export function incidentsQueryFromFilters(filters: IncidentFilters, limit = 50): IncidentsQuery {
  const query: IncidentsQuery = { limit };
  if (filters.q) query.q = filters.q;
  if (filters.code) query.code = filters.code;
  if (filters.place) query.placeType = filters.place;
  if (filters.institution) query.responsibleInstitution = filters.institution;
  if (filters.from) query.from = dayStart(filters.from);
  if (filters.to) query.to = dayStart(filters.to, 1);
  return query;
}
