/**
 * A citizen's exact submission time does not survive the rounding to the day (issue 15, item 2): not
 * in the rows of the item, its blob, custody and submission, not in the blob file's times, not in a
 * processing job, processing events or metadata written right after the upload, not in the audit
 * chain's order, and not in the server's request log.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import pino from 'pino';
import { expect, it } from 'vitest';
import type { EvidenceArea } from '../../src/evidence/index.js';
import type { Runtime } from '../../src/runtime.js';
import { createApp } from '../../src/server.js';
import { useTestApp } from '../support/app.js';
import { captureStdout } from '../support/capture-stdout.js';
import { describeEachDatabase } from '../support/databases.js';

function evidenceOf(runtime: Runtime): EvidenceArea {
  return (runtime.areas as unknown as { evidence: EvidenceArea }).evidence;
}

const DAY_MS = 24 * 3600 * 1000;
const startOfToday = () => new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`);

describeEachDatabase('a citizen submission keeps only its day', (ctx) => {
  const t = useTestApp(ctx);

  it('rows, blob file, audit order, processing and the request log carry nothing finer than the day', async () => {
    const db = ctx.database.db;
    const audit = t.runtime.audit;
    const system = { type: 'system', label: 'test' } as const;
    const stdout = captureStdout();
    const logger = pino(
      { level: 'trace', base: undefined },
      new Writable({ write: (_c, _e, done) => done() }),
    );
    const app = await createApp({ ...t.runtime, logger } as Runtime, {
      logger: true,
      webDist: '/nonexistent',
    });
    await app.ready();
    try {
      // Other activity with exact times just before and just after the submission.
      await audit.record({ actor: system, action: 'test.before' });
      const page = await app.inject({ method: 'GET', url: '/submit?lang=en' });
      const token = /name="t" value="([^"]+)"/.exec(page.body)![1]!;
      const boundary = 'x';
      const body = [
        `--${boundary}\r\nContent-Disposition: form-data; name="t"\r\n\r\n${token}`,
        'Content-Disposition: form-data; name="lang"\r\n\r\nen',
        'Content-Disposition: form-data; name="note"\r\n\r\nwhat happened at the square',
        'Content-Disposition: form-data; name="files"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\ntimed citizen evidence 7781',
      ].join(`\r\n--${boundary}\r\n`);
      const posted = await app.inject({
        method: 'POST',
        url: '/submit',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: `${body}\r\n--${boundary}--\r\n`,
      });
      expect(posted.statusCode, posted.body).toBe(200);
      const after = await audit.record({ actor: system, action: 'test.after' });

      const day = startOfToday().getTime();
      const item = (
        await sql<{ id: string; sha256: string; received_at: Date; created_at: Date; blob_created_at: Date }>`
          select i.id, i.sha256, i.received_at, i.created_at, b.created_at as blob_created_at
            from evidence_items i join blobs b on b.sha256 = i.sha256
           where i.channel = 'citizen' order by i.received_at desc limit 1`.execute(db)
      ).rows[0]!;
      // The rows: the item, its blob, its custody, its submission.
      for (const time of [item.received_at, item.created_at, item.blob_created_at])
        expect(new Date(time).getTime()).toBe(day);
      const custody = await sql<{
        at: Date;
      }>`select at from evidence_custody where item_id = ${item.id}`.execute(db);
      expect(custody.rows.length).toBeGreaterThan(0);
      for (const row of custody.rows) expect(new Date(row.at).getTime()).toBe(day);
      // The blob file and its directories: modified and accessed at the start of the day.
      const file = evidenceOf(t.runtime).blobs.pathOf(item.sha256);
      for (const target of [file, path.dirname(file), path.dirname(path.dirname(file))]) {
        const stats = await stat(target);
        expect(stats.mtimeMs, target).toBe(day);
        expect(stats.atimeMs, target).toBe(day);
      }
      // Nothing queued, processed or extracted right after the upload.
      const jobs = await sql<{ n: number }>`
        select count(*)::int as n from jobs where payload::text like ${`%${item.id}%`}`.execute(db);
      expect(jobs.rows[0]!.n).toBe(0);
      for (const table of ['evidence_processing', 'evidence_metadata'])
        expect(
          (
            await sql<{
              n: number;
            }>`select count(*)::int as n from ${sql.table(table)} where item_id = ${item.id}`.execute(db)
          ).rows[0]!.n,
        ).toBe(0);
      // No audit row of the citizen's yet: its place in the chain would bracket the submission.
      const citizenRows = () =>
        sql<{ seq: number; at: Date }>`
          select seq, at from audit_log where actor_type = 'citizen' and target_id = ${item.id} order by seq`.execute(
          db,
        );
      expect((await citizenRows()).rows).toEqual([]);
      // And no request line of the citizen routes in the server's log.
      expect(stdout.text()).not.toContain('/submit');

      // The daily batch, on a later day: the kept audit rows go to the end of the chain together, dated
      // to the day; the item's processing is queued then (and happens then).
      const batch = evidenceOf(t.runtime).citizenBatch;
      const ran = await batch.run(new Date(Date.now() + DAY_MS));
      expect(ran.items).toBeGreaterThanOrEqual(1);
      expect(ran.auditRows).toBeGreaterThanOrEqual(custody.rows.length);
      const rows = (await citizenRows()).rows;
      expect(rows.length).toBe(custody.rows.length);
      for (const row of rows) {
        expect(Number(row.seq)).toBeGreaterThan(after!.seq);
        expect(new Date(row.at).getTime()).toBe(day);
      }
      expect((await audit.verify()).ok).toBe(true);
      const batchStarted = Date.now();
      await t.runtime.jobs.drain();
      const processed = await sql<{ state: string }>`
        select processing_state as state from evidence_items where id = ${item.id}`.execute(db);
      expect(processed.rows[0]!.state).not.toBe('pending');
      const processingJob = await sql<{ created_at: Date }>`
        select created_at from jobs where payload::text like ${`%${item.id}%`}`.execute(db);
      expect(new Date(processingJob.rows[0]!.created_at).getTime()).toBeGreaterThanOrEqual(
        batchStarted - 60_000,
      );
      expect(await batch.waiting()).toBe(0);

      // The next batch is queued at a random time of the following day, once.
      const now = new Date();
      const next = await batch.schedule(now);
      const tomorrow = Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00.000Z`) + DAY_MS;
      expect(next!.getTime()).toBeGreaterThanOrEqual(tomorrow);
      expect(next!.getTime()).toBeLessThan(tomorrow + DAY_MS);
      expect(await batch.schedule(now)).toBeUndefined();
    } finally {
      stdout.restore();
      await app.close();
    }
  }, 120_000);
});
