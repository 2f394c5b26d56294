/**
 * Mapping files: FollowTheMoney's mapping format (YAML), read strictly. Every key is checked against
 * what the format allows, so a misspelt key is an error with its line instead of being ignored; every
 * column the mapping uses is remembered with the line that names it, so a column missing from the
 * source is reported against both the source and the mapping.
 *
 * Accepted shapes: `{<name>: {queries: [...]}}` (the `ftm map` file), `{queries: [...]}`, or a single
 * query (`{csv_url: ..., entities: ...}`). Per query, one source: `csv_url`/`csv_urls` (CSV or TSV),
 * `xlsx_url` + `sheet` (ours), or `database` + `tables` + `joins` (SQL); then `filters`, `filters_not`
 * and `entities`. Per entity: `schema`, `keys`/`key` + `key_literal` or `id_column`, `properties`.
 * Per property: `column`/`columns`, `join`, `split`, `template`, `literal`/`literals`, `format`,
 * `entity`, `required` (`fuzzy` is accepted and has no effect: values are never guessed).
 */
import { createHash } from 'node:crypto';
import { isMap, isScalar, isSeq, LineCounter, type Node, type Pair, parseDocument, type YAMLMap } from 'yaml';
import { getSchema, type PropertyType, SCHEMA_NAMES } from '../registry/index.js';
import type { MappingProblem } from './model.js';
import { checkDateFormat } from './values.js';

export interface PropertyMapping {
  property: string;
  type: PropertyType;
  line: number;
  columns: string[];
  literals: string[];
  join?: string | undefined;
  split?: string | undefined;
  template?: string | undefined;
  format?: string | undefined;
  /** The name of another entity of the same query whose id this property takes. */
  entity?: string | undefined;
  required: boolean;
}

export interface EntityMapping {
  name: string;
  schema: string;
  line: number;
  keys: string[];
  keyLiteral?: string | undefined;
  idColumn?: string | undefined;
  properties: PropertyMapping[];
}

export type QuerySource =
  | { kind: 'csv'; files: string[]; encoding?: string | undefined; delimiter?: string | undefined }
  | { kind: 'xlsx'; file: string; sheet?: string | number | undefined }
  | {
      kind: 'sql';
      database: string;
      tables: Array<{ table: string; alias: string }>;
      joins: Array<{ left: string; right: string }>;
    };

export interface QueryMapping {
  /** 1-based position of the query in the file. */
  index: number;
  line: number;
  source: QuerySource;
  filters: Array<{ column: string; values: Set<string> }>;
  filtersNot: Array<{ column: string; values: Set<string> }>;
  /** Entities in dependency order (an entity comes after those it references). */
  entities: EntityMapping[];
  /** Every column the query reads, with the first line of the mapping that names it. */
  columns: Map<string, number>;
}

export interface Mapping {
  /** The dataset name written in the file (`ftm map` shape), if any. */
  name?: string | undefined;
  queries: QueryMapping[];
  sha256: string;
}

const QUERY_KEYS = new Set([
  'csv_url',
  'csv_urls',
  'xlsx_url',
  'sheet',
  'encoding',
  'delimiter',
  'database',
  'table',
  'tables',
  'joins',
  'filters',
  'filters_not',
  'entities',
]);
const ENTITY_KEYS = new Set(['schema', 'key', 'keys', 'key_literal', 'id_column', 'properties']);
const PROPERTY_KEYS = new Set([
  'column',
  'columns',
  'join',
  'split',
  'template',
  'literal',
  'literals',
  'format',
  'entity',
  'required',
  'fuzzy',
]);
const ENCODINGS = new Set(['utf-8', 'windows-1251', 'koi8-r', 'ibm866']);
const ENCODING_ALIASES: Record<string, string> = {
  utf8: 'utf-8',
  'utf-8-sig': 'utf-8',
  cp1251: 'windows-1251',
  'win-1251': 'windows-1251',
  koi8r: 'koi8-r',
  cp866: 'ibm866',
  '866': 'ibm866',
};
const TEMPLATE_REF = /\{\{([^{}]*)\}\}/g;

