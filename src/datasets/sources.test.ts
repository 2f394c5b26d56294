import { createWriteStream, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  encodeSingleByte,
  personnelCsv,
  writePersonnelXlsx,
  writeText,
} from '../../test/support/datasets-fixtures.js';
import { isAppError } from '../platform/errors.js';
import { openCsv } from './sources/csv.js';
import { detectDelimiter, detectEncoding } from './sources/encoding.js';
import type { OpenedSource, SourceRow } from './sources/source.js';
import { openXlsx } from './sources/xlsx.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sviedka-sources-'));

async function all(source: OpenedSource): Promise<SourceRow[]> {
  const rows: SourceRow[] = [];
  for await (const row of source.rows()) rows.push(row);
  await source.close();
  return rows;
}

describe('encoding and delimiter detection', () => {
  const belarusian = 'Прозвішча;Імя\nШчэрбач;Алесь\nЎласаў;Іван\nМіхалевіч;Аляксандра\n';
  const russian =
    'Фамилия;Имя;Отчество\nКовалёв;Андрей;Петрович\nСидорова;Анна;Ивановна\nЖуков;Сергей;Юрьевич\n';
  // KOI8-R and CP866 have no Belarusian і: files in them are Russian-language.
  it.each([
    ['windows-1251', belarusian],
    ['windows-1251', russian],
    ['koi8-r', russian],
    ['ibm866', russian],
  ] as const)('recognizes %s', (encoding, text) => {
    expect(detectEncoding(encodeSingleByte(text, encoding), true)).toBe(encoding);
  });
  it('takes UTF-8 with or without a byte-order mark, even when the sample cuts a character', () => {
    const bytes = Buffer.from(belarusian, 'utf8');
    expect(detectEncoding(bytes, true)).toBe('utf-8');
    expect(detectEncoding(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]), true)).toBe('utf-8');
    expect(detectEncoding(bytes.subarray(0, 16), false)).toBe('utf-8');
  });
  it('finds the delimiter outside quotes', () => {
    expect(detectDelimiter('a;b;"c,d,e"\n1;2;3', 'x.csv')).toBe(';');
    expect(detectDelimiter('a,b,c', 'x.csv')).toBe(',');
    expect(detectDelimiter('a\tb\tc', 'x.txt')).toBe('\t');
    expect(detectDelimiter('a,b', 'x.tsv')).toBe('\t');
  });
});

describe('CSV sources', () => {
  it('reads a Windows-1251 roster with multi-line cells, line numbers and the file hash', async () => {
    const file = writeText(
      path.join(dir, 'cp1251.csv'),
      encodeSingleByte(personnelCsv(['5;Ragged;row']), 'windows-1251'),
    );
    const source = await openCsv(file);
    expect(source.encoding).toBe('windows-1251');
    expect(source.columns[1]).toBe('last_name');
    const rows = await all(source);
    expect(rows.map((r) => r.line)).toEqual([2, 3, 5, 6, 7]);
    expect(rows[1]!.values.last_name).toBe('Шчэрбач');
    expect(rows[1]!.values.note).toBe('перавод\nз Гродна');
    expect(rows[4]!.problem).toMatchObject({
      code: 'SVD_DATASETS_RAGGED_ROW',
      reason: '3 fields where the header has 11',
    });
    expect(source.sha256()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('stops at the line of a byte the declared encoding does not have', async () => {
    const good = Buffer.from(personnelCsv(), 'utf8');
    const file = writeText(
      path.join(dir, 'mixed.csv'),
      Buffer.concat([good, encodeSingleByte('9;Ўласаў;Іван\n', 'windows-1251')]),
    );
    const error = await openCsv(file, { encoding: 'utf-8' })
      .then(all)
      .catch((e: unknown) => e);
    expect(isAppError(error, 'SVD_DATASETS_ENCODING')).toBe(true);
    expect((error as Error).message).toMatch(/^mixed\.csv: line 7 is not valid utf-8/);
  });

  it('refuses a record over 1 MB (an open quote in a 200 MB file) without reading it all', async () => {
    const file = path.join(dir, 'huge.csv');
    const out = createWriteStream(file);
    out.write('id,name\n1,"never closed\n');
    const chunk = `${'x'.repeat(1023)}\n`.repeat(1024);
    for (let i = 0; i < 200; i++)
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    await new Promise<void>((resolve) => out.end(() => resolve()));
    const source = await openCsv(file);
    const started = process.memoryUsage().rss;
    const error = await all(source).catch((e: unknown) => e);
    expect(isAppError(error, 'SVD_DATASETS_SOURCE')).toBe(true);
    expect((error as Error).message).toMatch(/longer than 1 MB; is a quote left open\?/);
    expect(source.bytesRead()).toBeLessThan(50 * 1024 * 1024);
    expect(process.memoryUsage().rss - started).toBeLessThan(150 * 1024 * 1024);
  });
});

describe('XLSX sources', () => {
  it('reads a sheet by name or position, with spreadsheet dates as ISO dates', async () => {
    const file = path.join(dir, 'personnel.xlsx');
    await writePersonnelXlsx(file);
    const byName = await openXlsx(file, { sheet: 'personnel' });
    expect(byName.name).toBe('personnel.xlsx, sheet Personnel');
    const rows = await all(byName);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({ line: 2, ref: 'row 2 of Personnel' });
    expect(rows[0]!.values).toMatchObject({ person_id: '1', last_name: 'Ковалёв', born: '1980-02-03' });
    expect(byName.sha256()).toMatch(/^[0-9a-f]{64}$/);
    const first = await openXlsx(file, {});
    expect(first.columns).toEqual(['unit_code', 'unit_name', 'city']);
    await first.close();
    const missing = await openXlsx(file, { sheet: 3 }).catch((e: unknown) => e);
    expect((missing as Error).message).toMatch(/no sheet number 3 \(sheets: Units, Personnel\)/);
  });
});
