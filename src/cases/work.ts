/**
 * The analysts' work on a case and its four-eyes release: screening snapshots with per-hit review,
 * findings, submission for review, approval (platform/review: a reviewer who neither wrote nor edited
 * the findings, bound to the hash of what they read) or return with a comment. The reviewed content is
 * the findings plus every hit's review, so changing either voids an approval.
 */
import { randomUUID } from 'node:crypto';
import type { Principal } from '../platform/auth/model.js';
import type { AnyTransaction } from '../platform/db/database.js';
import { AppError } from '../platform/errors.js';
import { principalKey, type ReviewStatus, reviewContentHash } from '../platform/review/model.js';
import { CASE_SUBJECT, type CaseCore, isStaff } from './core.js';
import { type Findings, findingsSchema, type hitReviews } from './model.js';
import type { SubjectMatch } from './ports.js';
import { type CaseRow, CaseStore } from './store.js';

function requireStaff(principal: Principal): void {
  if (!isStaff(principal) || principal.type === 'apikey') throw new AppError('SVD_HTTP_NOT_FOUND');
}

/** What a reviewer approves: findings plus each hit's review, by hit key. */
export interface ReviewedContent {
  findings: Findings;
  hits: Array<{ key: string; review: string; reason: string | null }>;
}

export interface ScreeningSummary {
  screeningId: string;
  results: number;
  new: number;
  changed: number;
  gone: number;
}

/**
 * A hit is kept across screenings under this key: the cluster (or record) for registry matches, the
 * incident person for a name an incident records.
 */
function hitKeyOf(match: SubjectMatch): string {
  return match.source?.kind === 'incident'
    ? `incident-person:${match.source.personId}`
    : (match.clusterId ?? match.entityId);
}

export class CaseWork {
  constructor(private readonly core: CaseCore) {}

  /** What a reviewer approves: the findings and every hit's review, as one canonical value. */
  async reviewedContent(
    row: CaseRow,
    trx?: AnyTransaction,
  ): Promise<{ content: ReviewedContent; hash: string }> {
    const key = this.core.key(row);
    const hits = await this.core.store.hits(trx ? CaseStore.within(trx) : this.core.store.db, row.id);
    const content = {
      findings: this.core.findings(row, key),
      hits: hits
        .map((hit) => ({
          key: hit.hit_key,
          review: hit.review,
          reason: hit.review_reason
            ? key.open<string>(hit.review_reason, `cases.hit_reason:${hit.id}`)
            : null,
        }))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    };
    return { content, hash: reviewContentHash(content) };
  }

