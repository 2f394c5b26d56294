import { describe, expect, it } from 'vitest';
import { isAppError } from '../platform/errors.js';
import {
  type BulkRecord,
  csvWriter,
  jsonlWriter,
  MAX_LINE_BYTES,
  parseCsvRecord,
  readCsv,
  readJsonl,
  readLines,
} from './bulk.js';

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

function chunks(...parts: Array<string | Buffer>): AsyncIterable<Buffer> {
  return (async function* () {
    for (const part of parts) yield typeof part === 'string' ? Buffer.from(part) : part;
  })();
}

describe('readLines', () => {
  it('splits across chunks, handles CRLF, a BOM and a last line without newline', async () => {
    const lines = await collect(readLines(chunks('\ufeffone\r\ntw', 'o\nthr', 'ee')));
    expect(lines.map((l) => l.text)).toEqual(['one', 'two', 'three']);
    expect(lines.map((l) => l.number)).toEqual([1, 2, 3]);
  });

  it('reports invalid UTF-8 per line and goes on', async () => {
    const lines = await collect(readLines(chunks(Buffer.from([0x61, 0xff, 0xfe, 0x0a]), 'ok\n')));
    expect(lines[0]!.error?.code).toBe('SVD_SCREENING_BAD_UTF8');
    expect(lines[1]!.text).toBe('ok');
  });

  it('skips an over-long line without buffering it', async () => {
    const big = 'x'.repeat(MAX_LINE_BYTES / 4);
    const lines = await collect(readLines(chunks(big, big, big, big, big, '\nnext\n')));
    expect(lines[0]!.error?.code).toBe('SVD_SCREENING_LINE_TOO_LONG');
    expect(lines[1]!.text).toBe('next');
  });
});

describe('streaming', () => {
  it('reads a large input in constant memory (the file is never held whole)', async () => {
    const line = `${JSON.stringify({ id: 'x', properties: { name: ['Лукашэнка Аляксандр Рыгоравіч'.repeat(3)] } })}\n`;
    const chunk = Buffer.from(line.repeat(1000));
    const rounds = 400; // ~130 MB through the reader
    async function* source() {
      for (let i = 0; i < rounds; i++) yield chunk;
    }
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    let count = 0;
    let peak = 0;
    for await (const record of readJsonl(source())) {
      if (record.error) throw new Error(record.error.code);
      if (++count % 50_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - before);
    }
    expect(count).toBe(rounds * 1000);
    expect(peak).toBeLessThan(100 * 1024 * 1024);
  }, 60_000);
});

describe('readJsonl', () => {
  it('reads queries with ids and reports bad lines', async () => {
    const records = await collect(
      readJsonl(
        chunks(
          '{"id":"a","properties":{"name":["Ivan Petrov"]}}\n\nnot json\n[1,2]\n{"id":7,"schema":"Person","properties":{}}\n',
        ),
      ),
    );
    expect(records.map((r) => [r.id, r.line, r.error?.code ?? null])).toEqual([
      ['a', 1, null],
      ['line-3', 3, 'SVD_SCREENING_BAD_JSON'],
      ['line-4', 4, 'SVD_SCREENING_BAD_QUERY'],
      ['7', 5, null],
    ]);
  });
});

describe('CSV', () => {
  it('parses quoted fields', () => {
    expect(parseCsvRecord('a,"b, c","d ""e"""')).toEqual(['a', 'b, c', 'd "e"']);
    expect(parseCsvRecord('a,,')).toEqual(['a', '', '']);
    expect(parseCsvRecord('a,"open')).toBeNull();
  });

  it('reads rows, keeps extra columns, splits multiple values and joins multi-line fields', async () => {
    const records = await collect(
      readCsv(
        chunks(
          'ID,Name,birth_date,gender,nationality,ref\n',
          '1,"LUKASHENKA, Aliaksandr",1954;1955,male,by,R1\n',
          '2,"Navumau\nUladzimir",,,,R2\n',
          '3,only,too,many,fields,x,y\n',
        ),
      ),
    );
    expect(records[0]).toMatchObject({
      id: '1',
      extra: { ref: 'R1' },
      query: {
        schema: 'Person',
        properties: {
          name: ['LUKASHENKA, Aliaksandr'],
          birthDate: ['1954', '1955'],
          gender: ['male'],
          nationality: ['by'],
        },
      },
    });
    expect(records[1]).toMatchObject({
      id: '2',
      line: 3,
      query: { properties: { name: ['Navumau\nUladzimir'] } },
    });
    expect(records[2]!.error?.code).toBe('SVD_SCREENING_CSV_ROW');
  });

  it('fails the file with one clear error when required columns are missing', async () => {
    const error = await collect(readCsv(chunks('id,fullname\n1,x\n'))).catch((e) => e);
    expect(isAppError(error, 'SVD_SCREENING_CSV_COLUMNS')).toBe(true);
    expect(error.message).toContain('name');
    const empty = await collect(readCsv(chunks(''))).catch((e) => e);
    expect(isAppError(empty, 'SVD_SCREENING_CSV_COLUMNS')).toBe(true);
  });
});

describe('writers', () => {
  const record: BulkRecord = { line: 2, id: 'q1', query: {}, error: null, extra: { ref: 'R,1' } };
  const result = {
    id: 'e1',
    schema: 'Person',
    caption: 'Лукашэнка Аляксандр',
    score: 0.93,
    match: true,
    datasets: ['demo'],
    properties: {},
    explanations: [
      {
        queryName: 'Lukashenka Aliaksandr',
        matchedName: 'Лукашэнка Аляксандр',
        nameScore: 0.93,
        tokens: [
          {
            query: 'Lukashenka',
            matched: 'Лукашэнка',
            part: 'surname' as const,
            rule: 'scheme:icao-be',
            score: 0.97,
          },
        ],
        features: { name: 0.93 },
        notes: [],
      },
    ],
  };

  it('JSONL: one line per query with the error when any', () => {
    const writer = jsonlWriter();
    expect(JSON.parse(writer.write(record, [result]))).toMatchObject({ id: 'q1', results: [{ id: 'e1' }] });
    const failed = JSON.parse(
      writer.write({ ...record, error: { code: 'SVD_SCREENING_NAME_EMPTY', message: 'm' } }, []),
    );
    expect(failed).toMatchObject({
      id: 'q1',
      results: [],
      error: { code: 'SVD_SCREENING_NAME_EMPTY', line: 2 },
    });
  });

  it('CSV: a header, one row per result, one row for a query without results, formulas neutralised', () => {
    const writer = csvWriter();
    const text =
      writer.write(record, [result]) + writer.write({ ...record, id: '=cmd()', extra: { ref: '' } }, []);
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe(
      'query_id,ref,rank,result_id,caption,score,match,datasets,matched_name,rules,error_code,error_message',
    );
    expect(lines[1]).toContain('q1,"R,1",1,e1,Лукашэнка Аляксандр,0.930,true,demo');
    expect(lines[2]!.startsWith('"=cmd()"')).toBe(true);
  });
});