/** The canonical name of an encoding the sources can read, or undefined. */
export function canonicalEncoding(name: string): string | undefined {
  const lower = name.trim().toLowerCase();
  const canonical = ENCODING_ALIASES[lower] ?? lower;
  return ENCODINGS.has(canonical) ? canonical : undefined;
}

/** `${VAR}` and `$VAR` from the environment, as FtM does for database URLs and file names. */
export function expandEnv(value: string, env: NodeJS.ProcessEnv = process.env): string {
  return value.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_, a, b) => env[a ?? b] ?? '',
  );
}

class Reader {
  readonly problems: MappingProblem[] = [];
  constructor(private readonly lines: LineCounter) {}

  lineOf(node: Node | null | undefined): number {
    const range = node?.range;
    if (!range) return 1;
    return this.lines.linePos(range[0]).line;
  }

  problem(node: Node | null | undefined, message: string): void {
    this.problems.push({ line: this.lineOf(node), message });
  }

  map(node: unknown, what: string): YAMLMap | undefined {
    if (isMap(node)) return node;
    this.problem(node as Node, `${what} must be a mapping of keys to values`);
    return undefined;
  }

  /** The pairs of a map, checking keys against `allowed`. */
  pairs(map: YAMLMap, allowed: Set<string> | null, where: string): Array<[string, Node | null, Pair]> {
    const out: Array<[string, Node | null, Pair]> = [];
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : null;
      if (key === null) {
        this.problem(pair.key as Node, `${where}: keys must be plain names`);
        continue;
      }
      if (allowed && !allowed.has(key)) {
        this.problem(
          pair.key as Node,
          `${where}: unknown key "${key}" (allowed: ${[...allowed].join(', ')})`,
        );
        continue;
      }
      out.push([key, (pair.value as Node | null) ?? null, pair]);
    }
    return out;
  }

  string(node: Node | null, what: string): string | undefined {
    if (isScalar(node) && node.value !== null && typeof node.value !== 'object') {
      const text = String(node.value);
      if (text.trim() !== '') return text;
    }
    this.problem(node, `${what} must be a non-empty text`);
    return undefined;
  }

  /** A scalar or a list of scalars, as texts. */
  strings(node: Node | null, what: string): string[] {
    if (isSeq(node)) {
      const out: string[] = [];
      for (const item of node.items) {
        const text = this.string(item as Node, `each item of ${what}`);
        if (text !== undefined) out.push(text);
      }
      if (out.length === 0 && node.items.length === 0) this.problem(node, `${what} is an empty list`);
      return out;
    }
    const text = this.string(node, what);
    return text === undefined ? [] : [text];
  }

  boolean(node: Node | null, what: string): boolean {
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    this.problem(node, `${what} must be true or false`);
    return false;
  }
}

function filtersOf(reader: Reader, node: Node | null, what: string, columns: Map<string, number>) {
  const out: Array<{ column: string; values: Set<string> }> = [];
  const map = reader.map(node, what);
  if (!map) return out;
  for (const [column, value] of reader.pairs(map, null, what)) {
    const values = isSeq(value)
      ? value.items.map((item) => (isScalar(item) ? String(item.value ?? '') : ''))
      : [isScalar(value) ? String(value.value ?? '') : ''];
    out.push({ column, values: new Set(values) });
    if (!columns.has(column)) columns.set(column, reader.lineOf(value));
  }
  return out;
}

