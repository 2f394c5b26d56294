/**
 * Append-only typed arrays that double their capacity. The candidate index keeps millions of
 * postings and token positions in these instead of JS arrays of objects (4 bytes a value, no headers).
 */

type TypedArray = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float32Array;
type TypedArrayConstructor<T extends TypedArray> = new (length: number) => T;

/** A growable typed array of one element type. */
export class Growable<T extends TypedArray> {
  data: T;
  length = 0;
  readonly #ctor: TypedArrayConstructor<T>;

  constructor(ctor: TypedArrayConstructor<T>, capacity = 16) {
    this.#ctor = ctor;
    this.data = new ctor(Math.max(1, capacity));
  }

  /** Appends one value; returns its index. */
  push(value: number): number {
    if (this.length === this.data.length) this.#grow(this.length + 1);
    this.data[this.length] = value;
    return this.length++;
  }

  /** Value at `index` (no bounds check beyond the typed array's). */
  get(index: number): number {
    return this.data[index]!;
  }

  set(index: number, value: number): void {
    this.data[index] = value;
  }

  #grow(minimum: number): void {
    let capacity = this.data.length;
    while (capacity < minimum) capacity = capacity < 1 << 20 ? capacity * 2 : Math.ceil(capacity * 1.5);
    const next = new this.#ctor(capacity);
    next.set(this.data as never);
    this.data = next;
  }

  /** Bytes held (capacity, not length). */
  get bytes(): number {
    return this.data.byteLength;
  }
}

export const u8 = (capacity?: number) => new Growable(Uint8Array, capacity);
export const u16 = (capacity?: number) => new Growable(Uint16Array, capacity);
export const u32 = (capacity?: number) => new Growable(Uint32Array, capacity);
export const i32 = (capacity?: number) => new Growable(Int32Array, capacity);

/** FNV-1a 32-bit hash of a string: index keys are stored as integers, not strings. */
export function hashKey(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
