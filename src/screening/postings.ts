/**
 * Inverted lists of the candidate index, laid out for memory: keys are 32-bit hashes in an
 * open-addressing table of typed arrays (no JS object per key), documents of all keys sit in one
 * compressed-sparse-row array (offsets + docs) built in one pass after the initial load, and later
 * changes go to a small delta map that is merged back into the arrays when it grows.
 */
import { u32 } from './growable.js';

const EMPTY = -1;

export class Postings {
  // Key table: hash → key number.
  #slotHash = new Uint32Array(1 << 16);
  #slotKey = new Int32Array(1 << 16).fill(EMPTY);
  #keyHash = u32(1 << 15);
  // CSR: documents of key k are docs[offsets[k] .. offsets[k + 1]).
  #offsets = new Uint32Array(1);
  #docs = new Uint32Array(0);
  // Pending pairs (bulk load) and the delta of later changes.
  #pendingKeys = u32(1 << 16);
  #pendingDocs = u32(1 << 16);
  #delta = new Map<number, number[]>();
  #deltaCount = 0;
  #bulk = false;

  /** Number of distinct keys. */
  get keys(): number {
    return this.#keyHash.length;
  }

  /** Number of postings. */
  get size(): number {
    return this.#docs.length + this.#pendingDocs.length + this.#deltaCount;
  }

  /** Bytes held by the typed arrays (the delta map is small by construction). */
  get bytes(): number {
    return (
      this.#slotHash.byteLength +
      this.#slotKey.byteLength +
      this.#keyHash.bytes +
      this.#offsets.byteLength +
      this.#docs.byteLength +
      this.#pendingKeys.bytes +
      this.#pendingDocs.bytes
    );
  }

  /** From now until `endBulk`, postings are collected as pairs and laid out in one pass. */
  beginBulk(): void {
    this.#bulk = true;
  }

  endBulk(): void {
    this.#bulk = false;
    this.#compact();
  }

  #find(hash: number): number {
    const mask = this.#slotHash.length - 1;
    let slot = Math.imul(hash, 0x9e3779b1) >>> 0;
    slot &= mask;
    for (;;) {
      const key = this.#slotKey[slot]!;
      if (key === EMPTY || this.#slotHash[slot] === hash) return slot;
      slot = (slot + 1) & mask;
    }
  }

  #keyOf(hash: number, create: boolean): number {
    const slot = this.#find(hash);
    const existing = this.#slotKey[slot]!;
    if (existing !== EMPTY || !create) return existing;
    const key = this.#keyHash.push(hash);
    this.#slotHash[slot] = hash;
    this.#slotKey[slot] = key;
    if (this.#keyHash.length * 2 > this.#slotHash.length) this.#rehash();
    return key;
  }

  #rehash(): void {
    const size = this.#slotHash.length * 2;
    this.#slotHash = new Uint32Array(size);
    this.#slotKey = new Int32Array(size).fill(EMPTY);
    for (let key = 0; key < this.#keyHash.length; key++) {
      const hash = this.#keyHash.data[key]!;
      const slot = this.#find(hash);
      this.#slotHash[slot] = hash;
      this.#slotKey[slot] = key;
    }
  }

  /** Adds a posting; a document is added to a key at most once in a row (callers dedupe per doc). */
  add(hash: number, doc: number): void {
    const key = this.#keyOf(hash, true);
    if (this.#bulk) {
      this.#pendingKeys.push(key);
      this.#pendingDocs.push(doc);
      return;
    }
    let list = this.#delta.get(key);
    if (!list) {
      list = [];
      this.#delta.set(key, list);
    }
    list.push(doc);
    this.#deltaCount++;
    if (this.#deltaCount > Math.max(200_000, this.#docs.length / 8)) this.#compact();
  }

  /** Document frequency of a key hash. */
  df(hash: number): number {
    const key = this.#keyOf(hash, false);
    if (key === EMPTY) return 0;
    const base = key + 1 < this.#offsets.length ? this.#offsets[key + 1]! - this.#offsets[key]! : 0;
    return base + (this.#delta.get(key)?.length ?? 0);
  }

  /** Calls `visit` for every document of a key hash. */
  forEach(hash: number, visit: (doc: number) => void): void {
    const key = this.#keyOf(hash, false);
    if (key === EMPTY) return;
    if (key + 1 < this.#offsets.length) {
      const docs = this.#docs;
      const end = this.#offsets[key + 1]!;
      for (let i = this.#offsets[key]!; i < end; i++) visit(docs[i]!);
    }
    const extra = this.#delta.get(key);
    if (extra) for (const doc of extra) visit(doc);
  }

  /**
   * Whether a key hash lists a document: binary search in its run. Runs are ascending because document
   * numbers only grow (a changed entity gets a new number), and the delta is appended in that order.
   */
  has(hash: number, doc: number): boolean {
    const key = this.#keyOf(hash, false);
    if (key === EMPTY) return false;
    if (key + 1 < this.#offsets.length) {
      const docs = this.#docs;
      let lo = this.#offsets[key]!;
      let hi = this.#offsets[key + 1]! - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const value = docs[mid]!;
        if (value === doc) return true;
        if (value < doc) lo = mid + 1;
        else hi = mid - 1;
      }
    }
    const extra = this.#delta.get(key);
    return extra?.includes(doc) ?? false;
  }

  /** Merges pending pairs and the delta into the CSR arrays (counting sort by key, stable by doc). */
  #compact(): void {
    const keys = this.#keyHash.length;
    const counts = new Uint32Array(keys + 1);
    const oldOffsets = this.#offsets;
    const oldKeys = oldOffsets.length - 1;
    for (let k = 0; k < oldKeys; k++) counts[k + 1] = oldOffsets[k + 1]! - oldOffsets[k]!;
    const pk = this.#pendingKeys.data;
    const pendingCount = this.#pendingKeys.length;
    for (let i = 0; i < pendingCount; i++) counts[pk[i]! + 1]!++;
    for (const [key, list] of this.#delta) counts[key + 1]! += list.length;
    for (let k = 0; k < keys; k++) counts[k + 1]! += counts[k]!;
    const offsets = counts;
    const docs = new Uint32Array(offsets[keys]!);
    const fill = offsets.slice(0, keys);
    for (let k = 0; k < oldKeys; k++) {
      const start = oldOffsets[k]!;
      const end = oldOffsets[k + 1]!;
      docs.set(this.#docs.subarray(start, end), fill[k]!);
      fill[k]! += end - start;
    }
    const pd = this.#pendingDocs.data;
    for (let i = 0; i < pendingCount; i++) {
      const k = pk[i]!;
      docs[fill[k]!++] = pd[i]!;
    }
    for (const [key, list] of this.#delta) for (const doc of list) docs[fill[key]!++] = doc;
    this.#offsets = offsets;
    this.#docs = docs;
    this.#pendingKeys = u32(1024);
    this.#pendingDocs = u32(1024);
    this.#delta = new Map();
    this.#deltaCount = 0;
  }
}
