import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { personnelMapping } from '../../test/support/datasets-fixtures.js';
import { QueryMapper } from './mapper.js';
import { parseMapping, redactMapping } from './mapping.js';
import { parseDateWithFormat } from './values.js';

function problems(text: string) {
  const result = parseMapping(text, {});
  if ('mapping' in result) throw new Error('expected problems');
  return result.problems;
}

const entityBlock = `    entities:
      person:
        schema: Person
        keys: [id]
        properties:
          name:
            column: name
`;

describe('mapping files', () => {
  it('reads the ftm map shape, a queries list and a single query alike', () => {
    const ftm = parseMapping(personnelMapping('csv_url: personnel.csv'), {});
    expect('mapping' in ftm && ftm.mapping.name).toBe('personnel');
    if (!('mapping' in ftm)) return;
    const query = ftm.mapping.queries[0]!;
    expect(query.source).toEqual({
      kind: 'csv',
      files: ['personnel.csv'],
      encoding: undefined,
      delimiter: undefined,
    });
    // Dependency order: the occupancy after the person and the position, the position after the unit.
    const order = query.entities.map((e) => e.name);
    expect(order.indexOf('occupancy')).toBeGreaterThan(order.indexOf('position'));
    expect(order.indexOf('position')).toBeGreaterThan(order.indexOf('unit'));
    expect([...query.columns.keys()]).toContain('unit_name');

    const list = parseMapping(`queries:\n  - csv_url: a.csv\n${entityBlock}`, {});
    expect('mapping' in list).toBe(true);
    const single = parseMapping(
      `csv_url: a.csv\nentities:\n  person:\n    schema: Person\n    key: id\n`,
      {},
    );
    expect('mapping' in single).toBe(true);
  });

  it('names the line of unknown keys, unknown properties and schemata instead of ignoring them', () => {
    const text = `queries:
  - csv_url: a.csv
    filter:
      x: 1
    entities:
      person:
        schema: Person
        keys: [id]
        propertis:
          name:
            column: name
      thing:
        schema: Company
        keys: [id]
      other:
        schema: Person
        keys: [id]
        properties:
          nmae:
            column: name
          birthDate:
            column: born
            fromat: "%d.%m.%Y"
`;
    expect(problems(text)).toEqual([
      { line: 3, message: expect.stringContaining('unknown key "filter"') },
      { line: 9, message: expect.stringContaining('unknown key "propertis"') },
      { line: 13, message: expect.stringContaining('schema "Company" is not one the registry accepts') },
      { line: 19, message: 'Person has no property "nmae"' },
      { line: 23, message: expect.stringContaining('unknown key "fromat"') },
    ]);
  });

  it('reports circular and dangling entity references and wrong reference ranges', () => {
    const circular = `queries:
  - csv_url: a.csv
    entities:
      position:
        schema: Position
        keys: [p]
        properties:
          organization:
            entity: body
      body:
        schema: Organization
        keys: [b]
        properties:
          parent:
            entity: body2
      body2:
        schema: Organization
        keys: [c]
        properties:
          parent:
            entity: body
`;
    const found = problems(circular);
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toMatch(
      /circular entity references: body → body2 → body|circular entity references: body2 → body → body2/,
    );
    const dangling = problems(`queries:
  - csv_url: a.csv
    entities:
      occupancy:
        schema: Occupancy
        keys: [id]
        properties:
          holder:
            entity: persn
          post:
            entity: occupancy
`);
    expect(dangling[0]).toEqual({ line: 8, message: expect.stringContaining('no entity named "persn"') });
    expect(dangling[1]).toEqual({
      line: 10,
      message: expect.stringContaining('must point at Position, not Occupancy'),
    });
  });

  it('reports YAML syntax errors and sources with their lines', () => {
    expect(problems('queries:\n  - csv_url: [a.csv\n')[0]!.message).toMatch(/^YAML:/);
    expect(
      problems(`queries:\n  - csv_url: a.csv\n    database: postgresql://x/y\n${entityBlock}`)[0],
    ).toMatchObject({
      line: 2,
      message: expect.stringContaining('exactly one source'),
    });
    expect(problems(`queries:\n  - csv_url: a.csv\n    encoding: latin9\n${entityBlock}`)[0]).toMatchObject({
      line: 3,
    });
    expect(
      problems(`queries:\n  - csv_url: a.csv\n    entities:\n      p:\n        schema: Person\n`)[0],
    ).toMatchObject({
      line: 4,
      message: expect.stringContaining('needs "keys"'),
    });
  });

  it('removes database passwords from stored mapping text', () => {
    expect(redactMapping('database: postgresql://analyst:s3cr%40t@db.local/leak\n')).toBe(
      'database: postgresql://analyst@db.local/leak\n',
    );
    expect(redactMapping('database: mysql://root@127.0.0.1/x')).toBe('database: mysql://root@127.0.0.1/x');
  });
});

