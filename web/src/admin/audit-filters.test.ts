import { describe, expect, it } from 'vitest';
import {
  auditQueryFromFilters,
  filtersFromSearch,
  isoToLocalInput,
  localInputToIso,
} from './audit-filters.js';

describe('audit filters in the URL', () => {
  it('read every filter and drop an unknown outcome', () => {
    const filters = filtersFromSearch(new URLSearchParams('actor=admin&outcome=maybe&action=user.create'));
    expect(filters).toEqual({
      actor: 'admin',
      action: 'user.create',
      target: '',
      outcome: '',
      from: '',
      to: '',
    });
  });

  it('send only what is set, with the page size', () => {
    const filters = filtersFromSearch(new URLSearchParams('outcome=denied&from=2024-01-01T00:00:00.000Z'));
    expect(auditQueryFromFilters(filters)).toEqual({
      limit: 100,
      outcome: 'denied',
      from: '2024-01-01T00:00:00.000Z',
    });
  });

  it('round-trip a time between the form (local) and the URL (ISO instant)', () => {
    const iso = '2024-05-06T07:08:00.000Z';
    const local = isoToLocalInput(iso);
    expect(local).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(localInputToIso(local)).toBe(iso);
    expect(isoToLocalInput('not a date')).toBe('');
    expect(localInputToIso('')).toBe('');
  });
});