function propertyOf(
  reader: Reader,
  schemaName: string,
  property: string,
  node: Node | null,
  pair: Pair,
  columns: Map<string, number>,
): PropertyMapping | undefined {
  const schema = getSchema(schemaName);
  const spec = schema?.properties[property];
  const line = reader.lineOf(pair.key as Node);
  if (!schema || !spec || !Object.hasOwn(schema.properties, property)) {
    reader.problem(pair.key as Node, `${schemaName} has no property "${property}"`);
    return undefined;
  }
  const map = reader.map(node, `property "${property}"`);
  if (!map) return undefined;
  const result: PropertyMapping = {
    property,
    type: spec.type,
    line,
    columns: [],
    literals: [],
    required: false,
  };
  const use = (column: string, at: Node | null) => {
    result.columns.push(column);
    if (!columns.has(column)) columns.set(column, reader.lineOf(at));
  };
  for (const [key, value] of reader.pairs(map, PROPERTY_KEYS, `property "${property}"`)) {
    switch (key) {
      case 'column':
      case 'columns':
        for (const column of reader.strings(value, key)) use(column, value);
        break;
      case 'literal':
      case 'literals':
        if (isSeq(value)) result.literals.push(...reader.strings(value, key));
        else if (isScalar(value) && value.value !== null) result.literals.push(String(value.value));
        else reader.problem(value, `${key} must be a value or a list of values`);
        break;
      case 'join':
      case 'split': {
        const text = isScalar(value) && typeof value.value === 'string' ? value.value : undefined;
        if (text === undefined || (key === 'split' && text === ''))
          reader.problem(value, `${key} must be a text${key === 'split' ? ' (not empty)' : ''}`);
        else result[key] = text;
        break;
      }
      case 'template': {
        const text = reader.string(value, 'template');
        if (text === undefined) break;
        result.template = text;
        for (const match of text.matchAll(TEMPLATE_REF)) use(match[1]!.trim(), value);
        break;
      }
      case 'format': {
        result.format = reader.string(value, 'format');
        const problem = result.format === undefined ? undefined : checkDateFormat(result.format);
        if (problem) reader.problem(value, problem);
        break;
      }
      case 'entity':
        result.entity = reader.string(value, 'entity');
        break;
      case 'required':
        result.required = reader.boolean(value, 'required');
        break;
      case 'fuzzy':
        reader.boolean(value, 'fuzzy');
        break;
    }
  }
  if (result.entity !== undefined && spec.type !== 'entity')
    reader.problem(
      pair.key as Node,
      `${schemaName}.${property} is not an entity reference; "entity" cannot fill it`,
    );
  if (
    result.entity === undefined &&
    spec.type === 'entity' &&
    result.columns.length === 0 &&
    result.literals.length === 0
  )
    reader.problem(
      pair.key as Node,
      `${schemaName}.${property} needs "entity" (the name of another entity of this query)`,
    );
  if (
    result.entity === undefined &&
    result.columns.length === 0 &&
    result.literals.length === 0 &&
    result.template === undefined
  )
    reader.problem(
      pair.key as Node,
      `property "${property}" has no column, columns, template, literal or entity`,
    );
  if (result.format !== undefined && spec.type !== 'date')
    reader.problem(
      pair.key as Node,
      `"format" applies to dates only; ${schemaName}.${property} is not a date`,
    );
  return result;
}

