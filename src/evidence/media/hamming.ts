/** Number of set bits in a 32-bit integer. */
export function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Splits a 16-hex-digit hash into its high and low 32-bit halves; throws on anything else. */
export function splitHash(hash: string): [number, number] {
  if (!/^[0-9a-fA-F]{16}$/.test(hash)) throw new RangeError(`not a 64-bit hex hash: ${hash}`);
  return [Number.parseInt(hash.slice(0, 8), 16), Number.parseInt(hash.slice(8), 16)];
}

/** Number of differing bits between two 64-bit hex hashes (0 = same, about 32 = unrelated images). */
export function hamming(a: string, b: string): number {
  const [ah, al] = splitHash(a);
  const [bh, bl] = splitHash(b);
  return popcount32((ah ^ bh) >>> 0) + popcount32((al ^ bl) >>> 0);
}
