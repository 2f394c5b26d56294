/**
 * Xref runs: every entity of a dataset screened against other datasets with the screening matcher (the
 * same Belarus-aware keys, identifiers, birth dates and scorer), the best few candidates per entity
 * kept as pairs for review, pairs already decided skipped, and the identifier rule applied where the
 * datasets allow it. A run commits page by page (candidates and progress together) under a lease, so a
 * killed run resumes where it stopped; a re-run compares only what changed since the last one.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { AuditService } from '../platform/audit/service.js';
import type { Principal } from '../platform/auth/model.js';
import { actorOf } from '../platform/auth/service.js';
import { AppError } from '../platform/errors.js';
import { orient } from './judgement.js';
import type { MatcherCandidate, XrefDataset, XrefEntity, XrefMatcher, XrefRegistry } from './ports.js';
import type { Decision, ResolverService, ResolverSnapshot } from './resolver.js';
import { identifierRule } from './rules.js';
import type { CandidateWrite, RunRow, RunStore } from './runs-store.js';

export interface RunParams {
  /** Candidates kept per entity. */
  topK: number;
  /** Candidates scoring below this are not suggested. */
  minScore: number;
}

export const DEFAULT_RUN_PARAMS: RunParams = { topK: 5, minScore: 0.5 };
const PAGE = 200;
const LEASE_SECONDS = 120;
const RULE_USER = 'sviedka/xref-rule';

/** A run as the CLI and the web app show it. */
export interface RunView {
  id: string;
  dataset: { id: string; name: string };
  against: Array<{ id: string; name: string }>;
  againstAll: boolean;
  state: RunRow['state'];
  phase: 'forward' | 'reverse';
  incremental: boolean;
  total: number;
  done: number;
  suggested: number;
  autoDecided: number;
  skipped: number;
  params: RunParams;
  /** Entities compared per second so far, and the seconds left at that rate. */
  rate: number | null;
  etaSeconds: number | null;
  error: string | null;
  createdBy: string;
  startedAt: string | null;
  updatedAt: string;
  finishedAt: string | null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function iso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

export class XrefRunService {
  readonly #owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  constructor(
    private readonly store: RunStore,
    private readonly resolver: ResolverService,
    private readonly registry: XrefRegistry,
    private readonly matcher: XrefMatcher,
    private readonly audit: AuditService,
    private readonly options: { enqueue?: (runId: string) => Promise<unknown> } = {},
  ) {}

