import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { describeEachDatabase } from '../../../test/support/databases.js';
import { backoffMs, defineJob, JobQueue } from './queue.js';

const echoJob = defineJob('test.echo', z.object({ value: z.number() }), { maxAttempts: 2 });
const neverHandled = defineJob('test.unhandled', z.object({}));

describeEachDatabase('job queue', (ctx) => {
  it('refuses to start while a declared job type has no handler', () => {
    const queue = new JobQueue(ctx.database.db);
    queue.handle(echoJob, async () => {});
    expect(() => queue.start()).toThrow(/test\.unhandled/);
    queue.handle(neverHandled, async () => {});
    expect(() => queue.assertComplete()).not.toThrow();
  });

  it('runs jobs, retries with backoff, then marks them dead; dead jobs can be retried', async () => {
    const queue = new JobQueue(ctx.database.db);
    const seen: number[] = [];
    queue.handle(neverHandled, async () => {});
    queue.handle(echoJob, async ({ value }) => {
      seen.push(value);
      if (value < 0) throw new Error('negative values fail');
    });
    await queue.enqueue(echoJob, { value: 1 });
    const failing = await queue.enqueue(echoJob, { value: -1 });
    expect(await queue.drain()).toBe(2);
    let listed = await queue.list();
    expect(listed.counts.succeeded).toBe(1);
    const retrying = listed.items.find((job) => job.id === failing)!;
    expect(retrying.state).toBe('queued');
    expect(new Date(retrying.runAt).getTime()).toBeGreaterThan(Date.now());
    await sql`update jobs set run_at = now() where id = ${failing}`.execute(ctx.database.db);
    await queue.drain();
    listed = await queue.list('dead');
    expect(listed.items.map((job) => job.id)).toEqual([failing]);
    expect(listed.items[0]!.lastError).toBe('negative values fail');
    await queue.retry(failing);
    expect((await queue.list('queued')).items.some((job) => job.id === failing)).toBe(true);
    expect(seen.sort()).toEqual([-1, -1, 1]);
    await expect(queue.enqueue(echoJob, { value: 'x' } as never)).rejects.toThrow();
  });

  it('claims only the job types this process handles, leaving the others queued', async () => {
    const db = ctx.database.db;
    await sql`delete from jobs`.execute(db);
    const partial = new JobQueue(db);
    partial.handle(echoJob, async () => {});
    await partial.enqueue(neverHandled, {});
    await partial.enqueue(echoJob, { value: 7 });
    expect(await partial.drain()).toBe(1);
    expect((await partial.list('queued')).items.map((job) => job.type)).toEqual(['test.unhandled']);
    expect(await new JobQueue(db).claim(10)).toEqual([]);
  });

  it('gives each job to one worker only (SKIP LOCKED) and reclaims expired leases', async () => {
    const db = ctx.database.db;
    await sql`delete from jobs`.execute(db);
    const a = new JobQueue(db, { leaseSeconds: 60 });
    const b = new JobQueue(db, { leaseSeconds: 60 });
    for (const queue of [a, b]) queue.handle(echoJob, async () => {});
    for (let i = 0; i < 10; i++) await a.enqueue(echoJob, { value: i });
    const [left, right] = await Promise.all([a.claim(6), b.claim(6)]);
    const ids = [...left, ...right].map((job) => job.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(10);
    // A worker that died: its lease expires and another claims the job again.
    await sql`update jobs set locked_until = now() - interval '1 second' where id = ${left[0]!.id}`.execute(
      db,
    );
    const reclaimed = await b.claim(5);
    expect(reclaimed.map((job) => job.id)).toEqual([left[0]!.id]);
    expect(reclaimed[0]!.attempts).toBe(2);
  });

  it('purges succeeded and cancelled jobs after a day, keeping dead ones', async () => {
    const db = ctx.database.db;
    await sql`delete from jobs`.execute(db);
    const queue = new JobQueue(db);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await queue.enqueue(echoJob, { value: i }));
    const [oldDone, oldDead, oldCancelled, fresh] = ids as [string, string, string, string];
    await sql`update jobs set state = 'succeeded', finished_at = now() - interval '25 hours' where id = ${oldDone}`.execute(
      db,
    );
    await sql`update jobs set state = 'dead', finished_at = now() - interval '25 hours' where id = ${oldDead}`.execute(
      db,
    );
    await sql`update jobs set state = 'cancelled', finished_at = now() - interval '25 hours' where id = ${oldCancelled}`.execute(
      db,
    );
    await sql`update jobs set state = 'succeeded', finished_at = now() - interval '1 hour' where id = ${fresh}`.execute(
      db,
    );
    expect(await queue.purgeFinished(24)).toBe(2);
    const left = await sql<{ id: string }>`select id from jobs order by id`.execute(db);
    expect(left.rows.map((row) => row.id).sort()).toEqual([oldDead, fresh].sort());
  });

  it('backs off exponentially with a cap', () => {
    expect(backoffMs(1)).toBeGreaterThanOrEqual(4000);
    expect(backoffMs(3)).toBeGreaterThanOrEqual(16000);
    expect(backoffMs(30)).toBeLessThanOrEqual(3_600_000 * 1.2);
  });
});
