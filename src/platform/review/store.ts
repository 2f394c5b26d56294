/** SQL of the four-eyes module: subject hashes, contributors, decisions. */
import type { Kysely, Transaction } from 'kysely';
import type { AnyDb, AnyTransaction } from '../db/database.js';
import type { ReviewSubject } from './model.js';

export type ReviewTables = {
  review_subjects: { subject_type: string; subject_id: string; content_hash: string; updated_at: Date };
  review_contributors: {
    subject_type: string;
    subject_id: string;
    principal: string;
    first_at: Date;
    last_at: Date;
  };
  review_decisions: {
    id: string;
    subject_type: string;
    subject_id: string;
    decision: 'approved' | 'returned';
    content_hash: string;
    reviewer: string;
    reviewer_label: string | null;
    comment: string | null;
    decided_at: Date;
    voided_at: Date | null;
    void_reason: string | null;
  };
};
export type DecisionRow = ReviewTables['review_decisions'];
type Executor = Kysely<ReviewTables> | Transaction<ReviewTables>;

export class ReviewStore {
  readonly db: Kysely<ReviewTables>;
  constructor(db: AnyDb) {
    this.db = db.withTables<ReviewTables>();
  }

  /** Runs `work` in a transaction (or inside the caller's). */
  transaction<T>(work: (trx: Transaction<ReviewTables>) => Promise<T>, outer?: AnyTransaction): Promise<T> {
    if (outer) return work(outer as Transaction<ReviewTables>);
    return this.db.transaction().execute(work);
  }

  /** The subject's current hash, locking its row for the rest of the transaction. */
  async lockSubject(trx: Executor, subject: ReviewSubject): Promise<string | null> {
    const row = await trx
      .selectFrom('review_subjects')
      .select('content_hash')
      .where('subject_type', '=', subject.type)
      .where('subject_id', '=', subject.id)
      .forUpdate()
      .executeTakeFirst();
    return row?.content_hash ?? null;
  }

  async hashOf(executor: Executor, subject: ReviewSubject): Promise<string | null> {
    const row = await executor
      .selectFrom('review_subjects')
      .select('content_hash')
      .where('subject_type', '=', subject.type)
      .where('subject_id', '=', subject.id)
      .executeTakeFirst();
    return row?.content_hash ?? null;
  }

  async setHash(trx: Executor, subject: ReviewSubject, hash: string, at: Date): Promise<void> {
    await trx
      .insertInto('review_subjects')
      .values({ subject_type: subject.type, subject_id: subject.id, content_hash: hash, updated_at: at })
      .onConflict((oc) =>
        oc.columns(['subject_type', 'subject_id']).doUpdateSet({ content_hash: hash, updated_at: at }),
      )
      .execute();
  }

  async addContributor(trx: Executor, subject: ReviewSubject, principal: string, at: Date): Promise<void> {
    await trx
      .insertInto('review_contributors')
      .values({
        subject_type: subject.type,
        subject_id: subject.id,
        principal,
        first_at: at,
        last_at: at,
      })
      .onConflict((oc) =>
        oc.columns(['subject_type', 'subject_id', 'principal']).doUpdateSet({ last_at: at }),
      )
      .execute();
  }

  async contributors(trx: Executor, subject: ReviewSubject): Promise<string[]> {
    const rows = await trx
      .selectFrom('review_contributors')
      .select('principal')
      .where('subject_type', '=', subject.type)
      .where('subject_id', '=', subject.id)
      .orderBy('first_at')
      .execute();
    return rows.map((row) => row.principal);
  }

  async decisions(trx: Executor, subject: ReviewSubject): Promise<DecisionRow[]> {
    return trx
      .selectFrom('review_decisions')
      .selectAll()
      .where('subject_type', '=', subject.type)
      .where('subject_id', '=', subject.id)
      .orderBy('decided_at', 'desc')
      .orderBy('id')
      .execute();
  }

  async insertDecision(trx: Executor, row: DecisionRow): Promise<void> {
    await trx.insertInto('review_decisions').values(row).execute();
  }

  /** Voids the subject's live approvals (all, or those not bound to `keepHash`); returns their ids. */
  async voidApprovals(
    trx: Executor,
    subject: ReviewSubject,
    reason: string,
    at: Date,
    keepHash?: string,
  ): Promise<string[]> {
    let query = trx
      .updateTable('review_decisions')
      .set({ voided_at: at, void_reason: reason })
      .where('subject_type', '=', subject.type)
      .where('subject_id', '=', subject.id)
      .where('decision', '=', 'approved')
      .where('voided_at', 'is', null);
    if (keepHash) query = query.where('content_hash', '<>', keepHash);
    const rows = await query.returning('id').execute();
    return rows.map((row) => row.id);
  }

  /** Removes free text reviewers wrote about a subject whose personal data is being erased. */
  async eraseComments(trx: Executor, subject: ReviewSubject): Promise<void> {
    await trx
      .updateTable('review_decisions')
      .set({ comment: null })
      .where('subject_type', '=', subject.type)
      .where('subject_id', '=', subject.id)
      .execute();
  }
}
