/**
 * The resolver's pure rules: how a pair is oriented, how several decisions between two clusters combine,
 * how clusters fall apart into connected components, and how canonical ids are made. No I/O.
 */
import { randomBytes } from 'node:crypto';
import type { EffectiveJudgement, Judgement } from './model.js';

/**
 * Orders two ids as the resolver stores them: `[target, source]` with target > source by UTF-8 bytes
 * (PostgreSQL's "C" collation, which the table's check constraint uses). Throws on a self-pair.
 */
export function orient(a: string, b: string): [target: string, source: string] {
  const order = Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  if (order === 0) throw new RangeError('self-pair');
  return order > 0 ? [a, b] : [b, a];
}

/**
 * How the blocking decisions between two clusters combine. Written out rather than borrowed: in
 * nomenklatura negative + negative gives unsure, in Aleph any negative wins. Ours: one negative anywhere
 * between the two clusters makes them different (someone compared and said no); otherwise an unsure
 * keeps them apart without saying they differ; nothing means no judgement yet.
 */
export function combineBlockers(found: Iterable<Judgement>): EffectiveJudgement {
  let result: EffectiveJudgement = 'no_judgement';
  for (const judgement of found) {
    if (judgement === 'negative') return 'negative';
    if (judgement === 'unsure') result = 'unsure';
  }
  return result;
}

/** Connected components of `nodes` under `edges` (union-find); each component sorted, largest first. */
export function components(nodes: Iterable<string>, edges: Iterable<readonly [string, string]>): string[][] {
  const parent = new Map<string, string>();
  for (const node of nodes) parent.set(node, node);
  const find = (node: string): string => {
    let root = node;
    while (parent.get(root)! !== root) root = parent.get(root)!;
    let current = node;
    while (current !== root) {
      const next = parent.get(current)!;
      parent.set(current, root);
      current = next;
    }
    return root;
  };
  for (const [a, b] of edges) {
    if (!parent.has(a) || !parent.has(b)) continue;
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  }
  const groups = new Map<string, string[]>();
  for (const node of parent.keys()) {
    const root = find(node);
    const group = groups.get(root);
    if (group) group.push(node);
    else groups.set(root, [node]);
  }
  return [...groups.values()]
    .map((group) => group.sort())
    .sort((a, b) => b.length - a.length || (a[0]! < b[0]! ? -1 : 1));
}

const ALPHABET = '0123456789abcdefghijkmnpqrstuvwxyz';

/** A new canonical cluster id: `sv-` and 16 random characters (about 81 bits), never reused. */
export function newClusterId(): string {
  const bytes = randomBytes(16);
  let out = 'sv-';
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return out;
}

/** True for an id the resolver minted for a cluster. */
export function isClusterId(id: string): boolean {
  return /^sv-[0-9a-z]{16}$/.test(id);
}