  /** A dataset by name or id that the principal may see; otherwise "not found" (the denial audited). */
  async #dataset(principal: Principal, key: string, all?: XrefDataset[]): Promise<XrefDataset> {
    const datasets = all ?? (await this.registry.listDatasets());
    const visible = await this.registry.visibleDatasetIds(principal);
    const wanted = key.trim().toLowerCase();
    const found = datasets.find((d) => d.id === key || d.name === wanted);
    if (!found || (visible !== 'all' && !visible.includes(found.id))) {
      await this.audit.record({
        actor: actorOf(principal),
        action: 'xref.dataset',
        outcome: 'denied',
        target: { type: 'dataset', id: (found?.id ?? key).slice(0, 200) },
      });
      throw new AppError('SVD_HTTP_NOT_FOUND', { message: `Dataset not found: ${key.slice(0, 100)}` });
    }
    return found;
  }

  /**
   * The dataset of a run and those it is compared against, by name or id, within what the principal may
   * see (else "not found"). Without `against`: every other dataset the principal may see.
   */
  async datasets(
    principal: Principal,
    dataset: string,
    against: readonly string[] = [],
  ): Promise<{ dataset: XrefDataset; against: XrefDataset[]; againstKey: string }> {
    const all = await this.registry.listDatasets();
    const main = await this.#dataset(principal, dataset, all);
    const others: XrefDataset[] = [];
    for (const key of against) {
      const found = await this.#dataset(principal, key, all);
      if (found.id === main.id) throw new AppError('SVD_XREF_SAME_DATASET');
      if (!others.some((o) => o.id === found.id)) others.push(found);
    }
    const visible = await this.registry.visibleDatasetIds(principal);
    const compared =
      others.length > 0
        ? others
        : all.filter((d) => d.id !== main.id && (visible === 'all' || visible.includes(d.id)));
    if (compared.length === 0) throw new AppError('SVD_XREF_NOTHING_TO_COMPARE');
    compared.sort((a, b) => (a.id < b.id ? -1 : 1));
    return {
      dataset: main,
      against: compared,
      againstKey: others.length > 0 ? compared.map((d) => d.id).join(',') : '*',
    };
  }

  /**
   * Creates the run of a dataset against others, or reuses it: a finished run with nothing changed since
   * is returned as it is; otherwise a new pass starts over what changed (everything when the parameters
   * changed). An unfinished or failed run is resumed. With `queue`, the work goes to the job workers.
   */
  async start(
    principal: Principal,
    input: { dataset: string; against?: readonly string[]; params?: Partial<RunParams> },
    options: { queue?: boolean } = {},
  ): Promise<{ run: RunRow; reused: boolean }> {
    const { dataset, against, againstKey } = await this.datasets(principal, input.dataset, input.against);
    const params: RunParams = { ...DEFAULT_RUN_PARAMS, ...input.params };
    const againstIds = against.map((d) => d.id);
    let run = await this.store.runFor(dataset.id, againstKey);
    let reused = false;
    if (!run) {
      run = await this.store.insertRun({
        id: randomUUID(),
        datasetId: dataset.id,
        againstKey,
        against: againstIds,
        params,
        createdBy: actorOf(principal).label ?? 'unknown',
      });
    } else if (run.state === 'done') {
      const sameParams = JSON.stringify(this.#params(run)) === JSON.stringify(params);
      if (sameParams && !(await this.#changedSince(dataset.id, againstIds, Number(run.watermark))))
        reused = true;
      else run = await this.store.resetRun(run.id, sameParams ? Number(run.watermark) : 0, params);
    }
    await this.audit.record({
      actor: actorOf(principal),
      action: 'xref.run',
      target: { type: 'xref_run', id: run.id },
      details: { dataset: dataset.id, against: againstKey, reused, params },
    });
    if (!reused && options.queue && this.options.enqueue) await this.options.enqueue(run.id);
    return { run, reused };
  }

  async #changedSince(datasetId: string, against: readonly string[], seq: number): Promise<boolean> {
    for (const id of [datasetId, ...against])
      if ((await this.registry.scanDataset(id, { sinceSeq: seq, limit: 1 })).length > 0) return true;
    return false;
  }

  #params(run: RunRow): RunParams {
    const raw = (typeof run.params === 'string' ? JSON.parse(run.params) : run.params) as Partial<RunParams>;
    return { ...DEFAULT_RUN_PARAMS, ...raw };
  }

  #against(run: RunRow): string[] {
    const raw = typeof run.against === 'string' ? JSON.parse(run.against) : run.against;
    return Array.isArray(raw) ? (raw as string[]) : [];
  }

  /** A holder of a lease that has not expired is gone when it was a process of this host that died. */
  #stale = (holder: string): boolean => {
    const [host, pid] = holder.split(':');
    const number = Number(pid);
    return host === hostname() && Number.isInteger(number) && number !== process.pid && !alive(number);
  };

  /**
   * Works a run to its end (or until `signal` aborts), resuming from its cursor. SVD_XREF_RUN_BUSY when
   * another live process holds it. `onProgress` is told after every page.
   */
  async execute(
    runId: string,
    options: { signal?: AbortSignal; onProgress?: (run: RunRow) => void } = {},
  ): Promise<RunRow> {
    let run = await this.store.claim(runId, this.#owner, LEASE_SECONDS, this.#stale);
    if (!run) {
      if (!(await this.store.run(runId))) throw new AppError('SVD_HTTP_NOT_FOUND');
      throw new AppError('SVD_XREF_RUN_BUSY');
    }
    if (run.state === 'done') {
      return this.store.updateRun(this.store.db, run.id, { release: true });
    }
    try {
      const against = this.#against(run);
      const since = Number(run.since_seq);
      if (Number(run.watermark) === 0) {
        const watermark = await this.registry.lastChangeSeq();
        let total = await this.registry.countDataset(run.dataset_id, since > 0 ? since : undefined);
        if (since > 0) for (const id of against) total += await this.registry.countDataset(id, since);
        run = await this.store.updateRun(this.store.db, run.id, { watermark, total });
      }
      await this.matcher.refresh();
      const context: PageContext = {
        run,
        params: this.#params(run),
        snapshot: await this.resolver.snapshot(),
        autoRules: await this.#autoRules([run.dataset_id, ...against]),
      };
      options.onProgress?.(run);
      if (run.phase === 'forward') {
        let cursor = run.cursor ?? undefined;
        for (;;) {
          if (options.signal?.aborted) return this.#pause(run);
          const page = await this.registry.scanDataset(run.dataset_id, {
            ...(cursor !== undefined ? { afterId: cursor } : {}),
            ...(since > 0 ? { sinceSeq: since } : {}),
            limit: PAGE,
          });
          if (page.length === 0) break;
          cursor = page[page.length - 1]!.id;
          run = await this.#page(context, page, against, { cursor, incremental: since > 0 });
          options.onProgress?.(run);
        }
        if (since > 0)
          run = await this.store.updateRun(this.store.db, run.id, { phase: 'reverse', cursor: null });
      }
      if (since > 0) {
        // What changed in the compared datasets is screened back against this one.
        const [startDataset, startId] = (run.cursor ?? '').split('|');
        for (const other of against) {
          if (startDataset && other < startDataset) continue;
          let cursor = other === startDataset && startId ? startId : undefined;
          for (;;) {
            if (options.signal?.aborted) return this.#pause(run);
            const page = await this.registry.scanDataset(other, {
              ...(cursor !== undefined ? { afterId: cursor } : {}),
              sinceSeq: since,
              limit: PAGE,
            });
            if (page.length === 0) break;
            cursor = page[page.length - 1]!.id;
            run = await this.#page(context, page, [run.dataset_id], {
              cursor: `${other}|${cursor}`,
              incremental: true,
            });
            options.onProgress?.(run);
          }
        }
      }
      run = await this.store.updateRun(this.store.db, run.id, {
        state: 'done',
        finished: true,
        release: true,
        cursor: null,
      });
      options.onProgress?.(run);
      return run;
    } catch (error) {
      await this.store
        .updateRun(this.store.db, runId, {
          state: 'failed',
          error: (error instanceof Error ? error.message : String(error)).slice(0, 2000),
          release: true,
        })
        .catch(() => undefined);
      throw error;
    }
  }

  #pause(run: RunRow): Promise<RunRow> {
    return this.store.updateRun(this.store.db, run.id, { state: 'queued', release: true });
  }

  async #autoRules(datasetIds: string[]): Promise<Map<string, boolean>> {
    const settings = await this.store.autoRules(datasetIds);
    const datasets = await this.registry.listDatasets();
    const out = new Map<string, boolean>();
    for (const d of datasets)
      if (datasetIds.includes(d.id)) out.set(d.id, settings.get(d.id) ?? !d.restricted);
    return out;
  }

  /**
   * Compares one page of entities with the `others` datasets and commits the candidates with the run's
   * progress. An entity compared again loses its old undecided candidates first (incremental passes).
   */
  async #page(
    context: PageContext,
    page: XrefEntity[],
    others: string[],
    options: { cursor: string; incremental: boolean },
  ): Promise<RunRow> {
    const { params, snapshot } = context;
    const rows: CandidateWrite[] = [];
    const ruleChecks: Array<{ entity: XrefEntity; candidate: MatcherCandidate; row: CandidateWrite }> = [];
    const compared: string[] = [];
    let skipped = 0;
    for (const entity of page) {
      compared.push(entity.id);
      if (entity.deleted) continue;
      const found = this.matcher.candidates(entity, others, params.topK);
      if (!found) {
        skipped++;
        continue;
      }
      for (const candidate of discountRunnersUp(found, snapshot)) {
        if (candidate.score < params.minScore) continue;
        const judgement = snapshot.judgement(entity.id, candidate.id);
        if (judgement === 'negative' || judgement === 'unsure') continue;
        const [target, source] = orient(entity.id, candidate.id);
        const entityIsTarget = target === entity.id;
        const row: CandidateWrite = {
          target,
          source,
          targetDataset: entityIsTarget ? entity.datasetId : candidate.datasetId,
          sourceDataset: entityIsTarget ? candidate.datasetId : entity.datasetId,
          schema: entity.schema,
          score: candidate.score,
          explanations: candidate.explanations,
          judgement: judgement === 'positive' ? 'positive' : null,
        };
        rows.push(row);
        const identifierHit = candidate.explanations.some((e) => 'identifier' in e.features);
        if (
          row.judgement === null &&
          identifierHit &&
          context.autoRules.get(entity.datasetId) &&
          context.autoRules.get(candidate.datasetId)
        )
          ruleChecks.push({ entity, candidate, row });
      }
    }
    const autoDecided = await this.#applyRules(ruleChecks, snapshot);
    return this.store.transaction(async (trx) => {
      if (options.incremental) await this.store.deleteUndecidedOf(trx, compared, others);
      await this.store.upsertCandidates(trx, context.run.id, rows);
      return this.store.updateRun(
        trx,
        context.run.id,
        { cursor: options.cursor, leaseSeconds: LEASE_SECONDS },
        { done: page.length, suggested: rows.length, autoDecided, skipped },
      );
    });
  }

  /** The identifier rule on pairs that share an identifier; decided pairs become positive candidates. */
  async #applyRules(
    checks: Array<{ entity: XrefEntity; candidate: MatcherCandidate; row: CandidateWrite }>,
    snapshot: ResolverSnapshot,
  ): Promise<number> {
    if (checks.length === 0) return 0;
    const others = await this.registry.getEntitiesByIds([...new Set(checks.map((c) => c.candidate.id))]);
    const decisions: Decision[] = [];
    const decided: CandidateWrite[] = [];
    for (const { entity, candidate, row } of checks) {
      const other = others.get(candidate.id);
      if (!other || other.deleted) continue;
      const id = identifierRule(entity.properties, other.properties);
      if (!id) continue;
      decisions.push({
        left: entity.id,
        right: candidate.id,
        judgement: 'positive',
        method: 'rule',
        userId: null,
        userLabel: RULE_USER,
        score: candidate.score,
        reason: `identical identifier ${id}, no conflicting birth date`,
      });
      decided.push(row);
    }
    const outcomes = await this.resolver.decideMany(decisions);
    let count = 0;
    outcomes.forEach((outcome, i) => {
      if (!outcome.applied) return;
      count++;
      decided[i]!.judgement = 'positive';
      snapshot.addPositive(decisions[i]!.left, decisions[i]!.right);
    });
    return count;
  }

  /** Turns the automatic rules of a dataset on or off (admins only, checked by the route). */
  async setAutoRules(principal: Principal, dataset: string, autoRules: boolean): Promise<void> {
    const found = await this.#dataset(principal, dataset);
    await this.store.setAutoRules(found.id, autoRules, actorOf(principal).label ?? 'unknown');
    await this.audit.record({
      actor: actorOf(principal),
      action: 'xref.settings',
      target: { type: 'dataset', id: found.id },
      details: { autoRules },
    });
  }

  /** A run with names, rate and time left. */
  async view(run: RunRow): Promise<RunView> {
    const datasets = new Map((await this.registry.listDatasets()).map((d) => [d.id, d.name]));
    const started = run.started_at ? new Date(run.started_at).getTime() : null;
    const last = new Date(run.finished_at ?? run.updated_at).getTime();
    const seconds = started ? Math.max((last - started) / 1000, 0.001) : null;
    const rate = seconds && run.done > 0 ? run.done / seconds : null;
    const left = Math.max(0, run.total - run.done);
    return {
      id: run.id,
      dataset: { id: run.dataset_id, name: datasets.get(run.dataset_id) ?? run.dataset_id },
      against: this.#against(run).map((id) => ({ id, name: datasets.get(id) ?? id })),
      againstAll: run.against_key === '*',
      state: run.state,
      phase: run.phase,
      incremental: Number(run.since_seq) > 0,
      total: run.total,
      done: run.done,
      suggested: run.suggested,
      autoDecided: run.auto_decided,
      skipped: run.skipped,
      params: this.#params(run),
      rate: rate === null ? null : Math.round(rate * 10) / 10,
      etaSeconds: rate && run.state !== 'done' ? Math.round(left / rate) : null,
      error: run.error,
      createdBy: run.created_by,
      startedAt: iso(run.started_at),
      updatedAt: iso(run.updated_at)!,
      finishedAt: iso(run.finished_at),
    };
  }

  /** Runs over datasets the principal may see (both sides), newest first. */
  async list(principal: Principal, limit = 50): Promise<RunView[]> {
    const visible = await this.registry.visibleDatasetIds(principal);
    const rows = await this.store.listRuns(visible, limit);
    const allowed = rows.filter(
      (r) => visible === 'all' || this.#against(r).every((id) => visible.includes(id)),
    );
    return Promise.all(allowed.map((r) => this.view(r)));
  }

  /** One run, if the principal may see its datasets. */
  async get(principal: Principal, id: string): Promise<RunView> {
    const run = await this.store.run(id);
    const visible = await this.registry.visibleDatasetIds(principal);
    const ok =
      run &&
      (visible === 'all' ||
        (visible.includes(run.dataset_id) && this.#against(run).every((d) => visible.includes(d))));
    if (!run || !ok) throw new AppError('SVD_HTTP_NOT_FOUND');
    return this.view(run);
  }

  /**
   * Every pair a run suggests between its dataset and the compared ones that nobody ruled out, best
   * first: `left` in the run's dataset, `right` in the other, `match` when the score reaches `threshold`.
   */
  async *pairs(
    run: RunRow,
    threshold: number,
  ): AsyncGenerator<
    { left: string; right: string; score: number; match: boolean; explanations: unknown[] }[]
  > {
    let after: { score: number; id: number } | undefined;
    for (;;) {
      const rows = await this.store.listCandidates(
        {
          visible: 'all',
          between: { dataset: run.dataset_id, against: this.#against(run) },
          notRuledOut: true,
        },
        { ...(after ? { after } : {}), limit: 2000 },
      );
      if (rows.length === 0) return;
      yield rows.map((row) => {
        const leftIsTarget = row.target_dataset === run.dataset_id;
        const explanations = (
          typeof row.explanations === 'string' ? JSON.parse(row.explanations) : row.explanations
        ) as unknown[];
        return {
          left: leftIsTarget ? row.target : row.source,
          right: leftIsTarget ? row.source : row.target,
          score: row.score,
          match: row.score >= threshold,
          explanations,
        };
      });
      const last = rows[rows.length - 1]!;
      after = { score: last.score, id: Number(last.id) };
    }
  }
}

/** Candidates of one dataset within this much of its best are ties the record cannot tell apart. */
const TIE_MARGIN = 0.02;
/** Score factor of every candidate but a dataset's one clear best: a person decides those, not a threshold. */
const RUNNER_UP_FACTOR = 0.65;

/**
 * One record is one person, so in each compared dataset only one cluster can be its counterpart. When one
 * candidate (or several of one cluster) clearly leads, it keeps its score and the others are discounted
 * ("another record matches better"); when several clusters tie at the top (the same name and nothing to
 * tell them apart), all are discounted ("ambiguous"). Discounted pairs stay suggestions for review.
 */
export function discountRunnersUp(
  found: MatcherCandidate[],
  snapshot: Pick<ResolverSnapshot, 'canonical'>,
): MatcherCandidate[] {
  const best = new Map<string, number>();
  for (const c of found) best.set(c.datasetId, Math.max(best.get(c.datasetId) ?? 0, c.score));
  const leaders = new Map<string, Set<string>>();
  for (const c of found) {
    if (c.score < best.get(c.datasetId)! - TIE_MARGIN) continue;
    let set = leaders.get(c.datasetId);
    if (!set) {
      set = new Set();
      leaders.set(c.datasetId, set);
    }
    set.add(snapshot.canonical(c.id));
  }
  return found.map((c) => {
    const top = leaders.get(c.datasetId)!;
    const leads = top.size === 1 && top.has(snapshot.canonical(c.id));
    if (leads) return c;
    const note =
      top.size > 1 && c.score >= best.get(c.datasetId)! - TIE_MARGIN
        ? `ambiguous: ${top.size} records of this dataset score alike`
        : 'another record of this dataset matches better';
    return {
      ...c,
      score: Math.round(c.score * RUNNER_UP_FACTOR * 1000) / 1000,
      explanations: c.explanations.map((e, i) => (i === 0 ? { ...e, notes: [...e.notes, note] } : e)),
    };
  });
}

interface PageContext {
  run: RunRow;
  params: RunParams;
  snapshot: ResolverSnapshot;
  autoRules: Map<string, boolean>;
}
