/**
 * Judgements as JSON lines in nomenklatura's resolver format (`nk dump-resolver` / `nk load-resolver`):
 * one array a line, `[target, source, judgement, score, user, created_at]`, so a file moves between
 * Sviedka and OpenSanctions tooling and can be kept under version control. Reading also accepts an
 * object a line with those keys. Suggestions (`no_judgement`) and deleted edges (a seventh element) are
 * skipped, as nomenklatura's own loader would never see them.
 */
import type { Judgement } from './model.js';

export interface JudgementLine {
  target: string;
  source: string;
  judgement: Judgement;
  score: number | null;
  user: string;
  createdAt: Date | null;
}

export type ParsedLine =
  | { kind: 'edge'; edge: JudgementLine }
  | { kind: 'skip'; why: 'no_judgement' | 'deleted' }
  | { kind: 'error'; reason: string };

const MAX_ID = 512;

function validId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_ID &&
    !/[\u0000-\u001f\u007f]/.test(value) &&
    value.trim() === value
  );
}

/** Timestamp of nomenklatura (ISO without zone, UTC) or with a zone; null when absent or unreadable. */
function parseTime(value: unknown): Date | null {
  if (typeof value !== 'string' || value.length < 10) return null;
  const zoned = /[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`;
  const date = new Date(zoned);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Reads one line. Blank lines are the caller's business. */
export function parseJudgementLine(text: string): ParsedLine {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return {
      kind: 'error',
      reason: `not JSON: ${error instanceof Error ? error.message.slice(0, 200) : 'parse error'}`,
    };
  }
  let fields: {
    target: unknown;
    source: unknown;
    judgement: unknown;
    score: unknown;
    user: unknown;
    created: unknown;
    deleted: unknown;
  };
  if (Array.isArray(data)) {
    if (data.length < 3)
      return { kind: 'error', reason: 'an array line needs at least target, source and judgement' };
    fields = {
      target: data[0],
      source: data[1],
      judgement: data[2],
      score: data[3],
      user: data[4],
      created: data[5],
      deleted: data[6],
    };
  } else if (data && typeof data === 'object') {
    const o = data as Record<string, unknown>;
    fields = {
      target: o.target,
      source: o.source,
      judgement: o.judgement,
      score: o.score,
      user: o.user,
      created: o.created_at,
      deleted: o.deleted_at,
    };
  } else return { kind: 'error', reason: 'a line must be a JSON array or object' };

  if (!validId(fields.target) || !validId(fields.source))
    return { kind: 'error', reason: `target and source must be ids of 1–${MAX_ID} characters` };
  if (fields.target === fields.source) return { kind: 'error', reason: 'target and source are the same id' };
  if (fields.deleted !== undefined && fields.deleted !== null) return { kind: 'skip', why: 'deleted' };
  if (fields.judgement === 'no_judgement') return { kind: 'skip', why: 'no_judgement' };
  if (fields.judgement !== 'positive' && fields.judgement !== 'negative' && fields.judgement !== 'unsure')
    return { kind: 'error', reason: 'judgement must be positive, negative, unsure or no_judgement' };
  let score: number | null = null;
  if (fields.score !== undefined && fields.score !== null) {
    if (typeof fields.score !== 'number' || !Number.isFinite(fields.score))
      return { kind: 'error', reason: 'score must be a number or null' };
    score = fields.score;
  }
  const user =
    typeof fields.user === 'string' && fields.user.trim().length > 0
      ? fields.user.trim().slice(0, 200)
      : 'import';
  return {
    kind: 'edge',
    edge: {
      target: fields.target,
      source: fields.source,
      judgement: fields.judgement,
      score,
      user,
      createdAt: parseTime(fields.created),
    },
  };
}

/** One line of nomenklatura's format for a live decision. */
export function formatJudgementLine(edge: {
  target: string;
  source: string;
  judgement: Judgement;
  score: number | null;
  user: string;
  createdAt: Date;
}): string {
  // nomenklatura writes naive UTC timestamps (datetime.isoformat()), which its loader compares as text.
  const created = edge.createdAt.toISOString().slice(0, 23);
  return `${JSON.stringify([edge.target, edge.source, edge.judgement, edge.score, edge.user, created])}\n`;
}