function entityOf(
  reader: Reader,
  name: string,
  node: Node | null,
  pair: Pair,
  columns: Map<string, number>,
): EntityMapping | undefined {
  const map = reader.map(node, `entity "${name}"`);
  if (!map) return undefined;
  const entries = reader.pairs(map, ENTITY_KEYS, `entity "${name}"`);
  const schemaEntry = entries.find(([key]) => key === 'schema');
  if (!schemaEntry) {
    reader.problem(pair.key as Node, `entity "${name}" has no schema`);
    return undefined;
  }
  const schemaName = reader.string(schemaEntry[1], 'schema');
  if (schemaName === undefined) return undefined;
  if (!getSchema(schemaName)) {
    reader.problem(
      schemaEntry[1],
      `schema "${schemaName}" is not one the registry accepts (${SCHEMA_NAMES.join(', ')})`,
    );
    return undefined;
  }
  const entity: EntityMapping = {
    name,
    schema: schemaName,
    line: reader.lineOf(pair.key as Node),
    keys: [],
    properties: [],
  };
  for (const [key, value] of entries) {
    if (key === 'key' || key === 'keys') {
      for (const column of reader.strings(value, key)) {
        entity.keys.push(column);
        if (!columns.has(column)) columns.set(column, reader.lineOf(value));
      }
    } else if (key === 'key_literal') {
      entity.keyLiteral =
        isScalar(value) && value.value !== null ? String(value.value) : reader.string(value, key);
    } else if (key === 'id_column') {
      entity.idColumn = reader.string(value, key);
      if (entity.idColumn !== undefined && !columns.has(entity.idColumn))
        columns.set(entity.idColumn, reader.lineOf(value));
    } else if (key === 'properties') {
      const props = reader.map(value, `properties of "${name}"`);
      if (!props) continue;
      for (const [property, propValue, propPair] of reader.pairs(props, null, `properties of "${name}"`)) {
        const mapped = propertyOf(reader, schemaName, property, propValue, propPair, columns);
        if (mapped) entity.properties.push(mapped);
      }
    }
  }
  if (entity.keys.length === 0 && entity.idColumn === undefined)
    reader.problem(
      pair.key as Node,
      `entity "${name}" needs "keys" (columns that identify it) or "id_column"`,
    );
  if (entity.keys.length > 0 && entity.idColumn !== undefined)
    reader.problem(pair.key as Node, `entity "${name}": use "keys" or "id_column", not both`);
  return entity;
}