describe('mapping rows', () => {
  const parsed = parseMapping(personnelMapping('csv_url: personnel.csv'), {});
  if (!('mapping' in parsed)) throw new Error('fixture mapping is invalid');
  const mapper = new QueryMapper(parsed.mapping.queries[0]!, 'personnel');
  const row = {
    person_id: '1',
    last_name: 'Ковалёв',
    first_name: 'Андрей',
    patronymic: 'Петрович',
    born: '03.02.1980',
    sex: 'м',
    unit_code: 'U1',
    unit_name: 'ОМОН',
    rank: 'лейтенант',
    since: '2015-05-01',
    note: undefined,
  };

  it("makes FtM's ids: SHA-1 over dataset, key literal and sorted keys, signed with the dataset", () => {
    const result = mapper.map({ line: 2, ref: 'line 2', values: row });
    if ('problem' in result) throw new Error(result.problem.reason);
    const sign = (id: string) => `${id}.${createHmac('sha1', 'personnel').update(id).digest('hex')}`;
    const sha1 = (...parts: string[]) => {
      const hash = createHash('sha1');
      for (const part of parts) hash.update(part);
      return hash.digest('hex');
    };
    const byName = Object.fromEntries(result.entities.map((e) => [e.schema, e]));
    expect(byName.PublicBody!.id).toBe(sign(sha1('personnel', 'U1')));
    expect(byName.Person!.id).toBe(sign(sha1('personnel', 'person', '1')));
    // Keys are sorted by their UTF-8 bytes: "U1" before "лейтенант".
    expect(byName.Position!.id).toBe(sign(sha1('personnel', 'U1', 'лейтенант')));
    expect(byName.Person!.properties).toEqual({
      name: ['Ковалёв Андрей Петрович'],
      lastName: ['Ковалёв'],
      firstName: ['Андрей'],
      fatherName: ['Петрович'],
      birthDate: ['1980-02-03'],
      gender: ['male'],
    });
    expect(byName.Position!.properties).toEqual({
      name: ['лейтенант, ОМОН'],
      organization: [byName.PublicBody!.id],
    });
    expect(byName.Occupancy!.properties.holder).toEqual([byName.Person!.id]);
    // Same row, same ids: a re-import updates instead of duplicating.
    const again = mapper.map({ line: 9, ref: 'line 9', values: { ...row } });
    expect('entities' in again && again.entities.map((e) => e.id)).toEqual(result.entities.map((e) => e.id));
  });

  it('rejects the row with the column and reason when a value cannot be read', () => {
    const bad = mapper.map({ line: 5, ref: 'line 5', values: { ...row, born: '31.02.1980' } });
    expect(bad).toEqual({
      problem: {
        code: 'SVD_DATASETS_BAD_VALUE',
        reason: 'person.birthDate: "31.02.1980" does not match the date format "%d.%m.%Y"',
        column: 'born',
        entity: 'person',
        property: 'birthDate',
      },
    });
    // No person id: no person, and the occupancy that requires a holder is not made either.
    const noPerson = mapper.map({ line: 6, ref: 'line 6', values: { ...row, person_id: undefined } });
    expect('entities' in noPerson && noPerson.entities.map((e) => e.schema)).toEqual([
      'PublicBody',
      'Position',
    ]);
  });

  it('reads dates in strptime formats, Belarusian and Russian month names included', () => {
    expect(parseDateWithFormat('03.02.1980', '%d.%m.%Y')).toBe('1980-02-03');
    expect(parseDateWithFormat('3 лютага 1980', '%d %B %Y')).toBe('1980-02-03');
    expect(parseDateWithFormat('03/02/80 14:05', '%d/%m/%y %H:%M')).toBe('1980-02-03T14:05:00');
    expect(parseDateWithFormat('1980', '%Y')).toBe('1980');
    expect(parseDateWithFormat('29.02.1981', '%d.%m.%Y')).toBeUndefined();
  });
});
