/**
 * The in-memory candidate index. Built from the registry at start and kept fresh incrementally, it
 * answers "which stored entities could this query be?" in a few milliseconds over a million persons.
 *
 * Layout (memory-lean by design: 1M persons × 3–6 names fit well under 2 GB):
 * - tokens are interned: one `TokenInfo` per distinct case-folded token, shared by every entity;
 *   original spellings are interned too (surface → token id), names are runs of surface ids;
 * - entity facts (dataset, schema, gender, dates, nationalities, names) live in growable typed arrays
 *   indexed by an internal document number; a changed entity gets a new number, the old one is dead;
 * - postings map a 32-bit key hash to a document list; a key seen once stores its document inline.
 *
 * Retrieval is a union over the query's keys with idf weights (rarer keys weigh more), each query
 * token credited once per document, and the best few hundred documents go to the scorer.
 */

import { encodeDate, parseDate } from './dates.js';
import { type Growable, hashKey, i32, u8, u16, u32 } from './growable.js';
import { matchableSchemas } from './model.js';
import type { Part } from './parts.js';
import {
  entityNames,
  genderCode,
  ID_PROPERTIES,
  normalizeCountry,
  normalizeId,
  type PreparedName,
  type PreparedQuery,
  prepareName,
} from './query.js';
import { analyseToken, type TokenInfo } from './tokens.js';

/** An entity as the registry hands it to the index. */
export interface IndexEntity {
  id: string;
  schema: string;
  datasetId: string;
  caption: string;
  properties: Record<string, string[]>;
  changeSeq: number;
  deleted: boolean;
}

/** Where the index reads entities from (the registry service satisfies it). */
export interface CandidateSource {
  scanForIndex(options: { afterSeq?: number; batchSize?: number }): AsyncIterable<IndexEntity[]>;
  getEntitiesByIds(ids: string[]): Promise<Map<string, IndexEntity>>;
}

/** Retrieval restrictions of one query. */
export interface RetrievalFilter {
  /** Dataset ids the caller may see and asked for; 'all' for no restriction. */
  datasets: 'all' | readonly string[];
  excludeIds?: readonly string[];
  /** Most candidates handed to the scorer. */
  maxCandidates?: number;
}

const KEY_PHONETIC = 'p';
const KEY_DELETION = 'd';
const KEY_GIVEN = 'g';
const KEY_PATRONYMIC = 't';

const SCHEMA_GROUPS: Record<string, readonly string[]> = {
  Person: ['Person'],
  Organization: ['Organization', 'PublicBody', 'Company'],
  PublicBody: ['PublicBody', 'Organization'],
  Company: ['Company', 'Organization'],
  LegalEntity: matchableSchemas,
};

/** One-deletion neighbourhood of a key (symmetric-delete typo tolerance). */
function deletions(key: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < key.length; i++) {
    const d = key.slice(0, i) + key.slice(i + 1);
    if (!out.includes(d)) out.push(d);
  }
  return out;
}

/** Keys under which a stored token is posted. */
function storedKeys(info: TokenInfo): string[] {
  if (info.initial) return [];
  const keys: string[] = [];
  for (const p of info.phonetics) keys.push(KEY_PHONETIC + p);
  for (const g of info.given) keys.push(`${KEY_GIVEN}${g}`);
  for (const t of info.patronymic) keys.push(`${KEY_PATRONYMIC}${t}`);
  // Edit neighbourhoods only for surname-like tokens: given names and patronymics are resolved
  // through the dictionary on the query side, and their lists would be huge.
  if (info.given.length === 0 && !info.patronymicShaped) {
    for (const p of info.phonetics)
      if (p.length >= 4) for (const d of deletions(p)) keys.push(KEY_DELETION + d);
  }
  return keys;
}

/** Keys a query token probes, with a weight factor (exact readings over edit neighbours). */
function queryKeys(info: TokenInfo, fuzzy: readonly number[]): Array<[string, number]> {
  if (info.initial) return [];
  const keys: Array<[string, number]> = [];
  if (info.given.length > 0 || info.patronymic.length > 0) {
    for (const g of info.given) keys.push([`${KEY_GIVEN}${g}`, 1]);
    for (const t of info.patronymic) keys.push([`${KEY_PATRONYMIC}${t}`, 1]);
    return keys;
  }
  for (const p of info.phonetics) keys.push([KEY_PHONETIC + p, 1]);
  for (const g of fuzzy) keys.push([`${KEY_GIVEN}${g}`, 0.8]);
  for (const p of info.phonetics) {
    if (p.length < 4) continue;
    keys.push([KEY_DELETION + p, 0.7]);
    for (const d of deletions(p)) {
      keys.push([KEY_PHONETIC + d, 0.7]);
      keys.push([KEY_DELETION + d, 0.6]);
    }
  }
  return keys;
}

