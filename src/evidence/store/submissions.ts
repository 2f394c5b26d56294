/** SQL of citizen submissions (receipts) and of finished resumable uploads' results. */
import { EvidenceStoreBase, type EvidenceTables, type EvidenceTransaction, type Executor } from './tables.js';

export class SubmissionStore extends EvidenceStoreBase {
  submissionByReceipt(ex: Executor, receiptHash: string) {
    return ex
      .selectFrom('evidence_submissions')
      .select(['id'])
      .where('receipt_hash', '=', receiptHash)
      .executeTakeFirst();
  }

  async insertSubmission(trx: EvidenceTransaction, row: EvidenceTables['evidence_submissions']) {
    await trx.insertInto('evidence_submissions').values(row).execute();
  }

  async addSubmissionItem(trx: EvidenceTransaction, submissionId: string, itemId: string, day: string) {
    await trx
      .insertInto('evidence_submission_items')
      .values({ submission_id: submissionId, item_id: itemId, added_on: day })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async insertTusResult(
    trx: EvidenceTransaction,
    row: Omit<EvidenceTables['evidence_tus_results'], 'created_at'>,
  ): Promise<void> {
    await trx
      .deleteFrom('evidence_tus_results')
      .where('created_at', '<', new Date(Date.now() - 24 * 3600 * 1000))
      .execute();
    await trx
      .insertInto('evidence_tus_results')
      .values(row)
      .onConflict((oc) => oc.column('upload_id').doNothing())
      .execute();
  }

  tusResult(uploadId: string, owner: string, since: Date) {
    return this.db
      .selectFrom('evidence_tus_results')
      .selectAll()
      .where('upload_id', '=', uploadId)
      .where('owner', '=', owner)
      .where('created_at', '>=', since)
      .executeTakeFirst();
  }
}
