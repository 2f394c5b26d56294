/**
 * Synthetic fixtures of seized-data shape for the datasets tests: a personnel roster (invented
 * Belarusian and Russian names) as CSV in the region's encodings, as an XLSX workbook with two sheets,
 * and as personnel + units tables in a scratch PostgreSQL or MariaDB database.
 */
import { writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';

/** Encodes text in a single-byte encoding (Node has decoders for them but no encoders). */
export function encodeSingleByte(text: string, encoding: 'windows-1251' | 'koi8-r' | 'ibm866'): Buffer {
  const decoder = new TextDecoder(encoding);
  const table = new Map<string, number>();
  for (let byte = 255; byte >= 0; byte--) table.set(decoder.decode(Uint8Array.of(byte)), byte);
  const out: number[] = [];
  for (const ch of text) {
    const byte = table.get(ch);
    if (byte === undefined) throw new Error(`${JSON.stringify(ch)} is not in ${encoding}`);
    out.push(byte);
  }
  return Buffer.from(out);
}

export const units = [
  { code: 'U1', name: 'ОМОН ГУВД Мінгарвыканкама', city: 'Мінск' },
  { code: 'U2', name: 'Ленинское РУВД', city: 'Брест' },
];

/** Invented persons: Belarusian and Russian spellings, a multi-line note, dates as registers write them. */
export const personnel = [
  {
    id: 1,
    last: 'Ковалёв',
    first: 'Андрей',
    father: 'Петрович',
    born: '03.02.1980',
    sex: 'м',
    unit: 'U1',
    rank: 'лейтенант',
    since: '2015-05-01',
    note: '',
  },
  {
    id: 2,
    last: 'Шчэрбач',
    first: 'Алесь',
    father: 'Міхайлавіч',
    born: '31.12.1975',
    sex: 'муж',
    unit: 'U1',
    rank: 'капітан',
    since: '2010',
    note: 'перавод\nз Гродна',
  },
  {
    id: 3,
    last: 'Сидорова',
    first: 'Анна',
    father: 'Ивановна',
    born: '14.07.1990',
    sex: 'ж',
    unit: 'U2',
    rank: 'сержант',
    since: '2019-03',
    note: '',
  },
  {
    id: 4,
    last: 'Ўласаў',
    first: 'Іван',
    father: 'Сяргеевіч',
    born: '01.01.1985',
    sex: 'м',
    unit: 'U2',
    rank: 'сержант',
    since: '2020',
    note: '',
  },
];

const header = 'person_id;last_name;first_name;patronymic;born;sex;unit_code;unit_name;rank;since;note';

/** The roster as CSV text (`;`-separated, quoted multi-line notes), with optional extra lines. */
export function personnelCsv(extra: string[] = []): string {
  const quote = (value: string) => (/[;"\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  const lines = personnel.map((p) => {
    const unit = units.find((u) => u.code === p.unit)!;
    return [p.id, p.last, p.first, p.father, p.born, p.sex, p.unit, unit.name, p.rank, p.since, p.note]
      .map((v) => quote(String(v)))
      .join(';');
  });
  return `${[header, ...lines, ...extra].join('\r\n')}\r\n`;
}

/** The mapping used across the tests: units, persons, positions and occupancies from one row. */
export function personnelMapping(source: string, extra = ''): string {
  return `personnel:
  queries:
    - ${source}
${extra}      entities:
        unit:
          schema: PublicBody
          keys: [unit_code]
          properties:
            name:
              column: unit_name
            country:
              literal: BY
        person:
          schema: Person
          key_literal: person
          keys: [person_id]
          properties:
            name:
              columns: [last_name, first_name, patronymic]
              join: " "
            lastName:
              column: last_name
            firstName:
              column: first_name
            fatherName:
              column: patronymic
            birthDate:
              column: born
              format: "%d.%m.%Y"
            gender:
              column: sex
        position:
          schema: Position
          keys: [unit_code, rank]
          properties:
            name:
              template: "{{rank}}, {{unit_name}}"
            organization:
              entity: unit
        occupancy:
          schema: Occupancy
          keys: [person_id, unit_code, rank]
          properties:
            holder:
              entity: person
              required: true
            post:
              entity: position
            startDate:
              column: since
            description:
              column: note
`;
}

/** An XLSX workbook: sheet 1 "Units", sheet 2 "Personnel" (dates as real spreadsheet dates). */
export async function writePersonnelXlsx(file: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const unitSheet = workbook.addWorksheet('Units');
  unitSheet.addRow(['unit_code', 'unit_name', 'city']);
  for (const unit of units) unitSheet.addRow([unit.code, unit.name, unit.city]);
  const sheet = workbook.addWorksheet('Personnel');
  sheet.addRow(header.split(';'));
  for (const p of personnel) {
    const unit = units.find((u) => u.code === p.unit)!;
    const [day, month, year] = p.born.split('.').map(Number) as [number, number, number];
    sheet.addRow([
      p.id,
      p.last,
      p.first,
      p.father,
      new Date(Date.UTC(year, month - 1, day)),
      p.sex,
      p.unit,
      unit.name,
      p.rank,
      p.since,
      p.note,
    ]);
  }
  await workbook.xlsx.writeFile(file);
}

/** SQL that creates and fills `units` and `personnel` (same for PostgreSQL and MariaDB). */
export function personnelSql(): string[] {
  const text = (value: string) => `'${value.replaceAll("'", "''")}'`;
  return [
    'create table units (code varchar(10) primary key, name varchar(200) not null, city varchar(100))',
    'create table personnel (id integer primary key, last_name varchar(100), first_name varchar(100), patronymic varchar(100), born date, sex varchar(10), unit_code varchar(10), rank_title varchar(100), since varchar(20), note text)',
    `insert into units values ${units.map((u) => `(${text(u.code)}, ${text(u.name)}, ${text(u.city)})`).join(', ')}`,
    `insert into personnel values ${personnel
      .map((p) => {
        const [day, month, year] = p.born.split('.');
        return `(${p.id}, ${text(p.last)}, ${text(p.first)}, ${text(p.father)}, '${year}-${month}-${day}', ${text(p.sex)}, ${text(p.unit)}, ${text(p.rank)}, ${text(p.since)}, ${text(p.note)})`;
      })
      .join(', ')}`,
  ];
}

/** A mapping over the SQL tables, joined personnel → units. */
export function personnelSqlMapping(database: string): string {
  return `queries:
  - database: ${database}
    tables:
      - table: personnel
        alias: p
      - table: units
        alias: u
    joins:
      - left: p.unit_code
        right: u.code
    entities:
      unit:
        schema: PublicBody
        keys: [u.code]
        properties:
          name:
            column: u.name
          address:
            column: u.city
      person:
        schema: Person
        key_literal: person
        keys: [p.id]
        properties:
          name:
            columns: [p.last_name, p.first_name, p.patronymic]
            join: " "
          birthDate:
            column: p.born
          gender:
            column: p.sex
      position:
        schema: Position
        keys: [u.code, p.rank_title]
        properties:
          name:
            template: "{{p.rank_title}}, {{u.name}}"
          organization:
            entity: unit
      occupancy:
        schema: Occupancy
        keys: [p.id, u.code, p.rank_title]
        properties:
          holder:
            entity: person
          post:
            entity: position
          startDate:
            column: p.since
`;
}

export function writeText(file: string, text: string | Buffer): string {
  writeFileSync(file, text);
  return file;
}