/** Statistics for benchmarks and the health of the index. */
export interface IndexStats {
  documents: number;
  liveDocuments: number;
  names: number;
  distinctTokens: number;
  distinctSurfaces: number;
  keys: number;
  postings: number;
  typedArrayBytes: number;
  lastSeq: number;
}

export class CandidateIndex {
  // Interned tokens and spellings.
  readonly #tokenIds = new Map<string, number>();
  readonly tokens: TokenInfo[] = [];
  readonly #surfaceIds = new Map<string, number>();
  readonly surfaces: string[] = [];
  readonly #surfaceToken = u32(1024);

  // Documents.
  readonly docIds: string[] = [];
  readonly #docById = new Map<string, number>();
  readonly docAlive = u8(1024);
  readonly docDataset = u16(1024);
  readonly docSchema = u8(1024);
  readonly docGender = u8(1024);
  readonly docNameStart = u32(1024);
  readonly docNameCount = u8(1024);
  readonly docDateStart = u32(1024);
  readonly docDateCount = u8(1024);
  readonly dates = i32(1024);
  readonly docNatStart = u32(1024);
  readonly docNatCount = u8(1024);
  readonly nats = u16(1024);
  readonly nameTokStart = u32(4096);
  readonly nameTokCount = u8(4096);
  readonly posSurface = u32(16384);
  readonly posPart = u8(16384);
  readonly #idNumbers = new Map<string, number | number[]>();

  readonly datasets: string[] = [];
  readonly #datasetIdx = new Map<string, number>();
  readonly schemas: string[] = [];
  readonly #schemaIdx = new Map<string, number>();
  readonly countries: string[] = [];
  readonly #countryIdx = new Map<string, number>();

  // Postings: hash → doc (>= 0, a single posting) or -(list + 1).
  readonly #postings = new Map<number, number>();
  readonly #lists: Growable<Uint32Array>[] = [];
  #postingCount = 0;
  #live = 0;
  lastSeq = 0;

  // Retrieval scratch (one query at a time: Node runs one at a time).
  #acc = new Float32Array(0);
  #mark = new Uint32Array(0);
  #stamp = 0;

  /** Interns a folded token, analysing it the first time. */
  tokenId(folded: string): number {
    let id = this.#tokenIds.get(folded);
    if (id === undefined) {
      id = this.tokens.length;
      this.tokens.push(analyseToken(folded));
      this.#tokenIds.set(folded, id);
    }
    return id;
  }

  /** Analysis of a folded token (cached across queries too). */
  analyse = (folded: string): TokenInfo => {
    const id = this.#tokenIds.get(folded);
    return id === undefined ? analyseToken(folded) : this.tokens[id]!;
  };

