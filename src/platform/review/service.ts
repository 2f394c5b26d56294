/**
 * The four-eyes rule, enforced here and nowhere else: content is approved by someone who neither wrote
 * nor edited it; the approval is bound to the hash of the content the reviewer read; a later edit
 * voids it; every step (edit, approval, return, refusal) is in the audit log. Owning areas call
 * `recordEdit` inside their own write transactions and `approve`/`returnForChanges` with a callback
 * that makes their own change (a state transition) in the same transaction as the decision.
 */
import { randomUUID } from 'node:crypto';
import type { AuditService } from '../audit/service.js';
import type { Principal, Role } from '../auth/model.js';
import { actorOf } from '../auth/service.js';
import type { AnyDb, AnyTransaction } from '../db/database.js';
import { AppError } from '../errors.js';
import { principalKey, type ReviewDecision, type ReviewStatus, type ReviewSubject } from './model.js';
import { type DecisionRow, ReviewStore } from './store.js';

export interface ReviewOptions {
  /** Roles that may approve (default: reviewer and admin). */
  approverRoles?: readonly Role[];
  /** Distinct approvals needed besides the contributors (default 1: four eyes). */
  required?: number;
}

function toDecision(row: DecisionRow): ReviewDecision {
  return {
    id: row.id,
    decision: row.decision,
    contentHash: row.content_hash,
    reviewer: row.reviewer,
    reviewerLabel: row.reviewer_label,
    comment: row.comment,
    decidedAt: new Date(row.decided_at).toISOString(),
    voidedAt: row.voided_at ? new Date(row.voided_at).toISOString() : null,
    voidReason: row.void_reason,
  };
}

export class ReviewService {
  readonly #store: ReviewStore;
  readonly #approverRoles: readonly Role[];
  readonly #required: number;

  constructor(
    db: AnyDb,
    private readonly audit: AuditService,
    options: ReviewOptions = {},
  ) {
    this.#store = new ReviewStore(db);
    this.#approverRoles = options.approverRoles ?? ['reviewer', 'admin'];
    this.#required = options.required ?? 1;
  }

  /**
   * Records that `actor` wrote or changed the subject's content, now hashing to `contentHash`. Call it
   * in the transaction that writes the content. Approvals of any other hash are voided (and audited).
   */
  async recordEdit(
    trx: AnyTransaction,
    input: { subject: ReviewSubject; actor: Principal; contentHash: string },
  ): Promise<{ voided: number }> {
    const { subject, actor, contentHash } = input;
    const now = new Date();
    const previous = await this.#store.lockSubject(trx, subject);
    await this.#store.setHash(trx, subject, contentHash, now);
    await this.#store.addContributor(trx, subject, principalKey(actor), now);
    const voided =
      previous === contentHash
        ? []
        : await this.#store.voidApprovals(trx, subject, 'content edited', now, contentHash);
    await this.audit.record(
      {
        actor: actorOf(actor),
        action: 'review.edit',
        target: subject,
        details: { contentHash, previousHash: previous, voidedApprovals: voided },
      },
      trx,
    );
    return { voided: voided.length };
  }

  /**
   * Approves the subject's content as the reviewer read it. Refused (and the refusal audited) when the
   * reviewer is not a person with an approver role, contributed to the content, already approved this
   * version, or read a version that is no longer current. `then` runs in the same transaction with the
   * new status (for the owner's state change); if it throws, nothing is recorded.
   */
  async approve(
    actor: Principal,
    subject: ReviewSubject,
    input: { contentHash: string; comment?: string | undefined },
    then?: (trx: AnyTransaction, status: ReviewStatus) => Promise<void>,
  ): Promise<ReviewStatus> {
    return this.#decide(actor, subject, 'approved', input, then);
  }

  /** Sends the content back to its authors with a comment (required); voids live approvals. */
  async returnForChanges(
    actor: Principal,
    subject: ReviewSubject,
    input: { contentHash: string; comment?: string | undefined },
    then?: (trx: AnyTransaction, status: ReviewStatus) => Promise<void>,
  ): Promise<ReviewStatus> {
    return this.#decide(actor, subject, 'returned', input, then);
  }

