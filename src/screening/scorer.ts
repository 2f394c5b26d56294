/**
 * Scoring of candidates. For each pair (query name, stored name) the tokens are aligned by part
 * (surname, given name, patronymic): order-aware but not order-bound — the best pairing wins, and
 * among equally good pairings the one keeping the order. Token similarities come from the rules in
 * tokens.ts (exact, transliteration scheme, skeleton, BE↔RU equivalence, phonetic, edit distance);
 * they are squared before weighting so a doubtful token costs more than its face value (a random
 * similar surname must not ride on a shared given name and patronymic). The best name pair gives the
 * name score; birth date, gender, nationality and identifiers then raise or lower it.
 */
import { detectCyrillicLanguage, foreignFormKind } from '../names/index.js';
import type { CandidateIndex } from './candidate-index.js';
import { compareDateLists, decodeDate, formatDate } from './dates.js';
import type { Explanation } from './model.js';
import { GIVEN, OTHER, PART_NAMES, PART_WEIGHTS, PATRONYMIC, type Part, SURNAME } from './parts.js';
import type { PreparedName, PreparedQuery } from './query.js';
import {
  analyseToken,
  compareStored,
  feminineBetween,
  schemeBetween,
  storedInitial,
  type TokenInfo,
} from './tokens.js';

/** Score effects of the qualifiers (tuned on the synthetic evaluation set). */
export const FEATURE_EFFECTS = {
  genderConflict: -0.2,
  nationalityMatch: 0.02,
  nationalityConflict: -0.05,
  identifierFloor: 0.85,
  /** Same given name and surname, another father: as firm as a conflicting birth date. */
  patronymicConflict: -0.35,
  patronymicMatch: 0.03,
} as const;

/** A patronymic pair scoring below this is another patronymic (another father); at or above PATRONYMIC_SAME, the same. */
const PATRONYMIC_OTHER = 0.5;
const PATRONYMIC_SAME = 0.85;

/** Below this, an edit-distance surname match counts as doubtful. */
const SURNAME_DOUBT = 0.75;

const RULES = [
  'none',
  'exact',
  'scheme',
  'skeleton',
  'equivalence:be-ru',
  'phonetic',
  'edit-distance',
  'initial',
  'equivalence:be-ru+edit-distance',
  'feminine-form',
];
const RULE_INDEX = new Map(RULES.map((r, i) => [r, i]));

/** How compatible a query part is with a stored part (parsing can be wrong both ways). */
function compatibility(a: Part, b: Part): number {
  if (a === b || a === OTHER || b === OTHER) return 1;
  if ((a === GIVEN && b === SURNAME) || (a === SURNAME && b === GIVEN)) return 0.85;
  if ((a === PATRONYMIC && b === SURNAME) || (a === SURNAME && b === PATRONYMIC)) return 0.75;
  return 0.5;
}

let SIMS = new Float64Array(256);
// Scratch of the alignment (queries have at most 12 tokens per name; see prepareName).
const USED_Q = new Uint8Array(16);
let USED_C = new Uint8Array(64);
const MATCH_Q = new Int32Array(16);
const SCORE_Q = new Float64Array(16);
const RULES_Q = new Uint8Array(16);
let RULE_BUF = new Uint8Array(256);

/** Per-query cache of token comparisons: query token × stored token id → score·16 + rule. */
export class ComparisonCache {
  // Open addressing over typed arrays: far cheaper than one Map per query token on the hot path.
  #size = 1 << 12;
  #keysQ = new Int32Array(this.#size).fill(-1);
  #keysT = new Int32Array(this.#size);
  #values = new Int32Array(this.#size);
  #used = 0;
  readonly #offsets: number[] = [];

  constructor(
    query: PreparedQuery,
    private readonly index: CandidateIndex,
  ) {
    let o = 0;
    for (const name of query.names) {
      this.#offsets.push(o);
      o += name.infos.length;
    }
  }

  /** Offset of a query name's first token in the flat cache. */
  offset(nameIndex: number): number {
    return this.#offsets[nameIndex] ?? 0;
  }

