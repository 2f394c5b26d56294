/**
 * The daily batch of citizens' submissions: a citizen's exact submission time must not survive the
 * rounding to the day (issue 15, item 2). Intake already records only the day (item rows, custody,
 * blob row and file times); what would still date a submission is what happens right after it: its
 * processing (job row, processing events, metadata records, derived files, all written seconds later)
 * and its audit rows' place in the chain between rows of other activity. So a citizen's items are not
 * queued for processing at intake and its audit rows are kept aside (AuditService.recordMany); once a
 * day, at a random time, this batch appends the kept audit rows of earlier days in random order and
 * queues the processing of the earlier days' items, shuffled. What the batch writes carries its own
 * time, which says nothing about when in its day a submission came.
 */
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import type { AuditService } from '../../platform/audit/service.js';
import { defineJob, type JobQueue } from '../../platform/jobs/queue.js';
import type { CitizenBatchStore } from '../store/citizen-batch.js';
import type { EvidenceTransaction } from '../store/tables.js';

export const citizenBatchJob = defineJob('evidence.citizen.batch', z.object({}).strict(), { maxAttempts: 5 });

const DAY_MS = 24 * 3600 * 1000;

/** The UTC day of a time, as YYYY-MM-DD. */
const dayOf = (time: Date) => time.toISOString().slice(0, 10);

export class CitizenDailyBatch {
  constructor(
    private readonly store: CitizenBatchStore,
    private readonly audit: AuditService,
    private readonly jobs: JobQueue,
    private readonly enqueueProcessing: (itemId: string, trx: EvidenceTransaction) => Promise<unknown>,
  ) {}

  /** A citizen's new item waits for the batch of a later day instead of being processed now. */
  hold(trx: EvidenceTransaction, itemId: string, now = new Date()): Promise<void> {
    return this.store.add(trx, itemId, dayOf(now));
  }

  /** Items waiting for a batch. */
  waiting(): Promise<number> {
    return this.store.waiting();
  }

  /**
   * Queues the processing of every item received before `now`'s day (shuffled) and appends the kept
   * citizens' audit rows of those days (shuffled), in one transaction.
   */
  async run(now = new Date()): Promise<{ items: number; auditRows: number }> {
    return this.store.transaction(async (trx) => {
      const items = await this.store.take(trx, dayOf(now));
      for (let i = items.length - 1; i > 0; i--) {
        const j = randomInt(i + 1);
        [items[i], items[j]] = [items[j]!, items[i]!];
      }
      for (const itemId of items) await this.enqueueProcessing(itemId, trx);
      // The audit chain's head stays locked until the transaction ends: last.
      const auditRows = await this.audit.appendDeferred(trx, now);
      return { items: items.length, auditRows };
    });
  }

  /** Queues the next batch at a random time of the day after `now` (UTC), unless one is queued. */
  async schedule(now = new Date()): Promise<Date | undefined> {
    if ((await this.jobs.pending(citizenBatchJob)) > 0) return undefined;
    const tomorrow = Date.parse(`${dayOf(now)}T00:00:00.000Z`) + DAY_MS;
    const runAt = new Date(tomorrow + randomInt(DAY_MS));
    await this.jobs.enqueue(citizenBatchJob, {}, { runAt });
    return runAt;
  }
}
