/**
 * SQL sources: a PostgreSQL or MariaDB/MySQL database the analyst gives by URL (a dump restored into a
 * scratch database). The mapping's `tables`, `joins` and `filters` become one SELECT (tables joined in
 * the WHERE clause, as FtM does); only the columns the mapping uses are read, values as the database
 * prints them (text). Rows are streamed: a cursor on PostgreSQL, the row stream on MariaDB. The
 * database URL's password is never stored or shown: the source is named by its label without it.
 */
import { AppError } from '../../platform/errors.js';
import { cleanCell } from '../mapper.js';
import type { QueryMapping, QuerySource } from '../mapping.js';
import type { OpenedSource, SourceRow } from './source.js';

type SqlSource = Extract<QuerySource, { kind: 'sql' }>;
const PAGE = 1000;

/** The database URL without its password, safe to store and print. */
export function databaseLabel(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString().replace(/\/\/([^@/]*)@/, (_, user: string) => (user ? `//${user}@` : '//'));
  } catch {
    return 'the database (its URL cannot be parsed)';
  }
}

interface Column {
  /** How the mapping names it: `alias.column`, and the bare `column` when no other table has it. */
  refs: string[];
  alias: string;
  name: string;
}

interface Dialect {
  quote(identifier: string): string;
  placeholder(n: number): string;
  columns(table: string): Promise<string[]>;
  primaryKey(table: string): Promise<string[]>;
  stream(sql: string, params: unknown[]): AsyncIterable<Record<string, unknown>>;
  close(): Promise<void>;
}

async function postgresDialect(url: string): Promise<Dialect> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // Every value as the text PostgreSQL prints (dates stay dates, numbers are not rounded).
  const text = { getTypeParser: () => (value: string) => value };
  const split = (table: string) => {
    const dot = table.indexOf('.');
    return dot === -1 ? ['public', table] : [table.slice(0, dot), table.slice(dot + 1)];
  };
  return {
    quote: (identifier) =>
      identifier
        .split('.')
        .map((part) => `"${part.replaceAll('"', '""')}"`)
        .join('.'),
    placeholder: (n) => `$${n}`,
    async columns(table) {
      const [schema, name] = split(table);
      const result = await client.query<{ column_name: string }>(
        'select column_name from information_schema.columns where table_schema = $1 and table_name = $2 order by ordinal_position',
        [schema, name],
      );
      return result.rows.map((row) => row.column_name);
    },
    async primaryKey(table) {
      const [schema, name] = split(table);
      const result = await client.query<{ column_name: string }>(
        `select k.column_name from information_schema.table_constraints c
         join information_schema.key_column_usage k
           on k.constraint_name = c.constraint_name and k.table_schema = c.table_schema and k.table_name = c.table_name
         where c.constraint_type = 'PRIMARY KEY' and c.table_schema = $1 and c.table_name = $2
         order by k.ordinal_position`,
        [schema, name],
      );
      return result.rows.map((row) => row.column_name);
    },
    async *stream(sql, params) {
      await client.query('begin read only');
      try {
        await client.query({ text: `declare svd_source no scroll cursor for ${sql}`, values: params });
        for (;;) {
          const page = await client.query({ text: `fetch ${PAGE} from svd_source`, types: text });
          for (const row of page.rows) yield row as Record<string, unknown>;
          if (page.rows.length < PAGE) break;
        }
      } finally {
        await client.query('rollback').catch(() => undefined);
      }
    },
    close: () => client.end(),
  };
}

async function mysqlDialect(url: string): Promise<Dialect> {
  const mysql = await import('mysql2');
  const parsed = new URL(url.replace(/^mariadb:/i, 'mysql:'));
  const connection = mysql.createConnection({
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.slice(1)),
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    charset: 'utf8mb4',
  });
  const promise = connection.promise();
  await promise.connect();
  const query = async <T>(sql: string, params: unknown[]) => (await promise.query(sql, params))[0] as T;
  return {
    quote: (identifier) =>
      identifier
        .split('.')
        .map((part) => `\`${part.replaceAll('`', '``')}\``)
        .join('.'),
    placeholder: () => '?',
    async columns(table) {
      const rows = await query<Array<{ COLUMN_NAME: string }>>(
        'select column_name as COLUMN_NAME from information_schema.columns where table_schema = database() and table_name = ? order by ordinal_position',
        [table],
      );
      return rows.map((row) => row.COLUMN_NAME);
    },
    async primaryKey(table) {
      const rows = await query<Array<{ COLUMN_NAME: string }>>(
        "select column_name as COLUMN_NAME from information_schema.key_column_usage where table_schema = database() and table_name = ? and constraint_name = 'PRIMARY' order by ordinal_position",
        [table],
      );
      return rows.map((row) => row.COLUMN_NAME);
    },
    async *stream(sql, params) {
      const stream = connection.query(sql, params).stream({ highWaterMark: PAGE });
      try {
        for await (const row of stream) yield row as Record<string, unknown>;
      } finally {
        stream.destroy();
      }
    },
    close: () => promise.end(),
  };
}

function databaseError(label: string, error: unknown): AppError {
  if (error instanceof AppError) return error;
  const message = (error instanceof Error ? error.message : String(error)).replace(/\/\/[^@\s]*@/g, '//');
  return new AppError('SVD_DATASETS_DATABASE', {
    message: `${label}: ${message.split('\n')[0]}`,
    cause: error,
  });
}