  async #decide(
    actor: Principal,
    subject: ReviewSubject,
    decision: 'approved' | 'returned',
    input: { contentHash: string; comment?: string | undefined },
    then?: (trx: AnyTransaction, status: ReviewStatus) => Promise<void>,
  ): Promise<ReviewStatus> {
    const action = decision === 'approved' ? 'review.approve' : 'review.return';
    const comment = input.comment?.trim() || null;
    try {
      return await this.#store.transaction(async (trx) => {
        if (actor.type !== 'user' || !this.#approverRoles.includes(actor.role))
          throw new AppError('SVD_REVIEW_APPROVER');
        if (decision === 'returned' && !comment) throw new AppError('SVD_REVIEW_COMMENT_REQUIRED');
        const current = await this.#store.lockSubject(trx, subject);
        if (current === null) throw new AppError('SVD_REVIEW_NOTHING');
        const me = principalKey(actor);
        const contributors = await this.#store.contributors(trx, subject);
        if (contributors.includes(me)) throw new AppError('SVD_REVIEW_SELF_APPROVAL');
        if (input.contentHash !== current) throw new AppError('SVD_REVIEW_STALE');
        const before = await this.#store.decisions(trx, subject);
        if (
          decision === 'approved' &&
          before.some(
            (d) =>
              d.decision === 'approved' && !d.voided_at && d.reviewer === me && d.content_hash === current,
          )
        )
          throw new AppError('SVD_REVIEW_ALREADY_APPROVED');
        const now = new Date();
        const voided =
          decision === 'returned'
            ? await this.#store.voidApprovals(trx, subject, 'returned for changes', now)
            : [];
        const row: DecisionRow = {
          id: randomUUID(),
          subject_type: subject.type,
          subject_id: subject.id,
          decision,
          content_hash: current,
          reviewer: me,
          reviewer_label: actor.username,
          comment,
          decided_at: now,
          voided_at: null,
          void_reason: null,
        };
        await this.#store.insertDecision(trx, row);
        const status = await this.#status(trx, subject);
        if (then) await then(trx, status);
        await this.audit.record(
          {
            actor: actorOf(actor),
            action,
            target: subject,
            details: {
              decisionId: row.id,
              contentHash: current,
              approved: status.approved,
              approvals: status.approvals.length,
              voidedApprovals: voided,
              commentLength: comment?.length ?? 0,
            },
          },
          trx,
        );
        return status;
      });
    } catch (error) {
      if (error instanceof AppError && error.code.startsWith('SVD_REVIEW_')) {
        await this.audit.record({
          actor: actorOf(actor),
          action,
          outcome: 'denied',
          target: subject,
          details: { reason: error.code, contentHash: input.contentHash },
        });
      }
      throw error;
    }
  }

  /** Contributors, live approvals and the whole decision history of a subject. */
  async status(subject: ReviewSubject, trx?: AnyTransaction): Promise<ReviewStatus> {
    return this.#status(trx ?? this.#store.db, subject);
  }

  async #status(executor: AnyTransaction | ReviewStore['db'], subject: ReviewSubject): Promise<ReviewStatus> {
    const trx = executor as ReviewStore['db'];
    const [current, contributors, decisions] = await Promise.all([
      this.#store.hashOf(trx, subject),
      this.#store.contributors(trx, subject),
      this.#store.decisions(trx, subject),
    ]);
    const history = decisions.map(toDecision);
    const approvals = history.filter(
      (d) => d.decision === 'approved' && !d.voidedAt && d.contentHash === current,
    );
    const distinct = new Set(approvals.map((d) => d.reviewer).filter((r) => !contributors.includes(r)));
    return {
      contentHash: current,
      contributors,
      approvals,
      approved: current !== null && distinct.size >= this.#required,
      required: this.#required,
      history,
    };
  }

  /**
   * Throws SVD_REVIEW_NOT_APPROVED unless the content, hashing now to `contentHash` (computed by the
   * owner from what it is about to release), carries enough live approvals for exactly that hash.
   */
  async requireApproved(
    subject: ReviewSubject,
    contentHash: string,
    trx?: AnyTransaction,
  ): Promise<ReviewStatus> {
    const status = await this.status(subject, trx);
    if (!status.approved || status.contentHash !== contentHash) throw new AppError('SVD_REVIEW_NOT_APPROVED');
    return status;
  }

  /** Drops reviewers' free-text comments on a subject whose personal data is erased; decisions stay. */
  async eraseComments(trx: AnyTransaction, subject: ReviewSubject): Promise<void> {
    await this.#store.eraseComments(trx, subject);
  }
}
