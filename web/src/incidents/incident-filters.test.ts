import { describe, expect, it } from 'vitest';
import { incidentFiltersFromSearch, matchesIncident } from './incident-filters.js';

const incident = {
  title: 'Затрыманне каля станцыі метро',
  description: 'Збіццё ў аўтазаку',
  place: 'Мінск',
  placeType: 'LOC.VEHICLE',
  responsibleInstitution: 'ORG.MVD',
  responsibleUnit: 'АМАП',
  occurredFrom: '2020-08-10T18:00:00.000Z',
  occurredTo: '2020-08-11T02:00:00.000Z',
  codes: ['BY.V.TORTURE'],
};

describe('incident filters', () => {
  it('match text, codes, facets and overlapping dates', () => {
    const f = (query: string) => incidentFiltersFromSearch(new URLSearchParams(query));
    expect(matchesIncident(incident, f('q=аўтазак'))).toBe(true);
    expect(matchesIncident(incident, f('q=гомель'))).toBe(false);
    expect(matchesIncident(incident, f('code=BY.V.TORTURE&place=LOC.VEHICLE&institution=ORG.MVD'))).toBe(
      true,
    );
    expect(matchesIncident(incident, f('code=BY.V.KILL'))).toBe(false);
    expect(matchesIncident(incident, f('from=2020-08-11&to=2020-08-31'))).toBe(true);
    expect(matchesIncident(incident, f('from=2020-08-12'))).toBe(false);
    expect(matchesIncident(incident, f('to=2020-08-09'))).toBe(false);
    expect(f('from=yesterday').from).toBe('');
  });
});
