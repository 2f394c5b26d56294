import { describe, expect, it } from 'vitest';
import { FTM_SCHEMATA } from './ftm-schema.js';
import { groupNames } from './service.js';
import {
  captionOf,
  isValidId,
  normalizeValue,
  parsePartialDate,
  referencesOf,
  validateEntity,
} from './validate.js';

describe('parsePartialDate', () => {
  it('accepts year, year-month and full dates with their precision', () => {
    expect(parsePartialDate('1975')).toEqual({ year: 1975, precision: 'year' });
    expect(parsePartialDate('1975-04')).toEqual({ year: 1975, month: 4, precision: 'month' });
    expect(parsePartialDate('1975-04-30')).toEqual({ year: 1975, month: 4, day: 30, precision: 'day' });
    expect(parsePartialDate('2020-02-29')?.precision).toBe('day');
    expect(parsePartialDate('2000-02-29')?.precision).toBe('day');
    expect(parsePartialDate('2021-06-21T10:15:00Z')?.precision).toBe('time');
    expect(parsePartialDate('2021-06-21T10:15')?.precision).toBe('time');
  });

  it('rejects days that do not exist and foreign formats', () => {
    for (const bad of [
      '1975-13-45',
      '1980-02-31',
      '31.02.1980',
      '1975-00',
      '1975-04-31',
      '1900-02-29',
      '2021-02-29',
      '1975-4-1',
      '75',
      '0999',
      '',
      ' 1975',
      '1975-04-01T25:00',
      '1975/04/01',
    ]) {
      expect(parsePartialDate(bad), bad).toBeNull();
    }
  });
});

describe('entity ids', () => {
  it('accepts FtM-style ids and UUIDs, rejects others', () => {
    expect(isValidId('NK-abc.def_1:2')).toBe(true);
    expect(isValidId('3f2a6b1e-4b7c-4d2e-9f00-123456789abc')).toBe(true);
    expect(isValidId('x'.repeat(200))).toBe(true);
    expect(isValidId('x'.repeat(201))).toBe(false);
    expect(isValidId('')).toBe(false);
    expect(isValidId('has space')).toBe(false);
    expect(isValidId('slash/no')).toBe(false);
    expect(isValidId('кірыліца')).toBe(false);
    expect(isValidId(42)).toBe(false);
  });
});

describe('validateEntity', () => {
  it('normalizes a valid person: trims, folds countries and genders, drops empties and duplicates', () => {
    const result = validateEntity({
      id: 'p1',
      schema: 'Person',
      properties: {
        name: ['  Навумаў Сяргей ', 'Навумаў Сяргей', ''],
        nationality: ['BY'],
        gender: ['Male'],
        birthDate: ['1971-04'],
      },
      caption: 'ignored top-level key',
    });
    expect(result).toEqual({
      entity: {
        id: 'p1',
        schema: 'Person',
        properties: {
          name: ['Навумаў Сяргей'],
          nationality: ['by'],
          gender: ['male'],
          birthDate: ['1971-04'],
        },
      },
    });
  });

  it('gives a coded problem for each kind of bad input', () => {
    const code = (input: unknown) => {
      const result = validateEntity(input);
      return 'problem' in result ? result.problem.code : 'ok';
    };
    expect(code([1, 2])).toBe('SVD_REGISTRY_BAD_ENTITY');
    expect(code(null)).toBe('SVD_REGISTRY_BAD_ENTITY');
    expect(code({ schema: 'Person' })).toBe('SVD_REGISTRY_MISSING_ID');
    expect(code({ id: 'a b', schema: 'Person' })).toBe('SVD_REGISTRY_BAD_ID');
    expect(code({ id: 7, schema: 'Person' })).toBe('SVD_REGISTRY_BAD_ID');
    expect(code({ id: 'a', schema: 'Vessel' })).toBe('SVD_REGISTRY_UNKNOWN_SCHEMA');
    expect(code({ id: 'a', schema: 'Person', properties: { shoeSize: ['42'] } })).toBe(
      'SVD_REGISTRY_UNKNOWN_PROPERTY',
    );
    expect(code({ id: 'a', schema: 'Person', properties: { constructor: ['x'] } })).toBe(
      'SVD_REGISTRY_UNKNOWN_PROPERTY',
    );
    expect(code({ id: 'a', schema: 'Person', properties: { birthDate: ['1975-13-45'] } })).toBe(
      'SVD_REGISTRY_BAD_DATE',
    );
    expect(code({ id: 'a', schema: 'Person', properties: { birthDate: ['31.02.1980'] } })).toBe(
      'SVD_REGISTRY_BAD_DATE',
    );
    expect(code({ id: 'a', schema: 'Person', properties: { gender: ['m'] } })).toBe('SVD_REGISTRY_BAD_VALUE');
    expect(code({ id: 'a', schema: 'Person', properties: { nationality: ['Belarus'] } })).toBe(
      'SVD_REGISTRY_BAD_VALUE',
    );
    expect(code({ id: 'a', schema: 'Person', properties: { name: [5] } })).toBe('SVD_REGISTRY_BAD_VALUE');
    expect(code({ id: 'a', schema: 'Person', properties: { name: ['x'.repeat(10_000)] } })).toBe(
      'SVD_REGISTRY_BAD_VALUE',
    );
    expect(code({ id: 'a', schema: 'Person', properties: { name: ['bad\u0007bell'] } })).toBe(
      'SVD_REGISTRY_BAD_VALUE',
    );
    expect(code({ id: 'a', schema: 'Person', properties: { name: ['lone \ud800 surrogate'] } })).toBe(
      'SVD_REGISTRY_BAD_VALUE',
    );
    expect(code({ id: 'a', schema: 'Occupancy', properties: { holder: ['not an id'] } })).toBe(
      'SVD_REGISTRY_BAD_VALUE',
    );
    expect(code({ id: 'a', schema: 'Person', properties: 'x' })).toBe('SVD_REGISTRY_BAD_ENTITY');
    // Text may hold newlines and astral characters; names may not hold newlines.
    expect(code({ id: 'a', schema: 'Person', properties: { notes: ['line one\nline two 🙂'] } })).toBe('ok');
    expect(code({ id: 'a', schema: 'Person', properties: { name: ['two\nlines'] } })).toBe(
      'SVD_REGISTRY_BAD_VALUE',
    );
  });

  it('accepts a single string where FtM expects a list', () => {
    const result = validateEntity({ id: 'a', schema: 'Person', properties: { name: 'Іван Рудзь' } });
    expect(result).toEqual({ entity: { id: 'a', schema: 'Person', properties: { name: ['Іван Рудзь'] } } });
  });

  it('normalizes to NFC', () => {
    const decomposed = 'Рудзь Ёсіф'.normalize('NFD');
    const result = validateEntity({ id: 'a', schema: 'Person', properties: { name: [decomposed] } });
    expect('entity' in result && result.entity.properties.name![0]).toBe('Рудзь Ёсіф'.normalize('NFC'));
  });
});