  async #recordEdit(trx: AnyTransaction, principal: Principal, caseId: string): Promise<string> {
    const row = (await this.core.store.getCase(CaseStore.within(trx), caseId))!;
    const { hash } = await this.reviewedContent(row, trx);
    await this.core.deps.review.recordEdit(trx, {
      subject: { type: CASE_SUBJECT, id: caseId },
      actor: principal,
      contentHash: hash,
    });
    return hash;
  }

  /**
   * Screens the subject against everything the officer may see and snapshots the results with the
   * case; hits are kept per cluster (or entity) across runs, so a re-screen shows what changed.
   */
  async screen(principal: Principal, id: string): Promise<ScreeningSummary> {
    requireStaff(principal);
    const row = await this.core.load(principal, id, 'cases.screen');
    this.core.requireStatus(row, ['received', 'accepted', 'in_progress']);
    const subject = this.core.subject(row);
    const matches = await this.core.deps.screening.screen(principal, {
      names: subject.names,
      birthDate: subject.birthDate,
      nationality: subject.nationality,
      identifiers: subject.identifiers?.map((i) => i.value),
    });
    // One hit per cluster (or incident person): the best-scoring member stands for it.
    const byKey = new Map<string, SubjectMatch>();
    for (const match of matches) {
      const key = hitKeyOf(match);
      const seen = byKey.get(key);
      if (!seen) byKey.set(key, { ...match, memberIds: [match.entityId] });
      else {
        const members = [...(seen.memberIds ?? []), match.entityId];
        byKey.set(
          key,
          match.score > seen.score ? { ...match, memberIds: members } : { ...seen, memberIds: members },
        );
      }
    }
    return this.core.write(principal, id, 'screened', async (trx, locked) => {
      this.core.requireStatus(locked, ['received', 'accepted', 'in_progress']);
      const key = this.core.key(locked);
      const store = CaseStore.within(trx);
      const screeningId = randomUUID();
      await this.core.store.insertScreening(store, {
        id: screeningId,
        case_id: id,
        run_at: new Date(),
        run_by: principalKey(principal),
        result_count: byKey.size,
        snapshot: key.seal([...byKey.values()], `cases.screening:${screeningId}`),
      });
      const existing = new Map((await this.core.store.hits(store, id)).map((hit) => [hit.hit_key, hit]));
      const summary: ScreeningSummary = { screeningId, results: byKey.size, new: 0, changed: 0, gone: 0 };
      for (const [hitKey, match] of byKey) {
        const before = existing.get(hitKey);
        const hitId = before?.id ?? randomUUID();
        const data = key.seal(
          {
            entityId: match.entityId,
            clusterId: match.clusterId,
            memberIds: match.memberIds,
            schema: match.schema,
            caption: match.caption,
            score: match.score,
            match: match.match,
            datasets: match.datasets,
            properties: match.properties,
            explanations: match.explanations,
            source: match.source ?? { kind: 'registry' },
            previousScore: before ? Number(before.score) : null,
          },
          `cases.hit:${hitId}`,
        );
        if (before) {
          if (Math.abs(Number(before.score) - match.score) > 1e-9) summary.changed++;
          await this.core.store.updateHit(store, hitId, {
            last_screening: screeningId,
            score: match.score,
            data,
          });
        } else {
          summary.new++;
          await this.core.store.insertHit(store, {
            id: hitId,
            case_id: id,
            hit_key: hitKey,
            first_screening: screeningId,
            last_screening: screeningId,
            score: match.score,
            data,
            review: 'pending',
            review_reason: null,
            reviewed_by: null,
            reviewed_at: null,
          });
        }
      }
      summary.gone = [...existing.keys()].filter((k) => !byKey.has(k)).length;
      if (locked.status === 'accepted')
        await this.core.store.updateCase(store, id, { status: 'in_progress', updated_at: new Date() });
      await this.core.event(trx, id, principal, 'screened', { ...summary });
      if (summary.new > 0 || locked.findings) await this.#recordEdit(trx, principal, id);
      return summary;
    });
  }

  /** Confirms, dismisses (with a reason) or marks a hit unsure. */
  async reviewHit(
    principal: Principal,
    id: string,
    hitId: string,
    input: { review: Exclude<(typeof hitReviews)[number], 'pending'>; reason?: string | undefined },
  ): Promise<void> {
    requireStaff(principal);
    const reason = input.reason?.trim() ?? '';
    if (input.review === 'dismissed' && !reason) throw new AppError('SVD_CASES_REASON_REQUIRED');
    await this.core.write(principal, id, 'hit_reviewed', async (trx, row) => {
      this.core.requireStatus(row, ['in_progress']);
      const store = CaseStore.within(trx);
      const hit = (await this.core.store.hits(store, id)).find((h) => h.id === hitId);
      if (!hit) throw new AppError('SVD_CASES_HIT_UNKNOWN');
      const key = this.core.key(row);
      await this.core.store.updateHit(store, hitId, {
        review: input.review,
        review_reason: reason ? key.seal(reason, `cases.hit_reason:${hitId}`) : null,
        reviewed_by: principalKey(principal),
        reviewed_at: new Date(),
      });
      await this.core.event(trx, id, principal, 'hit_reviewed', {
        hitId,
        from: hit.review,
        to: input.review,
        reasonLength: reason.length,
      });
      await this.#recordEdit(trx, principal, id);
    });
  }

  /** Replaces the findings; the editor becomes a contributor, and any approval of the old text is void. */
  async updateFindings(principal: Principal, id: string, input: unknown): Promise<{ contentHash: string }> {
    requireStaff(principal);
    const findings: Findings = findingsSchema.parse(input);
    return this.core.write(principal, id, 'findings_updated', async (trx, row) => {
      this.core.requireStatus(row, ['accepted', 'in_progress']);
      const key = this.core.key(row);
      const store = CaseStore.within(trx);
      await this.core.store.updateCase(store, id, {
        findings: key.seal(findings, `cases.findings:${id}`),
        status: 'in_progress',
        updated_at: new Date(),
      });
      const contentHash = await this.#recordEdit(trx, principal, id);
      await this.core.event(trx, id, principal, 'findings_updated', {
        contentHash,
        conclusion: findings.conclusion,
        items: findings.items.length,
        links: findings.items.reduce((n, item) => n + item.links.length, 0),
      });
      return { contentHash };
    });
  }

  /** Sends complete findings (every hit reviewed) to review. */
  async submit(principal: Principal, id: string): Promise<{ contentHash: string }> {
    requireStaff(principal);
    return this.core.write(principal, id, 'submitted', async (trx, row) => {
      this.core.requireStatus(row, ['in_progress']);
      const findings = this.core.findings(row);
      if (!findings.conclusion || !findings.narrative.trim())
        throw new AppError('SVD_CASES_FINDINGS_INCOMPLETE');
      const hits = await this.core.store.hits(CaseStore.within(trx), id);
      if (hits.some((hit) => hit.review === 'pending')) throw new AppError('SVD_CASES_HITS_PENDING');
      const contentHash = await this.#recordEdit(trx, principal, id);
      await this.core.store.updateCase(CaseStore.within(trx), id, {
        status: 'in_review',
        updated_at: new Date(),
      });
      await this.core.event(trx, id, principal, 'submitted', {
        from: row.status,
        to: 'in_review',
        contentHash,
      });
      return { contentHash };
    });
  }

  /**
   * A second officer approves the version they read: the case is released. The platform's review
   * module refuses authors and editors, stale hashes and non-reviewers whatever the client sends.
   */
  async approve(
    principal: Principal,
    id: string,
    input: { contentHash: string; comment?: string | undefined },
  ): Promise<ReviewStatus> {
    requireStaff(principal);
    const row = await this.core.load(principal, id, 'cases.approve');
    this.core.requireStatus(row, ['in_review']);
    return this.core.deps.review.approve(
      principal,
      { type: CASE_SUBJECT, id },
      input,
      async (trx, status) => {
        const store = CaseStore.within(trx);
        const locked = (await this.core.store.getCase(store, id, true))!;
        this.core.requireStatus(locked, ['in_review']);
        const { hash, content } = await this.reviewedContent(locked, trx);
        if (hash !== status.contentHash) throw new AppError('SVD_REVIEW_STALE');
        if (!status.approved) return;
        const now = new Date();
        await this.core.store.updateCase(store, id, {
          status: 'released',
          released_at: now,
          updated_at: now,
          last_reviewed: this.core.key(locked).seal(content, `cases.last_reviewed:${id}`),
        });
        await this.core.event(trx, id, principal, 'released', {
          from: 'in_review',
          to: 'released',
          contentHash: hash,
        });
      },
    );
  }

  /** Returns the case to the analyst with a comment (required). */
  async returnForChanges(
    principal: Principal,
    id: string,
    input: { contentHash: string; comment?: string | undefined },
  ): Promise<ReviewStatus> {
    requireStaff(principal);
    const row = await this.core.load(principal, id, 'cases.return');
    this.core.requireStatus(row, ['in_review']);
    return this.core.deps.review.returnForChanges(
      principal,
      { type: CASE_SUBJECT, id },
      input,
      async (trx) => {
        const store = CaseStore.within(trx);
        const locked = (await this.core.store.getCase(store, id, true))!;
        this.core.requireStatus(locked, ['in_review']);
        const { content } = await this.reviewedContent(locked, trx);
        await this.core.store.updateCase(store, id, {
          status: 'in_progress',
          updated_at: new Date(),
          last_reviewed: this.core.key(locked).seal(content, `cases.last_reviewed:${id}`),
        });
        await this.core.event(trx, id, principal, 'returned', { from: 'in_review', to: 'in_progress' });
      },
    );
  }
}
