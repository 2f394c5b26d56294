/**
 * Name-matching micro-benchmark: `tokenKeys` and `compareTokens` (src/names) on synthetic Belarusian
 * and Russian name tokens in Cyrillic and several romanizations, against a naive same-run baseline
 * (lower case + plain Levenshtein). Prints tokens/s (or pairs/s) of each and the ratio.
 * Cold = first sight of each token (analysis computed), warm = memoised analysis.
 *
 * Usage: npx tsx bench/names.bench.ts [tokens=20000] [pairs=200000]
 */
import {
  ALL_SCHEMES,
  clearTokenCache,
  compareTokens,
  dictionaryIndex,
  GIVEN_NAMES,
  levenshtein,
  romanize,
  tokenKeys,
} from '../src/names/index.js';

const TOKENS = Number(process.argv[2] ?? 20_000);
const PAIRS = Number(process.argv[3] ?? 200_000);

let state = 0x2545f491;
function rand(n: number): number {
  state ^= state << 13;
  state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5;
  state >>>= 0;
  return state % n;
}
const pick = <T>(list: readonly T[]): T => list[rand(list.length)]!;

// Synthetic surnames: Belarusian-looking stems and endings (no real persons).
const ONSETS = [
  'б',
  'в',
  'г',
  'д',
  'ж',
  'з',
  'к',
  'л',
  'м',
  'н',
  'п',
  'р',
  'с',
  'т',
  'ц',
  'ч',
  'ш',
  'дз',
  'х',
];
const VOWELS = ['а', 'е', 'і', 'о', 'у', 'ы', 'я', 'ю', 'э'];
const ENDINGS = [
  'енка',
  'аў',
  'оў',
  'еўскі',
  'скі',
  'ская',
  'ава',
  'овіч',
  'евіч',
  'ук',
  'ёнак',
  'ін',
  'іна',
  'ец',
];
function surname(): string {
  let s = '';
  const syllables = 1 + rand(3);
  for (let i = 0; i < syllables; i++) s += pick(ONSETS) + pick(VOWELS);
  s += pick(ENDINGS);
  return s[0]!.toUpperCase() + s.slice(1);
}

function makeTokens(count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const cyrillic = rand(3) === 0 ? pick(pick(GIVEN_NAMES).be) : surname();
    const r = rand(4);
    out.push(r === 0 ? cyrillic : romanize(cyrillic, pick(ALL_SCHEMES).id));
  }
  return out;
}

function rate(count: number, ms: number): number {
  return (count / ms) * 1000;
}

function time(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

const buildMs = time(() => dictionaryIndex());
console.log(
  `dictionary index build: ${buildMs.toFixed(0)} ms (${GIVEN_NAMES.length} given names, once per process)`,
);

const tokens = makeTokens(TOKENS);
const unique = new Set(tokens).size;

clearTokenCache();
let sink = 0;
const keysCold = time(() => {
  for (const t of tokens) sink += tokenKeys(t).length;
});
const keysWarm = time(() => {
  for (const t of tokens) sink += tokenKeys(t).length;
});
const naiveKeys = time(() => {
  for (const t of tokens) sink += t.toLowerCase().normalize('NFKC').length;
});
console.log(
  `tokens: ${fmt(TOKENS)} (${fmt(unique)} distinct), avg keys/token ${(sink / TOKENS / 2).toFixed(1)}`,
);
console.log(`tokenKeys cold:  ${fmt(rate(TOKENS, keysCold))} tokens/s`);
console.log(`tokenKeys warm:  ${fmt(rate(TOKENS, keysWarm))} tokens/s`);
console.log(`baseline (lowercase+NFKC key): ${fmt(rate(TOKENS, naiveKeys))} tokens/s`);
console.log(
  `ratio tokenKeys warm / baseline: ${(rate(TOKENS, keysWarm) / rate(TOKENS, naiveKeys)).toFixed(3)}`,
);

const pairs: Array<[string, string]> = [];
for (let i = 0; i < PAIRS; i++) pairs.push([pick(tokens), pick(tokens)]);
const compareMs = time(() => {
  for (const [a, b] of pairs) sink += compareTokens(a, b).score;
});
const naiveMs = time(() => {
  for (const [a, b] of pairs) {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    sink += 1 - levenshtein(x, y) / Math.max(x.length, y.length, 1);
  }
});
console.log(`compareTokens (warm): ${fmt(rate(PAIRS, compareMs))} pairs/s`);
console.log(`baseline (lowercase + Levenshtein): ${fmt(rate(PAIRS, naiveMs))} pairs/s`);
console.log(`ratio compareTokens / baseline: ${(rate(PAIRS, compareMs) / rate(PAIRS, naiveMs)).toFixed(3)}`);
// 1 query = ~4 tokens × ~50 candidates scored: per-query cost of comparisons.
console.log(
  `per query (4 tokens × 50 candidates × 3 aligned parts ≈ 600 comparisons): ${((compareMs / PAIRS) * 600).toFixed(2)} ms`,
);
if (sink === Number.NEGATIVE_INFINITY) console.log(sink);