  compare(flat: number, info: TokenInfo, fuzzy: readonly number[], tokenId: number): number {
    const mask = this.#size - 1;
    let slot = (Math.imul(tokenId, 0x9e3779b1) + flat * 7919) & mask;
    for (;;) {
      const q = this.#keysQ[slot]!;
      if (q === -1) break;
      if (q === flat && this.#keysT[slot] === tokenId) return this.#values[slot]!;
      slot = (slot + 1) & mask;
    }
    const result = compareStored(info, this.index.tokens[tokenId]!, this.index.tokenPool.data, fuzzy);
    const packed = Math.round(result.score * 10000) * 16 + (RULE_INDEX.get(result.rule) ?? 0);
    this.#keysQ[slot] = flat;
    this.#keysT[slot] = tokenId;
    this.#values[slot] = packed;
    if (++this.#used * 2 > this.#size) this.#grow();
    return packed;
  }

  #grow(): void {
    const keysQ = this.#keysQ;
    const keysT = this.#keysT;
    const values = this.#values;
    this.#size *= 2;
    this.#keysQ = new Int32Array(this.#size).fill(-1);
    this.#keysT = new Int32Array(this.#size);
    this.#values = new Int32Array(this.#size);
    const mask = this.#size - 1;
    for (let i = 0; i < keysQ.length; i++) {
      const q = keysQ[i]!;
      if (q === -1) continue;
      let slot = (Math.imul(keysT[i]!, 0x9e3779b1) + q * 7919) & mask;
      while (this.#keysQ[slot] !== -1) slot = (slot + 1) & mask;
      this.#keysQ[slot] = q;
      this.#keysT[slot] = keysT[i]!;
      this.#values[slot] = values[i]!;
    }
  }
}

/** Outcome of aligning one query name with one stored name. */
export interface NameAlignment {
  score: number;
  /** Both names carry a patronymic: 1 the same, -1 another father, 0 neither or undecided (e.g. an initial). */
  patronymic: -1 | 0 | 1;
  /** For each query token: the stored token position (or -1), token score, rule index. */
  pairs: Array<{ q: number; c: number; score: number; rule: number }>;
}

/**
 * Aligns a query name with a stored name (tokens at `start..start+count` of the index) greedily on
 * weighted, part-compatible similarities; returns the name score in 0..1.
 */
export function alignName(
  query: PreparedName,
  queryOffset: number,
  index: CandidateIndex,
  start: number,
  count: number,
  cache: ComparisonCache,
  withPairs: boolean,
): NameAlignment {
  const n = query.infos.length;
  const m = count;
  // Similarity matrix (n ≤ 12, m ≤ 255 but usually ≤ 4).
  if (SIMS.length < n * m) {
    SIMS = new Float64Array(n * m * 2);
    RULE_BUF = new Uint8Array(n * m * 2);
  }
  const sims = SIMS;
  const rules = RULE_BUF;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const tokenId = index.posToken.data[start + j]!;
      const packed = cache.compare(queryOffset + i, query.infos[i]!, query.fuzzy[i]!, tokenId);
      const score = Math.floor(packed / 16) / 10000;
      rules[i * m + j] = packed % 16;
      const part = index.posPart.data[start + j]! as Part;
      sims[i * m + j] = score * compatibility(query.parts[i]!, part);
    }
  }
  if (USED_C.length < m) USED_C = new Uint8Array(m * 2);
  const usedQ = USED_Q.fill(0, 0, n);
  const usedC = USED_C.fill(0, 0, m);
  const matchQ = MATCH_Q.fill(-1, 0, n);
  const scoreQ = SCORE_Q.fill(0, 0, n);
  const rulesQ = RULES_Q.fill(0, 0, n);
  for (let step = 0; step < Math.min(n, m); step++) {
    let best = 0;
    let bi = -1;
    let bj = -1;
    for (let i = 0; i < n; i++) {
      if (usedQ[i]) continue;
      const w = PART_WEIGHTS[query.parts[i]!]!;
      for (let j = 0; j < m; j++) {
        if (usedC[j]) continue;
        // Weighted similarity; a hair more for keeping the order, to break ties.
        const v = sims[i * m + j]! * w + (i === j ? 1e-6 : 0);
        if (v > best) {
          best = v;
          bi = i;
          bj = j;
        }
      }
    }
    if (bi < 0 || sims[bi * m + bj]! < 0.3) break;
    usedQ[bi] = 1;
    usedC[bj] = 1;
    matchQ[bi] = bj;
    scoreQ[bi] = sims[bi * m + bj]!;
    rulesQ[bi] = rules[bi * m + bj]!;
  }
  let numerator = 0;
  let denominator = 0;
  let candidateHasPatronymic = false;
  const matchedParts = new Set<number>();
  for (let j = 0; j < m; j++) if (index.posPart.data[start + j] === PATRONYMIC) candidateHasPatronymic = true;
  for (let i = 0; i < n; i++) {
    const part = query.parts[i]!;
    const w = PART_WEIGHTS[part]!;
    if (matchQ[i]! < 0 && part === PATRONYMIC && !candidateHasPatronymic) continue;
    let s = scoreQ[i]!;
    // A surname that is only "rather similar" is another surname: it must not ride on the rest.
    if (part === SURNAME && s < SURNAME_DOUBT && RULES[rulesQ[i]!] === 'edit-distance') s *= 0.6;
    numerator += w * s * s;
    denominator += w;
    if (matchQ[i]! >= 0) matchedParts.add(index.posPart.data[start + matchQ[i]!]!);
  }
  // Stored surname or given name with nothing against it: the query is less specific than the record.
  for (let j = 0; j < m; j++) {
    if (usedC[j]) continue;
    const part = index.posPart.data[start + j]! as Part;
    if (part === PATRONYMIC) continue;
    if (storedInitial(index.tokens[index.posToken.data[start + j]!]!)) continue;
    denominator += PART_WEIGHTS[part]! * (matchedParts.has(part) ? 0.5 : 1);
  }
  const score = denominator > 0 ? numerator / denominator : 0;
  // The patronymic as evidence of its own: the best pairing of a query patronymic with a stored one.
  let patronymic: NameAlignment['patronymic'] = 0;
  // Only a full three-part query says "patronymic" with confidence (a two-word query's -ovich word is as likely a
  // surname), and a query word the alignment gave to a stored surname or given name is not a patronymic.
  if (candidateHasPatronymic && n >= 3) {
    let bestPatronymic = -1;
    let bestRule = 0;
    for (let i = 0; i < n; i++) {
      if (query.parts[i] !== PATRONYMIC) continue;
      if (matchQ[i]! >= 0 && index.posPart.data[start + matchQ[i]!] !== PATRONYMIC) continue;
      for (let j = 0; j < m; j++) {
        if (index.posPart.data[start + j] !== PATRONYMIC || sims[i * m + j]! <= bestPatronymic) continue;
        bestPatronymic = sims[i * m + j]!;
        bestRule = rules[i * m + j]!;
      }
    }
    if (bestPatronymic >= 0 && RULES[bestRule] !== 'initial')
      patronymic = bestPatronymic < PATRONYMIC_OTHER ? -1 : bestPatronymic >= PATRONYMIC_SAME ? 1 : 0;
  }
  const pairs: NameAlignment['pairs'] = [];
  if (withPairs) {
    for (let i = 0; i < n; i++) {
      const j = matchQ[i]!;
      pairs.push({ q: i, c: j, score: scoreQ[i]!, rule: j >= 0 ? rules[i * m + j]! : 0 });
    }
  }
  return { score, patronymic, pairs };
}