describe('schema table', () => {
  it('covers the registry schemata with typed references', () => {
    for (const name of [
      'Person',
      'Organization',
      'PublicBody',
      'Position',
      'Occupancy',
      'Membership',
      'Sanction',
      'Identification',
      'Address',
    ]) {
      expect(FTM_SCHEMATA.has(name), name).toBe(true);
    }
    expect(FTM_SCHEMATA.get('Occupancy')!.properties.holder!.type).toBe('entity');
    expect(FTM_SCHEMATA.get('Occupancy')!.properties.post!.type).toBe('entity');
    expect(FTM_SCHEMATA.get('Position')!.properties.organization!.type).toBe('entity');
    expect(FTM_SCHEMATA.get('Sanction')!.properties.entity!.type).toBe('entity');
    expect(FTM_SCHEMATA.get('Membership')!.properties.member!.type).toBe('entity');
    expect(FTM_SCHEMATA.get('Identification')!.properties.holder!.type).toBe('entity');
    expect(FTM_SCHEMATA.get('Person')!.properties.addressEntity!.type).toBe('entity');
    expect(FTM_SCHEMATA.get('Person')!.properties.birthDate!.type).toBe('date');
  });

  it('derives captions and references', () => {
    expect(captionOf('Person', { alias: ['B'], name: ['A'] })).toBe('A');
    expect(captionOf('Person', { alias: ['B'] })).toBe('B');
    expect(captionOf('Occupancy', {})).toBe('Occupancy');
    expect(captionOf('Sanction', { program: ['DEMO'] })).toBe('DEMO');
    expect(
      referencesOf({
        id: 'o',
        schema: 'Occupancy',
        properties: { holder: ['p'], post: ['x'], startDate: ['2010'] },
      }),
    ).toEqual([
      { property: 'holder', target: 'p' },
      { property: 'post', target: 'x' },
    ]);
  });
});

describe('normalizeValue', () => {
  it('keeps dates as written and reports which property failed', () => {
    expect(normalizeValue('date', ' 1980-02 ', 'birthDate')).toEqual({ value: '1980-02' });
    const bad = normalizeValue('date', '1980-02-31', 'birthDate');
    expect('problem' in bad && bad.problem).toMatchObject({
      code: 'SVD_REGISTRY_BAD_DATE',
      property: 'birthDate',
    });
  });
});

describe('groupNames', () => {
  it('groups names by script and Belarusian or Russian orthography', () => {
    const groups = groupNames('Person', {
      name: ['Навумаў Сяргей Іванавіч', 'Наумов Сергей Иванович'],
      alias: ['Siarhei NAVUMAU', 'Iгар Iванавiч БУЗОЎСКI'],
    });
    const byKey = Object.fromEntries(
      groups.map((g) => [`${g.script}:${g.language}`, g.names.map((n) => n.value)]),
    );
    expect(byKey['cyrillic:be']).toEqual(['Навумаў Сяргей Іванавіч', 'Iгар Iванавiч БУЗОЎСКI']);
    expect(byKey['cyrillic:ru']).toEqual(['Наумов Сергей Иванович']);
    expect(byKey['latin:null']).toEqual(['Siarhei NAVUMAU']);
    expect(groups[0]!.language).toBe('be');
  });
});