/** Orders entities so that each comes after those it references; reports unknown names and cycles. */
function orderEntities(reader: Reader, entities: EntityMapping[]): EntityMapping[] {
  const byName = new Map(entities.map((e) => [e.name, e]));
  let ok = true;
  for (const entity of entities) {
    for (const prop of entity.properties) {
      if (prop.entity === undefined) continue;
      const target = byName.get(prop.entity);
      if (!target) {
        reader.problems.push({
          line: prop.line,
          message: `${entity.name}.${prop.property}: no entity named "${prop.entity}" in this query (entities: ${[...byName.keys()].join(', ')})`,
        });
        ok = false;
        continue;
      }
      const range = getSchema(entity.schema)?.properties[prop.property]?.range;
      if (range && range.length > 0 && !range.includes(target.schema)) {
        reader.problems.push({
          line: prop.line,
          message: `${entity.name}.${prop.property} must point at ${range.join(' or ')}, not ${target.schema} ("${target.name}")`,
        });
      }
    }
  }
  if (!ok) return entities;
  const ordered: EntityMapping[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (entity: EntityMapping, path: string[]): boolean => {
    const seen = state.get(entity.name);
    if (seen === 'done') return true;
    if (seen === 'visiting') {
      const cycle = [...path.slice(path.indexOf(entity.name)), entity.name];
      reader.problems.push({
        line: entity.line,
        message: `circular entity references: ${cycle.join(' → ')}`,
      });
      return false;
    }
    state.set(entity.name, 'visiting');
    for (const prop of entity.properties) {
      if (prop.entity === undefined) continue;
      if (!visit(byName.get(prop.entity)!, [...path, entity.name])) return false;
    }
    state.set(entity.name, 'done');
    ordered.push(entity);
    return true;
  };
  for (const entity of entities) if (!visit(entity, [])) return entities;
  return ordered;
}

function queryOf(
  reader: Reader,
  node: Node | null,
  index: number,
  env: NodeJS.ProcessEnv,
): QueryMapping | undefined {
  const map = reader.map(node, `query ${index}`);
  if (!map) return undefined;
  const columns = new Map<string, number>();
  const entries = reader.pairs(map, QUERY_KEYS, `query ${index}`);
  const get = (key: string) => entries.find(([k]) => k === key);
  const has = (key: string) => get(key) !== undefined;
  const line = reader.lineOf(map);
  const kinds = [has('csv_url') || has('csv_urls'), has('xlsx_url'), has('database')].filter(Boolean).length;
  if (kinds !== 1) {
    reader.problem(map, `query ${index} needs exactly one source: csv_url/csv_urls, xlsx_url or database`);
    return undefined;
  }
  let source: QuerySource | undefined;
  const onlyFor = (keys: string[], kind: string) => {
    for (const key of keys) {
      const entry = get(key);
      if (entry) reader.problem(entry[2].key as Node, `"${key}" applies to ${kind} sources only`);
    }
  };
  if (has('csv_url') || has('csv_urls')) {
    onlyFor(['sheet', 'table', 'tables', 'joins'], 'other');
    const files: string[] = [];
    for (const key of ['csv_url', 'csv_urls']) {
      const entry = get(key);
      if (entry) files.push(...reader.strings(entry[1], key).map((file) => expandEnv(file, env)));
    }
    let encoding: string | undefined;
    const enc = get('encoding');
    if (enc) {
      const text = reader.string(enc[1], 'encoding');
      encoding = text === undefined ? undefined : canonicalEncoding(text);
      if (text !== undefined && !encoding)
        reader.problem(enc[1], `encoding "${text}" is not one of utf-8, windows-1251, koi8-r, cp866`);
    }
    let delimiter: string | undefined;
    const delim = get('delimiter');
    if (delim) {
      const text = isScalar(delim[1]) && typeof delim[1].value === 'string' ? delim[1].value : undefined;
      if (text === undefined || [...text].length !== 1)
        reader.problem(delim[1], 'delimiter must be one character');
      else delimiter = text;
    }
    source = { kind: 'csv', files, encoding, delimiter };
  } else if (has('xlsx_url')) {
    onlyFor(['encoding', 'delimiter', 'table', 'tables', 'joins'], 'other');
    const file = reader.string(get('xlsx_url')![1], 'xlsx_url');
    let sheet: string | number | undefined;
    const sheetEntry = get('sheet');
    if (sheetEntry) {
      const value = isScalar(sheetEntry[1]) ? sheetEntry[1].value : undefined;
      if (typeof value === 'number' && Number.isInteger(value) && value >= 1) sheet = value;
      else if (typeof value === 'string' && value.trim() !== '') sheet = value;
      else reader.problem(sheetEntry[1], 'sheet must be a sheet name or its position (1 for the first)');
    }
    if (file !== undefined) source = { kind: 'xlsx', file: expandEnv(file, env), sheet };
  } else {
    onlyFor(['encoding', 'delimiter', 'sheet'], 'file');
    const database = reader.string(get('database')![1], 'database');
    const tables: Array<{ table: string; alias: string }> = [];
    for (const key of ['table', 'tables']) {
      const entry = get(key);
      if (!entry) continue;
      const items = isSeq(entry[1]) ? entry[1].items : [entry[1]];
      for (const item of items as Array<Node | null>) {
        if (isMap(item)) {
          const fields = reader.pairs(item, new Set(['table', 'alias']), 'table');
          const table = reader.string(fields.find(([k]) => k === 'table')?.[1] ?? item, 'table');
          const aliasNode = fields.find(([k]) => k === 'alias')?.[1];
          const alias = aliasNode ? reader.string(aliasNode, 'alias') : table;
          if (table !== undefined && alias !== undefined) tables.push({ table, alias });
        } else {
          const table = reader.string(item, 'table');
          if (table !== undefined) tables.push({ table, alias: table });
        }
      }
    }
    if (tables.length === 0) reader.problem(map, `query ${index}: a database source needs "tables"`);
    const joins: Array<{ left: string; right: string }> = [];
    const joinEntry = get('joins');
    if (joinEntry) {
      const items = isSeq(joinEntry[1]) ? joinEntry[1].items : [joinEntry[1]];
      for (const item of items as Array<Node | null>) {
        const joinMap = reader.map(item, 'each join');
        if (!joinMap) continue;
        const fields = reader.pairs(joinMap, new Set(['left', 'right']), 'join');
        const left = reader.string(fields.find(([k]) => k === 'left')?.[1] ?? joinMap, 'join "left"');
        const right = reader.string(fields.find(([k]) => k === 'right')?.[1] ?? joinMap, 'join "right"');
        if (left !== undefined && right !== undefined) {
          joins.push({ left, right });
          for (const column of [left, right])
            if (!columns.has(column)) columns.set(column, reader.lineOf(item));
        }
      }
    }
    if (database !== undefined) source = { kind: 'sql', database: expandEnv(database, env), tables, joins };
  }
  const filters = get('filters') ? filtersOf(reader, get('filters')![1], 'filters', columns) : [];
  const filtersNot = get('filters_not')
    ? filtersOf(reader, get('filters_not')![1], 'filters_not', columns)
    : [];
  const entities: EntityMapping[] = [];
  const entitiesEntry = get('entities');
  if (!entitiesEntry) reader.problem(map, `query ${index} has no "entities"`);
  else {
    const entityMap = reader.map(entitiesEntry[1], 'entities');
    if (entityMap) {
      for (const [name, value, pair] of reader.pairs(entityMap, null, 'entities')) {
        const entity = entityOf(reader, name, value, pair, columns);
        if (entity) entities.push(entity);
      }
      if (entityMap.items.length === 0) reader.problem(entityMap, `query ${index} has no entities`);
    }
  }
  if (!source) return undefined;
  return { index, line, source, filters, filtersNot, entities: orderEntities(reader, entities), columns };
}

/**
 * Reads a mapping file. Returns the mapping, or every problem found (each with its YAML line) so an
 * editor can show them all at once.
 */
export function parseMapping(
  text: string,
  env: NodeJS.ProcessEnv = process.env,
): { mapping: Mapping } | { problems: MappingProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((error) => ({
        line: error.linePos?.[0]?.line ?? 1,
        column: error.linePos?.[0]?.col,
        message: `YAML: ${error.message.split('\n')[0]}`,
      })),
    };
  }
  const reader = new Reader(lineCounter);
  const root = doc.contents as Node | null;
  const top = reader.map(root, 'the mapping file');
  if (!top) return { problems: reader.problems };
  let name: string | undefined;
  let container: YAMLMap = top;
  const topKeys = top.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : ''));
  const isQueryLike = topKeys.some((key) => key === 'queries' || key === 'query' || QUERY_KEYS.has(key));
  if (!isQueryLike && top.items.length === 1) {
    // The `ftm map` shape: one dataset name holding the queries.
    name = topKeys[0];
    const inner = reader.map(top.items[0]!.value as Node, `"${name}"`);
    if (!inner) return { problems: reader.problems };
    container = inner;
  }
  const containerKeys = container.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : ''));
  const queryNodes: Array<Node | null> = [];
  if (containerKeys.includes('queries') || containerKeys.includes('query')) {
    const allowed = new Set(['queries', 'query', 'title', 'description', 'summary', 'category', 'label']);
    for (const [key, value] of reader.pairs(container, allowed, 'the mapping file')) {
      if (key === 'query') queryNodes.push(value);
      else if (key === 'queries') {
        if (isSeq(value)) queryNodes.push(...(value.items as Array<Node | null>));
        else reader.problem(value, '"queries" must be a list');
      }
    }
  } else if (containerKeys.some((key) => QUERY_KEYS.has(key))) {
    queryNodes.push(container);
  } else {
    reader.problem(container, 'the mapping file has no "queries" (nor a single query with "entities")');
  }
  if (queryNodes.length === 0 && reader.problems.length === 0)
    reader.problem(container, '"queries" is empty');
  const queries: QueryMapping[] = [];
  queryNodes.forEach((node, i) => {
    const query = queryOf(reader, node, i + 1, env);
    if (query) queries.push(query);
  });
  if (reader.problems.length > 0) {
    return { problems: reader.problems.sort((a, b) => a.line - b.line) };
  }
  return { mapping: { name, queries, sha256: createHash('sha256').update(text).digest('hex') } };
}

/** The mapping text with passwords of database URLs removed (what is stored and shown). */
export function redactMapping(text: string): string {
  return text.replace(/\b((?:postgres(?:ql)?|mysql|mariadb):\/\/[^:/@\s]+):[^@\s]*@/gi, '$1@');
}
