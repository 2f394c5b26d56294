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
import { hashKey, i32, u8, u16, u32 } from './growable.js';
import { matchableSchemas } from './model.js';
import type { Part } from './parts.js';
import { Postings } from './postings.js';
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
import { analyseToken, type StoredToken, storeToken, type TokenInfo } from './tokens.js';

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

/** Candidates below this share of the best accumulated weight are dropped (but never the top few). */
const RELATIVE_CUT = 0.5;
const MIN_CANDIDATES = 25;

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
function storedKeys(
  info: Pick<TokenInfo, 'given' | 'patronymic' | 'patronymicShaped' | 'initial'>,
  token: StoredToken,
): string[] {
  if (info.initial) return [];
  const ns = token.bits & 15;
  const np = (token.bits >> 4) & 15;
  const phonetics = token.keys.split('|').slice(ns, ns + np);
  const keys: string[] = [];
  for (const p of phonetics) keys.push(KEY_PHONETIC + p);
  for (const g of info.given) keys.push(`${KEY_GIVEN}${g}`);
  for (const t of info.patronymic) keys.push(`${KEY_PATRONYMIC}${t}`);
  // Edit neighbourhoods only for surname-like tokens: given names and patronymics are resolved
  // through the dictionary on the query side, and their lists would be huge.
  if (info.given.length === 0 && !info.patronymicShaped) {
    for (const p of phonetics) if (p.length >= 4) for (const d of deletions(p)) keys.push(KEY_DELETION + d);
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
  // Kazlovová, Kovalčukienė: the base forms of a foreign feminine surname.
  for (const f of info.feminine) for (const p of f.phonetics) keys.push([KEY_PHONETIC + p, 0.95]);
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
  // Interned tokens (case-folded), in an open-addressing table keyed by the text's hash.
  readonly tokens: StoredToken[] = [];
  /** Packed token facts (see `StoredToken`). */
  readonly tokenPool = i32(1 << 16);
  #tokenSlots = new Int32Array(1 << 16).fill(-1);
  readonly #queryCache = new Map<string, TokenInfo>();

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
  /** Per token position: token id, part, and how to case it for display (see `#caseOf`). */
  readonly posToken = u32(16384);
  readonly posPart = u8(16384);
  readonly posCase = u8(16384);
  /** Spellings that case rules cannot rebuild from the folded token (ё, apostrophes, McName). */
  readonly #posSpelling = new Map<number, string>();
  readonly #idNumbers = new Map<string, number | number[]>();

  readonly datasets: string[] = [];
  readonly #datasetIdx = new Map<string, number>();
  readonly schemas: string[] = [];
  readonly #schemaIdx = new Map<string, number>();
  readonly countries: string[] = [];
  readonly #countryIdx = new Map<string, number>();

  readonly #postings = new Postings();
  #live = 0;
  /** Best accumulated weight of the retrieval in progress. */
  #best = 0;
  lastSeq = 0;

  // Retrieval scratch (one query at a time: Node runs one at a time).
  #acc = new Float32Array(0);
  #mark = new Uint32Array(0);
  #stamp = 0;

  /** Interns a folded token, analysing it the first time; returns its id (and the analysis when new). */
  tokenId(folded: string, analysis?: { info?: TokenInfo }): number {
    const slots = this.#tokenSlots;
    const mask = slots.length - 1;
    let slot = hashKey(folded) & mask;
    for (;;) {
      const id = slots[slot]!;
      if (id === -1) break;
      if (this.tokens[id]!.text === folded) return id;
      slot = (slot + 1) & mask;
    }
    const info = analyseToken(folded);
    if (analysis) analysis.info = info;
    const id = this.tokens.length;
    this.tokens.push(storeToken(info, this.tokenPool));
    slots[slot] = id;
    if (this.tokens.length * 2 > slots.length) {
      const next = new Int32Array(slots.length * 2).fill(-1);
      const nextMask = next.length - 1;
      for (let t = 0; t < this.tokens.length; t++) {
        let k = hashKey(this.tokens[t]!.text) & nextMask;
        while (next[k] !== -1) k = (k + 1) & nextMask;
        next[k] = t;
      }
      this.#tokenSlots = next;
    }
    return id;
  }

  /** Analysis of a query token (cached: bulk files repeat given names and patronymics). */
  analyse = (folded: string): TokenInfo => {
    let info = this.#queryCache.get(folded);
    if (!info) {
      info = analyseToken(folded);
      if (this.#queryCache.size >= 50_000) this.#queryCache.clear();
      this.#queryCache.set(folded, info);
    }
    return info;
  };

  #intern(map: Map<string, number>, list: string[], value: string): number {
    let id = map.get(value);
    if (id === undefined) {
      id = list.length;
      list.push(value);
      map.set(value, id);
    }
    return id;
  }

  /** 0 lower case, 1 capitalised, 2 capitals, 3 other (kept verbatim). */
  #caseOf(surface: string, folded: string): number {
    if (surface === folded) return 0;
    if (surface === folded.toUpperCase()) return 2;
    if (surface === folded[0]!.toUpperCase() + folded.slice(1)) return 1;
    return 3;
  }

  /** The stored spelling of the token at a position. */
  spellingAt(position: number): string {
    const text = this.tokens[this.posToken.data[position]!]!.text;
    switch (this.posCase.data[position]) {
      case 0:
        return text;
      case 1:
        return text[0]!.toUpperCase() + text.slice(1);
      case 2:
        return text.toUpperCase();
      default:
        return this.#posSpelling.get(position) ?? text;
    }
  }

  /** The facts `assignParts` needs, from a stored token (no re-analysis). */
  #storedInfo(id: number): TokenInfo {
    const token = this.tokens[id]!;
    const bits = token.bits;
    const ns = bits & 15;
    const np = (bits >> 4) & 15;
    const ng = (bits >> 8) & 15;
    const nt = (bits >> 12) & 15;
    const from = 2 * (ns + np);
    return {
      text: token.text,
      given: Array.from(this.tokenPool.data.subarray(token.at + from, token.at + from + ng)),
      patronymic: Array.from(this.tokenPool.data.subarray(token.at + from + ng, token.at + from + ng + nt)),
      patronymicShaped: (bits & (1 << 17)) !== 0,
      initial: (bits & (1 << 16)) !== 0,
    } as unknown as TokenInfo;
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
      // Through the token table: a token seen before is not analysed again.
      const prepared = prepareName(
        raw,
        (f) => {
          const fresh: { info?: TokenInfo } = {};
          const id = this.tokenId(f, fresh);
          return fresh.info ?? this.#storedInfo(id);
        },
        { strict: false, fuzzy: false },
      );
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
      this.nameTokStart.push(this.posToken.length);
      const count = Math.min(255, name.tokens.length);
      this.nameTokCount.push(count);
      for (let i = 0; i < count; i++) {
        const folded = name.folded[i]!;
        const id = this.tokenId(folded);
        const position = this.posToken.push(id);
        this.posPart.push(name.parts[i]!);
        const casing = this.#caseOf(name.tokens[i]!, folded);
        this.posCase.push(casing);
        if (casing === 3) this.#posSpelling.set(position, name.tokens[i]!);
        for (const key of storedKeys(this.#storedInfo(id), this.tokens[id]!)) keys.add(key);
      }
    }
    for (const key of keys) this.#postings.add(hashKey(key), doc);
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
    for (let i = start; i < start + count; i++) words.push(this.spellingAt(i));
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
    const groups: Array<{ probes: Array<[number, number, number]>; max: number }> = [];
    for (const name of query.names as PreparedName[]) {
      for (let t = 0; t < name.infos.length; t++) {
        const info = name.infos[t]!;
        if (seenTokens.has(info.text)) continue;
        seenTokens.add(info.text);
        const probes: Array<[number, number, number]> = [];
        const seenKeys = new Set<number>();
        for (const [key, factor] of queryKeys(info, name.fuzzy[t] ?? [])) {
          const hash = hashKey(key);
          if (seenKeys.has(hash)) continue;
          seenKeys.add(hash);
          const df = this.#postings.df(hash);
          if (df === 0 || df > maxDf) continue;
          probes.push([hash, factor * Math.log(1 + live / df), df]);
        }
        probes.sort((a, b) => b[1] - a[1]);
        if (probes.length > 0) groups.push({ probes, max: probes[0]![1] });
      }
    }
    // Rarest groups first. A document not yet seen can gain at most the weight of the probe at hand plus
    // the best of every later group; once that cannot reach the relative cut of the best document so
    // far, later (frequent) keys only add to documents already found, which spares walking long lists.
    groups.sort((a, b) => b.max - a.max);
    let remaining = 0;
    for (const group of groups) remaining += group.max;
    this.#best = 0;
    for (const group of groups) {
      remaining -= group.max;
      if (++this.#stamp >= 0xfffffffe) {
        mark.fill(0);
        this.#stamp = 1;
      }
      const stamp = this.#stamp;
      for (const [hash, weight, df] of group.probes) {
        if (weight + remaining >= this.#best * RELATIVE_CUT) {
          this.#postings.forEach(hash, (doc) =>
            this.#credit(doc, weight, stamp, touched, candidates, usable),
          );
        } else if (candidates.length * 20 < df) {
          for (const doc of candidates)
            if (mark[doc] !== stamp && this.#postings.has(hash, doc)) this.#addTo(doc, weight, stamp);
        } else {
          this.#postings.forEach(hash, (doc) => {
            const m = mark[doc]!;
            if (m !== 0 && m !== stamp && m !== 0xffffffff) this.#addTo(doc, weight, stamp);
          });
        }
      }
    }
    const idDocs = query.idNumbers.length > 0 ? this.docsWithIds(query.idNumbers).filter(usable) : [];
    const limit = filter.maxCandidates ?? 300;
    let chosen: number[];
    if (candidates.length <= limit) chosen = candidates;
    else chosen = topByScore(candidates, acc, limit);
    chosen.sort((a, b) => acc[b]! - acc[a]!);
    // Candidates far behind the best share only common keys (a frequent given name or patronymic):
    // they cannot reach a match when the best share rare ones. Keep a floor of the top few.
    if (chosen.length > MIN_CANDIDATES) {
      const cut = acc[chosen[0]!]! * RELATIVE_CUT;
      let keep = chosen.length;
      while (keep > MIN_CANDIDATES && acc[chosen[keep - 1]!]! < cut) keep--;
      chosen.length = keep;
    }
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
    this.#addTo(doc, weight, stamp);
  }

  /** Adds a probe's weight to a candidate (once per query token) and keeps the best total. */
  #addTo(doc: number, weight: number, stamp: number): void {
    this.#mark[doc] = stamp;
    const total = this.#acc[doc]! + weight;
    this.#acc[doc] = total;
    if (total > this.#best) this.#best = total;
  }

  /** Sizes, for benchmarks and diagnostics. */
  stats(): IndexStats {
    let bytes = this.#postings.bytes + this.#tokenSlots.byteLength + this.tokenPool.bytes;
    for (const g of [
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
      this.posToken,
      this.posPart,
      this.posCase,
    ])
      bytes += g.bytes;
    return {
      documents: this.docIds.length,
      liveDocuments: this.#live,
      names: this.nameTokStart.length,
      distinctTokens: this.tokens.length,
      distinctSurfaces: this.#posSpelling.size,
      keys: this.#postings.keys,
      postings: this.#postings.size,
      typedArrayBytes: bytes + this.#acc.byteLength + this.#mark.byteLength,
      lastSeq: this.lastSeq,
    };
  }

  /** Loads everything after `lastSeq` from the source; returns how many entities changed. */
  async refresh(source: CandidateSource, batchSize = 2000): Promise<number> {
    let changed = 0;
    // The first load lays postings out in one pass; later changes go to the postings' delta.
    const bulk = this.docIds.length === 0;
    if (bulk) this.#postings.beginBulk();
    try {
      for await (const batch of source.scanForIndex({ afterSeq: this.lastSeq, batchSize })) {
        for (let i = 0; i < batch.length; i++) {
          this.upsert(batch[i]!);
          // Indexing runs on the server's only thread (a batch of 2,000 takes about a second): waiting
          // requests get a turn every few hundred entities, as they do between batches.
          if (i % 250 === 249) await new Promise((resolve) => setImmediate(resolve));
        }
        changed += batch.length;
      }
    } finally {
      if (bulk) this.#postings.endBulk();
    }
    return changed;
  }

  /** Collects postings for a one-pass layout (callers that upsert many entities directly). */
  beginBulk(): void {
    this.#postings.beginBulk();
  }

  endBulk(): void {
    this.#postings.endBulk();
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