/** A scored candidate. */
export interface ScoredCandidate {
  doc: number;
  score: number;
  nameScore: number;
  /** Best alignment: query name index, stored name start/count. */
  best: { queryName: number; start: number; count: number } | null;
  features: Record<string, number>;
  notes: string[];
}

/** Scores one candidate document against a prepared query. */
export function scoreCandidate(
  query: PreparedQuery,
  doc: number,
  index: CandidateIndex,
  cache: ComparisonCache,
  details = true,
): ScoredCandidate {
  let nameScore = 0;
  let patronymic: NameAlignment['patronymic'] = 0;
  let best: ScoredCandidate['best'] = null;
  for (let q = 0; q < query.names.length; q++) {
    const name = query.names[q]!;
    const offset = cache.offset(q);
    const first = index.docNameStart.data[doc]!;
    const last = first + index.docNameCount.data[doc]!;
    for (let k = first; k < last; k++) {
      const start = index.nameTokStart.data[k]!;
      const count = index.nameTokCount.data[k]!;
      const aligned = alignName(name, offset, index, start, count, cache, false);
      if (aligned.score > nameScore) {
        nameScore = aligned.score;
        patronymic = aligned.patronymic;
        best = { queryName: q, start, count };
      }
    }
  }
  // Features and notes are built only for results shown: hundreds of candidates per query are not.
  const features: Record<string, number> = details ? { name: round(nameScore) } : NO_FEATURES;
  const notes: string[] = details ? [] : NO_NOTES;
  let score = nameScore;

  if (patronymic !== 0) {
    const effect = patronymic < 0 ? FEATURE_EFFECTS.patronymicConflict : FEATURE_EFFECTS.patronymicMatch;
    score += effect;
    if (details) {
      features.patronymic = effect;
      notes.push(patronymic < 0 ? 'patronymic differs: another father' : 'patronymic matches');
    }
  }
  if (query.dates.length > 0) {
    const stored = index.docDates(doc);
    const relation = compareDateLists(query.dates, stored);
    if (relation) {
      score += relation.effect;
      if (details) {
        features.birthDate = relation.effect;
        notes.push(
          `birth date ${formatDate(decodeDate(relation.query))} vs ${formatDate(decodeDate(relation.candidate))}: ${relation.relation}`,
        );
      }
    }
  }
  if (query.gender !== 0) {
    const stored = index.docGender.data[doc]!;
    if (stored !== 0 && stored !== query.gender) {
      score += FEATURE_EFFECTS.genderConflict;
      if (details) {
        features.gender = FEATURE_EFFECTS.genderConflict;
        notes.push('gender differs');
      }
    }
  }
  if (query.nationalities.length > 0) {
    const stored = index.docCountries(doc);
    if (stored.length > 0) {
      const overlap = stored.some((c) => query.nationalities.includes(c));
      const effect = overlap ? FEATURE_EFFECTS.nationalityMatch : FEATURE_EFFECTS.nationalityConflict;
      score += effect;
      if (details) {
        features.nationality = effect;
        notes.push(overlap ? 'nationality agrees' : 'nationality differs');
      }
    }
  }
  if (query.idNumbers.length > 0 && index.docHasId(doc, query.idNumbers)) {
    const floor = FEATURE_EFFECTS.identifierFloor + (1 - FEATURE_EFFECTS.identifierFloor) * nameScore;
    if (details) {
      features.identifier = round(Math.max(0, floor - score));
      notes.push('identifier matches exactly');
    }
    score = Math.max(score, floor);
  }
  return { doc, score: round(Math.min(1, Math.max(0, score))), nameScore, best, features, notes };
}

