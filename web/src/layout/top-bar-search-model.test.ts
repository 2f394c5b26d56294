import { describe, expect, it } from 'vitest';
import {
  canSearch,
  entityPath,
  isSearchShortcut,
  optionTarget,
  optionValue,
  percent,
  SEE_ALL,
  screeningPath,
  searchRequestPath,
  searchText,
} from './top-bar-search-model.js';

const element = (tagName: string, extra: { role?: string; isContentEditable?: boolean } = {}) => ({
  tagName,
  isContentEditable: extra.isContentEditable ?? false,
  getAttribute: (name: string) => (name === 'role' ? (extra.role ?? null) : null),
});
const press = (
  key: string,
  target: ReturnType<typeof element> | null,
  mods: Partial<Record<string, boolean>> = {},
) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
  target,
});

describe('top-bar search', () => {
  it('is for the roles the search route admits, not partners or anonymous', () => {
    expect(canSearch('admin')).toBe(true);
    expect(canSearch('analyst')).toBe(true);
    expect(canSearch('reviewer')).toBe(true);
    expect(canSearch('partner')).toBe(false);
    expect(canSearch(undefined)).toBe(false);
    expect(canSearch(null)).toBe(false);
  });

  it('"/" focuses the search from the page, never while typing', () => {
    expect(isSearchShortcut(press('/', element('BODY')))).toBe(true);
    expect(isSearchShortcut(press('/', element('A')))).toBe(true);
    expect(isSearchShortcut(press('/', element('BUTTON')))).toBe(true);
    expect(isSearchShortcut(press('/', null))).toBe(true);
    expect(isSearchShortcut(press('/', element('INPUT')))).toBe(false);
    expect(isSearchShortcut(press('/', element('input')))).toBe(false);
    expect(isSearchShortcut(press('/', element('TEXTAREA')))).toBe(false);
    expect(isSearchShortcut(press('/', element('SELECT')))).toBe(false);
    expect(isSearchShortcut(press('/', element('DIV', { isContentEditable: true })))).toBe(false);
    expect(isSearchShortcut(press('/', element('DIV', { role: 'textbox' })))).toBe(false);
    expect(isSearchShortcut(press('/', element('DIV', { role: 'combobox' })))).toBe(false);
  });

  it('leaves other keys and "/" with modifiers alone', () => {
    expect(isSearchShortcut(press('s', element('BODY')))).toBe(false);
    expect(isSearchShortcut(press('?', element('BODY')))).toBe(false);
    expect(isSearchShortcut(press('/', element('BODY'), { ctrlKey: true }))).toBe(false);
    expect(isSearchShortcut(press('/', element('BODY'), { metaKey: true }))).toBe(false);
    expect(isSearchShortcut(press('/', element('BODY'), { altKey: true }))).toBe(false);
  });

  it('searches from two letters, any script, with whitespace tidied', () => {
    expect(searchText('')).toBeNull();
    expect(searchText('   ')).toBeNull();
    expect(searchText(' a ')).toBeNull();
    expect(searchText('ў')).toBeNull();
    expect(searchText('Ля')).toBe('Ля');
    expect(searchText('  Siarhei   NAVUMAU ')).toBe('Siarhei NAVUMAU');
    expect(searchText('x'.repeat(400))).toHaveLength(300);
  });

  it('asks the search route for eight results, the text encoded', () => {
    expect(searchRequestPath('Навумаў').startsWith('/api/search?')).toBe(true);
    const url = new URL(searchRequestPath('Navumaŭ & Co 1971'), 'http://x');
    expect(url.searchParams.get('q')).toBe('Navumaŭ & Co 1971');
    expect(url.searchParams.get('limit')).toBe('8');
  });

  it('opens the entity page for a result and the screening page for "see all"', () => {
    expect(optionTarget(optionValue('fx-person-1'), 'x')).toBe('/registry/entities/fx-person-1');
    expect(optionTarget(optionValue('a/b c'), 'x')).toBe(entityPath('a/b c'));
    expect(entityPath('a/b c')).toBe('/registry/entities/a%2Fb%20c');
    // An entity whose id happens to be "all" is still an entity.
    expect(optionTarget(optionValue(SEE_ALL), 'x')).toBe('/registry/entities/all');
    const all = new URL(optionTarget(SEE_ALL, ' Volha Zhdanovich '), 'http://x');
    expect(all.pathname).toBe('/screening/name');
    expect(all.searchParams.get('name')).toBe('Volha Zhdanovich');
    expect(screeningPath('Ждановіч')).toBe(`/screening/name?name=${encodeURIComponent('Ждановіч')}`);
  });

  it('shows scores as whole percentages within 0–100', () => {
    expect(percent(0.874)).toBe('87%');
    expect(percent(1)).toBe('100%');
    expect(percent(1.2)).toBe('100%');
    expect(percent(-0.1)).toBe('0%');
  });
});
