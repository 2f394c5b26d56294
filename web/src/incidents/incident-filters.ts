/**
 * The incident list's filters in the URL. The server lists incidents without filters (newest first, up to
 * 200), so these are applied to the rows here; the URL still makes a view shareable.
 */
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