export async function openSql(source: SqlSource, query: QueryMapping): Promise<OpenedSource> {
  const label = databaseLabel(source.database);
  const scheme = source.database.slice(0, source.database.indexOf(':')).toLowerCase();
  let dialect: Dialect;
  try {
    if (scheme === 'postgres' || scheme === 'postgresql') dialect = await postgresDialect(source.database);
    else if (scheme === 'mysql' || scheme === 'mariadb') dialect = await mysqlDialect(source.database);
    else
      throw new AppError('SVD_DATASETS_DATABASE', {
        message: `${label}: only postgresql:// and mysql:// (or mariadb://) databases can be read`,
      });
  } catch (error) {
    throw databaseError(label, error);
  }
  try {
    // Every column of every table, under the names a mapping may use for it.
    const columns: Column[] = [];
    const counts = new Map<string, number>();
    for (const { table, alias } of source.tables) {
      const names = await dialect.columns(table);
      if (names.length === 0)
        throw new AppError('SVD_DATASETS_DATABASE', { message: `${label}: no table "${table}"` });
      for (const name of names) {
        columns.push({ refs: [`${alias}.${name}`], alias, name });
        counts.set(name, (counts.get(name) ?? 0) + 1);
      }
    }
    for (const column of columns) if (counts.get(column.name) === 1) column.refs.push(column.name);
    const byRef = new Map<string, Column>();
    for (const column of columns) for (const ref of column.refs) byRef.set(ref, column);
    const missing = [...query.columns.keys()].filter((ref) => !byRef.has(ref));
    const available = columns.map((c) => c.refs[c.refs.length - 1]!);
    if (missing.length > 0) {
      const ref = missing[0]!;
      const ambiguous = counts.get(ref) !== undefined && (counts.get(ref) ?? 0) > 1;
      throw new AppError('SVD_DATASETS_MISSING_COLUMN', {
        message: ambiguous
          ? `${label}: column "${ref}" (mapping line ${query.columns.get(ref)}) is in several tables; write it as table.${ref}`
          : `${label}: the mapping's column "${ref}" (mapping line ${query.columns.get(ref)}) is not in ${source.tables.map((t) => t.table).join(', ')} (columns: ${available.join(', ')})`,
        details: { column: ref, line: query.columns.get(ref) },
      });
    }
    // The first table's primary key names rows in provenance ("personnel.id=42").
    const first = source.tables[0]!;
    const keyColumns = (await dialect.primaryKey(first.table)).map(
      (name) => byRef.get(`${first.alias}.${name}`)!,
    );
    const selected = [...new Set([...query.columns.keys()].map((ref) => byRef.get(ref)!))];
    for (const key of keyColumns) if (!selected.includes(key)) selected.push(key);
    const labelOf = new Map(selected.map((column, i) => [column, `c${i}`]));
    const params: unknown[] = [];
    const where: string[] = [];
    const column = (ref: string) => {
      const c = byRef.get(ref)!;
      return `${dialect.quote(c.alias)}.${dialect.quote(c.name)}`;
    };
    for (const join of source.joins) where.push(`${column(join.left)} = ${column(join.right)}`);
    const list = (values: Set<string>) =>
      [...values].map((value) => {
        params.push(value);
        return dialect.placeholder(params.length);
      });
    for (const filter of query.filters)
      where.push(`${column(filter.column)} in (${list(filter.values).join(', ')})`);
    for (const filter of query.filtersNot)
      where.push(
        `(${column(filter.column)} is null or ${column(filter.column)} not in (${list(filter.values).join(', ')}))`,
      );
    const sql = `select ${selected
      .map((c) => `${dialect.quote(c.alias)}.${dialect.quote(c.name)} as ${labelOf.get(c)}`)
      .join(', ')} from ${source.tables
      .map((t) => `${dialect.quote(t.table)} as ${dialect.quote(t.alias)}`)
      .join(', ')}${where.length > 0 ? ` where ${where.join(' and ')}` : ''}${
      keyColumns.length > 0 ? ` order by ${keyColumns.map((c) => labelOf.get(c)).join(', ')}` : ''
    }`;
    const refs = [...byRef.entries()].filter(([ref]) => query.columns.has(ref));

    async function* rows(): AsyncGenerator<SourceRow> {
      let n = 0;
      try {
        for await (const row of dialect.stream(sql, params)) {
          n++;
          const values: Record<string, string | undefined> = Object.create(null);
          for (const [ref, c] of refs) {
            const value = row[labelOf.get(c)!];
            values[ref] = cleanCell(Buffer.isBuffer(value) ? value.toString('utf8') : value);
          }
          const key =
            keyColumns.length > 0
              ? `${first.table}.${keyColumns.map((c) => `${c.name}=${String(row[labelOf.get(c)!] ?? '')}`).join(',')}`
              : `row ${n}`;
          yield { line: n, ref: key, values };
        }
      } catch (error) {
        throw databaseError(label, error);
      }
    }

    return {
      kind: 'sql',
      file: null,
      name: label,
      columns: available,
      encoding: null,
      totalBytes: null,
      rows,
      bytesRead: () => 0,
      sha256: () => null,
      close: () => dialect.close().catch(() => undefined),
    };
  } catch (error) {
    await dialect.close().catch(() => undefined);
    throw databaseError(label, error);
  }
}