const NO_FEATURES: Record<string, number> = Object.freeze({}) as Record<string, number>;
const NO_NOTES: string[] = Object.freeze([]) as unknown as string[];

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Builds the human-readable explanation of a scored candidate (for the results shown). */
export function explain(
  query: PreparedQuery,
  scored: ScoredCandidate,
  index: CandidateIndex,
  cache: ComparisonCache,
): Explanation[] {
  if (!scored.best) {
    return [
      {
        queryName: query.names[0]?.raw ?? '',
        matchedName: '',
        nameScore: 0,
        tokens: [],
        features: scored.features,
        notes: scored.notes,
      },
    ];
  }
  const { queryName, start, count } = scored.best;
  const name = query.names[queryName]!;
  const aligned = alignName(name, cache.offset(queryName), index, start, count, cache, true);
  const notes = [...scored.notes];
  const tokens = aligned.pairs.map((pair) => {
    const info = name.infos[pair.q]!;
    let rule = RULES[pair.rule] ?? 'none';
    let matched: string | null = null;
    if (pair.c >= 0) {
      const position = start + pair.c;
      matched = index.spellingAt(position);
      if (rule === 'scheme') {
        const stored = analyseToken(index.tokens[index.posToken.data[position]!]!.text);
        const scheme = schemeBetween(info, stored, detectCyrillicLanguage(index.nameText(start, count)));
        rule = scheme ? `scheme:${scheme}` : 'skeleton';
      } else if (rule === 'feminine-form') {
        const stored = analyseToken(index.tokens[index.posToken.data[position]!]!.text);
        const feminine = feminineBetween(info, stored);
        if (feminine) {
          rule = `${foreignFormKind(feminine.rule)}:${feminine.rule}`;
          notes.push(feminine.detail);
        }
      }
    } else rule = 'unmatched';
    return {
      query: name.tokens[pair.q]!,
      matched,
      part: PART_NAMES[name.parts[pair.q]!]!,
      rule,
      score: round(pair.score),
    };
  });
  return [
    {
      queryName: name.raw,
      matchedName: index.nameText(start, count),
      nameScore: round(aligned.score),
      tokens,
      features: scored.features,
      notes,
    },
  ];
}
