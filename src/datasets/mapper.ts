/**
 * One source row to FtM entity fragments, as FollowTheMoney's mapper does it: entities in dependency
 * order, ids from keys (SHA-1 over the dataset name, `key_literal` and the sorted key values, then
 * signed with the dataset's namespace, exactly as `ftm map` writes them when the file's name is the
 * dataset's), `required` properties, references between the entities of the row. Where FtM would drop
 * a value it cannot clean with a warning, we reject the row with the reason: nothing is lost silently.
 */
import { createHash, createHmac, type Hash } from 'node:crypto';
import { type FtmEntity, validateEntity } from '../registry/index.js';
import type { EntityMapping, PropertyMapping, QueryMapping } from './mapping.js';
import { cleanValue } from './values.js';

/** A source row: cleaned values by column (absent = empty), its line and how people refer to it. */
export interface SourceRecord {
  line: number;
  ref: string;
  values: Record<string, string | undefined>;
}

export interface RowProblem {
  code: 'SVD_DATASETS_BAD_VALUE' | 'SVD_DATASETS_BAD_ID' | string;
  reason: string;
  column?: string | undefined;
  entity?: string | undefined;
  property?: string | undefined;
}

export type MappedRow = { entities: FtmEntity[] } | { problem: RowProblem };

const ID_VALUE = /^[A-Za-z0-9._:-]{1,150}$/;

/** FtM's text cleaning of a source cell: NFC, no control characters, trimmed; empty is absent. */
export function cleanCell(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = (typeof value === 'string' ? value : String(value))
    .normalize('NFC')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .trim();
  return text === '' ? undefined : text;
}

/** The compiled form of a query for one dataset: key seeds hashed once, filters as sets. */
export class QueryMapper {
  readonly #seeds = new Map<string, Hash>();
  readonly #namespace: string;

  constructor(
    readonly query: QueryMapping,
    datasetName: string,
  ) {
    this.#namespace = datasetName;
    for (const entity of query.entities) {
      const seed = createHash('sha1').update(datasetName, 'utf8');
      if (entity.keyLiteral !== undefined) seed.update(entity.keyLiteral, 'utf8');
      this.#seeds.set(entity.name, seed);
    }
  }

  /** True when the row passes the query's `filters` and `filters_not`. */
  accepts(record: SourceRecord): boolean {
    for (const filter of this.query.filters)
      if (!filter.values.has(record.values[filter.column] ?? '')) return false;
    for (const filter of this.query.filtersNot)
      if (filter.values.has(record.values[filter.column] ?? '')) return false;
    return true;
  }

  /** The namespace signature FtM appends to ids: `id.hmac_sha1(dataset, id)`. */
  sign(id: string): string {
    return `${id}.${createHmac('sha1', this.#namespace).update(id, 'utf8').digest('hex')}`;
  }

  #keyOf(entity: EntityMapping, record: SourceRecord): { id?: string } | { problem: RowProblem } {
    if (entity.idColumn !== undefined) {
      const value = record.values[entity.idColumn];
      if (value === undefined) return {};
      if (!ID_VALUE.test(value))
        return {
          problem: {
            code: 'SVD_DATASETS_BAD_ID',
            reason: `"${value.slice(0, 60)}" in the id column is not a valid entity id (letters, digits, ".", "_", ":", "-"; up to 150)`,
            column: entity.idColumn,
            entity: entity.name,
          },
        };
      return { id: this.sign(value) };
    }
    const values = entity.keys
      .map((key) => Buffer.from(record.values[key] ?? '', 'utf8'))
      .filter((value) => value.length > 0)
      .sort(Buffer.compare);
    if (values.length === 0) return {};
    const digest = this.#seeds.get(entity.name)!.copy();
    for (const value of values) digest.update(value);
    return { id: this.sign(digest.digest('hex')) };
  }

  #valuesOf(prop: PropertyMapping, record: SourceRecord): string[] {
    if (prop.template !== undefined) {
      const text = prop.template.replace(
        /\{\{([^{}]*)\}\}/g,
        (_, ref: string) => record.values[ref.trim()] ?? '',
      );
      return [text.trim()];
    }
    const values = [...prop.literals];
    for (const column of prop.columns) {
      const value = record.values[column];
      if (value !== undefined) values.push(value);
    }
    let out = prop.join !== undefined ? [values.join(prop.join)] : values;
    if (prop.split !== undefined) out = out.flatMap((value) => value.split(prop.split!));
    return out.map((value) => value.trim()).filter((value) => value !== '');
  }

  /** Maps one row; a problem rejects the whole row (none of its entities are kept). */
  map(record: SourceRecord): MappedRow {
    const made = new Map<string, FtmEntity>();
    const out: FtmEntity[] = [];
    for (const entity of this.query.entities) {
      const properties: Record<string, string[]> = {};
      let skip = false;
      for (const prop of entity.properties) {
        let values: string[];
        if (prop.entity !== undefined) {
          const target = made.get(prop.entity);
          values = target ? [target.id] : [];
        } else {
          values = [];
          for (const raw of this.#valuesOf(prop, record)) {
            const cleaned = cleanValue(prop.type, raw, prop.format);
            if ('problem' in cleaned)
              return {
                problem: {
                  code: 'SVD_DATASETS_BAD_VALUE',
                  reason: `${entity.name}.${prop.property}: ${cleaned.problem}`,
                  column: prop.columns.length === 1 ? prop.columns[0] : undefined,
                  entity: entity.name,
                  property: prop.property,
                },
              };
            values.push(cleaned.value);
          }
        }
        if (values.length === 0) {
          if (prop.required) skip = true;
          continue;
        }
        const list = properties[prop.property];
        if (list) {
          for (const value of values) if (!list.includes(value)) list.push(value);
        } else properties[prop.property] = [...new Set(values)];
      }
      if (skip) continue;
      const key = this.#keyOf(entity, record);
      if ('problem' in key) return key;
      if (key.id === undefined) continue;
      const checked = validateEntity({ id: key.id, schema: entity.schema, properties });
      if ('problem' in checked) {
        const prop = entity.properties.find((p) => p.property === checked.problem.property);
        return {
          problem: {
            code: checked.problem.code,
            reason: `${entity.name}: ${checked.problem.reason}`,
            column: prop?.columns.length === 1 ? prop.columns[0] : undefined,
            entity: entity.name,
            property: checked.problem.property,
          },
        };
      }
      made.set(entity.name, checked.entity);
      out.push(checked.entity);
    }
    return { entities: out };
  }
}
