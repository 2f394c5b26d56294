import { describe, expect, it } from 'vitest';
import {
  canSearch,
  countLabel,
  entityPath,
  hitPath,
  isSearchShortcut,
  optionTarget,
  optionValue,
  percent,
  SECTION_KEYS,
  SEE_ALL,
  type SectionKey,
  screeningPath,
  searchRequestPath,
  searchText,
  seeAllPath,
  seeAllValue,
  shownSections,
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

  it('asks the search across all resources for five results a section, the text encoded', () => {
    expect(searchRequestPath('Навумаў').startsWith('/api/search/all?')).toBe(true);
    const url = new URL(searchRequestPath('Navumaŭ & Co 1971'), 'http://x');
    expect(url.searchParams.get('q')).toBe('Navumaŭ & Co 1971');
    expect(url.searchParams.get('limit')).toBe('5');
  });

  it('opens the page of a result in each section', () => {
    expect(optionTarget(optionValue('people', 'fx-person-1'), 'x')).toBe('/registry/entities/fx-person-1');
    expect(optionTarget(optionValue('people', 'a/b c'), 'x')).toBe(entityPath('a/b c'));
    expect(entityPath('a/b c')).toBe('/registry/entities/a%2Fb%20c');
    expect(optionTarget(optionValue('evidence', 'i-1'), 'x')).toBe('/evidence/i-1');
    expect(optionTarget(optionValue('incidents', 'n-1'), 'x')).toBe('/incidents/n-1');
    expect(optionTarget(optionValue('cases', 'c-1'), 'x')).toBe('/cases/c-1');
    expect(optionTarget(optionValue('proposals', 'p-1'), 'x')).toBe('/sanctions/proposals/p-1');
    // Ids with colons, or that look like a "see all", are still ids.
    expect(optionTarget(optionValue('people', 'sv:1'), 'x')).toBe('/registry/entities/sv%3A1');
    expect(optionTarget(optionValue('people', 'all'), 'x')).toBe('/registry/entities/all');
    expect(hitPath('evidence', 'a/b')).toBe('/evidence/a%2Fb');
  });

  it('"see all" opens each area\'s list filtered by the text; people the screening page', () => {
    const people = new URL(optionTarget(SEE_ALL, ' Volha Zhdanovich '), 'http://x');
    expect(people.pathname).toBe('/screening/name');
    expect(people.searchParams.get('name')).toBe('Volha Zhdanovich');
    expect(optionTarget(seeAllValue('people'), 'Ждановіч')).toBe(screeningPath('Ждановіч'));
    expect(screeningPath('Ждановіч')).toBe(`/screening/name?name=${encodeURIComponent('Ждановіч')}`);
    const lists: Array<[SectionKey, string]> = [
      ['evidence', '/evidence'],
      ['incidents', '/incidents'],
      ['cases', '/cases'],
      ['proposals', '/sanctions/proposals'],
    ];
    for (const [section, path] of lists) {
      const url = new URL(optionTarget(seeAllValue(section), ' Ждановіч & Co '), 'http://x');
      expect(url.pathname).toBe(path);
      expect(url.searchParams.get('q')).toBe('Ждановіч & Co');
      expect(seeAllPath(section, 'x')).toBe(`${path}?q=x`);
    }
    // An unknown value falls back to screening the text, never to a broken page.
    expect(optionTarget('hit:nowhere:1', 'Ля')).toBe(screeningPath('Ля'));
  });

  it('shows sections that found something, people first, in a fixed order', () => {
    const hit = { id: '1', title: 't', subtitle: null, date: null, tag: null, score: null };
    const section = (key: string, value: number, items = value > 0 ? 1 : 0) => ({
      key,
      total: { value, relation: 'eq' as const },
      items: Array.from({ length: items }, () => ({
        ...hit,
        matchedName: null,
        matchedWords: [],
        matchedIn: null,
      })),
    });
    const response = {
      sections: [
        section('proposals', 2),
        section('evidence', 0),
        section('cases', 1),
        section('people', 12),
        section('bot', 3),
        section('incidents', 4),
      ],
      failed: [],
    };
    expect(shownSections(response).map((s) => s.key)).toEqual(['people', 'incidents', 'cases', 'proposals']);
    expect(shownSections(undefined)).toEqual([]);
    expect(shownSections({ sections: [section('evidence', 0)], failed: ['screening'] })).toEqual([]);
    expect(SECTION_KEYS).toEqual(['people', 'evidence', 'incidents', 'cases', 'proposals']);
  });

  it('writes counts as numbers, with "+" when the area stopped counting', () => {
    expect(countLabel({ value: 12, relation: 'eq' })).toBe('12');
    expect(countLabel({ value: 500, relation: 'gte' })).toBe('500+');
    expect(countLabel({ value: 1200, relation: 'eq' }, (n) => n.toLocaleString('be'))).toBe(
      (1200).toLocaleString('be'),
    );
  });

  it('shows scores as whole percentages within 0–100', () => {
    expect(percent(0.874)).toBe('87%');
    expect(percent(1)).toBe('100%');
    expect(percent(1.2)).toBe('100%');
    expect(percent(-0.1)).toBe('0%');
  });
});