  #surfaceId(surface: string, folded: string): number {
    let id = this.#surfaceIds.get(surface);
    if (id === undefined) {
      id = this.surfaces.length;
      this.surfaces.push(surface);
      this.#surfaceIds.set(surface, id);
      this.#surfaceToken.push(this.tokenId(folded));
    }
    return id;
  }

  #intern(map: Map<string, number>, list: string[], value: string): number {
    let id = map.get(value);
    if (id === undefined) {
      id = list.length;
      list.push(value);
      map.set(value, id);
    }
    return id;
  }

  #post(key: string, doc: number): void {
    const hash = hashKey(key);
    const current = this.#postings.get(hash);
    this.#postingCount++;
    if (current === undefined) {
      this.#postings.set(hash, doc);
      return;
    }
    if (current >= 0) {
      if (current === doc) {
        this.#postingCount--;
        return;
      }
      const list = u32(4);
      list.push(current);
      list.push(doc);
      this.#lists.push(list);
      this.#postings.set(hash, -this.#lists.length);
      return;
    }
    const list = this.#lists[-current - 1]!;
    if (list.data[list.length - 1] === doc) {
      this.#postingCount--;
      return;
    }
    list.push(doc);
  }

  #posting(hash: number): { single: number } | Growable<Uint32Array> | undefined {
    const current = this.#postings.get(hash);
    if (current === undefined) return undefined;
    return current >= 0 ? { single: current } : this.#lists[-current - 1]!;
  }

  /** Document frequency of a key. */
  #df(hash: number): number {
    const current = this.#postings.get(hash);
    if (current === undefined) return 0;
    return current >= 0 ? 1 : this.#lists[-current - 1]!.length;
  }

  /** Adds, replaces or (when `deleted`) removes an entity. */
  upsert(entity: IndexEntity): void {
    if (entity.changeSeq > this.lastSeq) this.lastSeq = entity.changeSeq;
    const previous = this.#docById.get(entity.id);
    if (previous !== undefined) {
      if (this.docAlive.get(previous)) this.#live--;
      this.docAlive.set(previous, 0);
      this.#docById.delete(entity.id);
    }
    if (entity.deleted || !(matchableSchemas as readonly string[]).includes(entity.schema)) return;
    const props = entity.properties ?? {};
    const names: Array<{ tokens: string[]; folded: string[]; parts: Part[] }> = [];
    for (const raw of entityNames(props).slice(0, 60)) {
      const prepared = prepareName(raw, (f) => this.tokens[this.tokenId(f)]!, {
        strict: false,
        fuzzy: false,
      });
      if ('code' in prepared) continue;
      names.push({
        tokens: prepared.tokens,
        folded: prepared.infos.map((i) => i.text),
        parts: prepared.parts,
      });
    }
    const idNumbers = ID_PROPERTIES.flatMap((k) => props[k] ?? [])
      .map(normalizeId)
      .filter((v) => v.length >= 3);
    if (names.length === 0 && idNumbers.length === 0) return;

    const doc = this.docIds.length;
    this.docIds.push(entity.id);
    this.#docById.set(entity.id, doc);
    this.docAlive.push(1);
    this.#live++;
    this.docDataset.push(this.#intern(this.#datasetIdx, this.datasets, entity.datasetId));
    this.docSchema.push(this.#intern(this.#schemaIdx, this.schemas, entity.schema));
    this.docGender.push(genderCode(props.gender ?? []));

    this.docDateStart.push(this.dates.length);
    let dateCount = 0;
    for (const raw of props.birthDate ?? []) {
      const date = parseDate(raw);
      if (date && dateCount < 255) {
        this.dates.push(encodeDate(date));
        dateCount++;
      }
    }
    this.docDateCount.push(dateCount);

    this.docNatStart.push(this.nats.length);
    const nationalities = [
      ...new Set([...(props.nationality ?? []), ...(props.citizenship ?? [])].map(normalizeCountry)),
    ];
    for (const n of nationalities.slice(0, 255))
      this.nats.push(this.#intern(this.#countryIdx, this.countries, n));
    this.docNatCount.push(Math.min(255, nationalities.length));

    this.docNameStart.push(this.nameTokStart.length);
    this.docNameCount.push(Math.min(255, names.length));
    const keys = new Set<string>();
    for (const name of names.slice(0, 255)) {
      this.nameTokStart.push(this.posSurface.length);
      const count = Math.min(255, name.tokens.length);
      this.nameTokCount.push(count);
      for (let i = 0; i < count; i++) {
        const surface = this.#surfaceId(name.tokens[i]!, name.folded[i]!);
        this.posSurface.push(surface);
        this.posPart.push(name.parts[i]!);
        for (const key of storedKeys(this.tokens[this.#surfaceToken.get(surface)]!)) keys.add(key);
      }
    }
    for (const key of keys) this.#post(key, doc);
    for (const id of new Set(idNumbers)) {
      const existing = this.#idNumbers.get(id);
      if (existing === undefined) this.#idNumbers.set(id, doc);
      else if (typeof existing === 'number') this.#idNumbers.set(id, [existing, doc]);
      else existing.push(doc);
    }
  }

  /** Number of live documents. */
  get size(): number {
    return this.#live;
  }

  /** Document number of a live entity id, or undefined. */
  docOf(id: string): number | undefined {
    return this.#docById.get(id);
  }

  /** Token id of a surface id. */
  surfaceToken(surface: number): number {
    return this.#surfaceToken.get(surface);
  }

  /** Live documents carrying one of these normalised identifiers. */
  docsWithIds(ids: readonly string[]): number[] {
    const out: number[] = [];
    for (const id of ids) {
      const v = this.#idNumbers.get(id);
      if (v === undefined) continue;
      for (const doc of typeof v === 'number' ? [v] : v) if (this.docAlive.get(doc)) out.push(doc);
    }
    return out;
  }

  /** True when `doc` carries identifier `id` (normalised). */
  docHasId(doc: number, ids: readonly string[]): boolean {
    for (const id of ids) {
      const v = this.#idNumbers.get(id);
      if (v === undefined) continue;
      if (typeof v === 'number' ? v === doc : v.includes(doc)) return true;
    }
    return false;
  }

  /** The names of a document: for each, its surface ids and parts. */
  *docNames(doc: number): Generator<{ start: number; count: number }> {
    const start = this.docNameStart.get(doc);
    const count = this.docNameCount.get(doc);
    for (let n = start; n < start + count; n++) {
      yield { start: this.nameTokStart.get(n), count: this.nameTokCount.get(n) };
    }
  }

  /** The stored spelling of a name (its tokens joined by spaces). */
  nameText(start: number, count: number): string {
    const words: string[] = [];
    for (let i = start; i < start + count; i++) words.push(this.surfaces[this.posSurface.get(i)]!);
    return words.join(' ');
  }

  docDates(doc: number): Int32Array {
    const start = this.docDateStart.get(doc);
    return this.dates.data.subarray(start, start + this.docDateCount.get(doc));
  }

  docCountries(doc: number): string[] {
    const start = this.docNatStart.get(doc);
    const out: string[] = [];
    for (let i = start; i < start + this.docNatCount.get(doc); i++)
      out.push(this.countries[this.nats.get(i)]!);
    return out;
  }

  /** Dataset id of a document. */
  docDatasetId(doc: number): string {
    return this.datasets[this.docDataset.get(doc)]!;
  }

  /**
   * Candidate documents for a query: weighted union over its keys, restricted by dataset, schema and
   * exclusions, best `maxCandidates` first. Identifier hits always come first.
   */
  retrieve(query: Pick<PreparedQuery, 'names' | 'idNumbers' | 'schema'>, filter: RetrievalFilter): number[] {
    const total = this.docIds.length;
    if (this.#acc.length < total) {
      const capacity = Math.max(1024, Math.ceil(total * 1.25));
      this.#acc = new Float32Array(capacity);
      this.#mark = new Uint32Array(capacity);
    }
    const datasetOk = new Uint8Array(this.datasets.length);
    if (filter.datasets === 'all') datasetOk.fill(1);
    else
      for (const d of filter.datasets) {
        const i = this.#datasetIdx.get(d);
        if (i !== undefined) datasetOk[i] = 1;
      }
    const schemaOk = new Uint8Array(this.schemas.length);
    for (const s of SCHEMA_GROUPS[query.schema] ?? [query.schema]) {
      const i = this.#schemaIdx.get(s);
      if (i !== undefined) schemaOk[i] = 1;
    }
    const excluded = new Set<number>();
    for (const id of filter.excludeIds ?? []) {
      const doc = this.#docById.get(id);
      if (doc !== undefined) excluded.add(doc);
    }
    const usable = (doc: number) =>
      this.docAlive.data[doc] === 1 &&
      datasetOk[this.docDataset.data[doc]!] === 1 &&
      schemaOk[this.docSchema.data[doc]!] === 1 &&
      !excluded.has(doc);

    const acc = this.#acc;
    const mark = this.#mark;
    const touched: number[] = [];
    const candidates: number[] = [];
    const live = Math.max(1, this.#live);
    const maxDf = Math.max(5000, live * 0.3);

    // Group probes by query token position; the same token in two names counts once.
    const seenTokens = new Set<string>();
    const groups: Array<Array<[number, number]>> = [];
    for (const name of query.names as PreparedName[]) {
      for (let t = 0; t < name.infos.length; t++) {
        const info = name.infos[t]!;
        if (seenTokens.has(info.text)) continue;
        seenTokens.add(info.text);
        const probes: Array<[number, number]> = [];
        const seenKeys = new Set<number>();
        for (const [key, factor] of queryKeys(info, name.fuzzy[t] ?? [])) {
          const hash = hashKey(key);
          if (seenKeys.has(hash)) continue;
          seenKeys.add(hash);
          const df = this.#df(hash);
          if (df === 0 || df > maxDf) continue;
          probes.push([hash, factor * Math.log(1 + live / df)]);
        }
        probes.sort((a, b) => b[1] - a[1]);
        if (probes.length > 0) groups.push(probes);
      }
    }
    for (const probes of groups) {
      const stamp = ++this.#stamp;
      if (stamp === 0xffffffff) {
        mark.fill(0);
        this.#stamp = 1;
      }
      for (const [hash, weight] of probes) {
        const posting = this.#posting(hash);
        if (!posting) continue;
        if ('single' in posting) {
          this.#credit(posting.single, weight, this.#stamp, touched, candidates, usable);
          continue;
        }
        const data = posting.data;
        for (let i = 0; i < posting.length; i++)
          this.#credit(data[i]!, weight, this.#stamp, touched, candidates, usable);
      }
    }
    const idDocs = query.idNumbers.length > 0 ? this.docsWithIds(query.idNumbers).filter(usable) : [];
    const limit = filter.maxCandidates ?? 300;
    let chosen: number[];
    if (candidates.length <= limit) chosen = candidates;
    else chosen = topByScore(candidates, acc, limit);
    chosen.sort((a, b) => acc[b]! - acc[a]!);
    for (const doc of touched) acc[doc] = 0;
    for (const doc of touched) mark[doc] = 0;
    const out = [...new Set([...idDocs, ...chosen])];
    return out;
  }

  #credit(
    doc: number,
    weight: number,
    stamp: number,
    touched: number[],
    candidates: number[],
    usable: (doc: number) => boolean,
  ): void {
    const mark = this.#mark;
    const m = mark[doc]!;
    if (m === stamp) return;
    if (m === 0) {
      if (!usable(doc)) {
        mark[doc] = 0xffffffff;
        touched.push(doc);
        return;
      }
      touched.push(doc);
      candidates.push(doc);
    } else if (m === 0xffffffff) return;
    mark[doc] = stamp;
    this.#acc[doc]! += weight;
  }

  /** Sizes, for benchmarks and diagnostics. */
  stats(): IndexStats {
    let bytes = 0;
    for (const g of [
      this.#surfaceToken,
      this.docAlive,
      this.docDataset,
      this.docSchema,
      this.docGender,
      this.docNameStart,
      this.docNameCount,
      this.docDateStart,
      this.docDateCount,
      this.dates,
      this.docNatStart,
      this.docNatCount,
      this.nats,
      this.nameTokStart,
      this.nameTokCount,
      this.posSurface,
      this.posPart,
    ])
      bytes += g.bytes;
    for (const list of this.#lists) bytes += list.bytes;
    return {
      documents: this.docIds.length,
      liveDocuments: this.#live,
      names: this.nameTokStart.length,
      distinctTokens: this.tokens.length,
      distinctSurfaces: this.surfaces.length,
      keys: this.#postings.size,
      postings: this.#postingCount,
      typedArrayBytes: bytes + this.#acc.byteLength + this.#mark.byteLength,
      lastSeq: this.lastSeq,
    };
  }

  /** Loads everything after `lastSeq` from the source; returns how many entities changed. */
  async refresh(source: CandidateSource, batchSize = 2000): Promise<number> {
    let changed = 0;
    for await (const batch of source.scanForIndex({ afterSeq: this.lastSeq, batchSize })) {
      for (const entity of batch) this.upsert(entity);
      changed += batch.length;
    }
    return changed;
  }
}

/** The `limit` documents with the highest accumulated score (unordered), by quickselect. */
function topByScore(docs: number[], acc: Float32Array, limit: number): number[] {
  const values = new Float32Array(docs.length);
  for (let i = 0; i < docs.length; i++) values[i] = acc[docs[i]!]!;
  // k-th largest via quickselect on a copy.
  const k = limit - 1;
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  const threshold = values[k]!;
  const out: number[] = [];
  for (const doc of docs) if (acc[doc]! > threshold && out.length < limit) out.push(doc);
  for (const doc of docs) {
    if (out.length >= limit) break;
    if (acc[doc] === threshold) out.push(doc);
  }
  return out;
}
