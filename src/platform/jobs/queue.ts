/**
 * Background jobs in a database table. Workers claim due jobs with `FOR UPDATE SKIP LOCKED` and a
 * lease; a job whose worker died is reclaimed when its lease expires. Failures retry with
 * exponential backoff until `maxAttempts`, then the job is dead (kept, visible to admins, retryable).
 *
 * Job types form a typed catalogue: `defineJob` declares a type with a Zod payload schema, and
 * `start()` refuses to run while a declared type has no handler.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { type Generated, type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { z } from 'zod';
import type { AnyDb, AnyTransaction } from '../db/database.js';
import { AppError } from '../errors.js';

import type { JobState } from './model.js';

export type { JobState };

export type JobsTable = {
  id: string;
  type: string;
  payload: unknown;
  state: JobState;
  attempts: Generated<number>;
  max_attempts: number;
  run_at: Date;
  locked_until: Date | null;
  locked_by: string | null;
  last_error: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  finished_at: Date | null;
};
export type JobRow = Selectable<JobsTable>;
export type JobTables = { jobs: JobsTable };

export interface JobType<P> {
  readonly type: string;
  readonly schema: z.ZodType<P>;
  readonly maxAttempts: number;
}

const catalogue = new Map<string, JobType<unknown>>();

/** Declares a job type. Every declared type must get a handler before workers start. */
export function defineJob<P>(
  type: string,
  schema: z.ZodType<P>,
  options: { maxAttempts?: number } = {},
): JobType<P> {
  if (catalogue.has(type)) throw new Error(`Job type ${type} is declared twice`);
  const definition = { type, schema, maxAttempts: options.maxAttempts ?? 5 };
  catalogue.set(type, definition as JobType<unknown>);
  return definition;
}

export interface JobContext {
  id: string;
  attempt: number;
  signal: AbortSignal;
}

export type JobHandler<P> = (payload: P, context: JobContext) => Promise<void>;

/** Delay before retry `attempt` (1-based): 5 s, 10 s, 20 s … capped at one hour, with ±20 % jitter. */
export function backoffMs(attempt: number): number {
  const base = Math.min(5_000 * 2 ** (attempt - 1), 3_600_000);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export interface JobView {
  id: string;
  type: string;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

function toView(row: JobRow): JobView {
  return {
    id: row.id,
    type: row.type,
    state: row.state,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    runAt: new Date(row.run_at).toISOString(),
    lastError: row.last_error,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export class JobQueue {
  readonly #db: Kysely<JobTables>;
  readonly #handlers = new Map<string, JobHandler<unknown>>();
  readonly #workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  #running = false;
  #active = new Set<Promise<void>>();
  #wake: (() => void) | undefined;
  #abort = new AbortController();
  #loop: Promise<void> | undefined;

  constructor(
    db: AnyDb,
    private readonly options: {
      leaseSeconds?: number;
      pollMs?: number;
      concurrency?: number;
      onError?: (error: unknown, job: JobView) => void;
    } = {},
  ) {
    this.#db = db.withTables<JobTables>();
  }

  /** Attaches the handler of a declared job type. */
  handle<P>(job: JobType<P>, handler: JobHandler<P>): void {
    this.#handlers.set(job.type, handler as JobHandler<unknown>);
  }

  /** Queues a job (inside the caller's transaction when given, so it commits with the work it follows). */
  async enqueue<P>(
    job: JobType<P>,
    payload: P,
    options: { runAt?: Date; trx?: AnyTransaction } = {},
  ): Promise<string> {
    if (catalogue.get(job.type) !== job)
      throw new AppError('SVD_JOBS_UNKNOWN_TYPE', { details: { type: job.type } });
    const parsed = job.schema.parse(payload);
    const id = randomUUID();
    const executor = (options.trx as Transaction<JobTables> | undefined) ?? this.#db;
    await executor
      .insertInto('jobs')
      .values({
        id,
        type: job.type,
        payload: JSON.stringify(parsed),
        state: 'queued',
        max_attempts: job.maxAttempts,
        run_at: options.runAt ?? new Date(),
      })
      .execute();
    this.#wake?.();
    return id;
  }

  /** Throws if any declared job type lacks a handler. Called by `start()`; exposed for start-up checks. */
  assertComplete(): void {
    const missing = [...catalogue.keys()].filter((type) => !this.#handlers.has(type));
    if (missing.length) throw new Error(`No handler for job type(s): ${missing.join(', ')}`);
  }

  /**
   * Claims up to `limit` due jobs (or jobs whose lease expired) of the types this process handles: a command
   * that registered only some handlers leaves the other types' jobs for a process that has them.
   */
  async claim(limit: number): Promise<JobRow[]> {
    const lease = this.options.leaseSeconds ?? 300;
    const types = [...this.#handlers.keys()];
    if (types.length === 0) return [];
    const result = await sql<JobRow>`
      update jobs set state = 'running', attempts = attempts + 1, locked_by = ${this.#workerId},
        locked_until = now() + make_interval(secs => ${lease}), updated_at = now()
      where id in (
        select id from jobs
        where ((state = 'queued' and run_at <= now()) or (state = 'running' and locked_until < now()))
          and type = any(${sql.val(types)}::text[])
        order by run_at
        limit ${limit}
        for update skip locked
      )
      returning *`.execute(this.#db);
    return result.rows;
  }

  /** Runs one claimed job and records its outcome. */
  async run(row: JobRow): Promise<void> {
    const handler = this.#handlers.get(row.type);
    const definition = catalogue.get(row.type);
    try {
      if (!handler || !definition) throw new Error(`no handler for job type ${row.type}`);
      const payload = definition.schema.parse(
        typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload,
      );
      await handler(payload, { id: row.id, attempt: row.attempts, signal: this.#abort.signal });
      await this.#db
        .updateTable('jobs')
        .set({
          state: 'succeeded',
          finished_at: new Date(),
          updated_at: new Date(),
          locked_by: null,
          locked_until: null,
          last_error: null,
        })
        .where('id', '=', row.id)
        .execute();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const dead = !handler || row.attempts >= row.max_attempts;
      await this.#db
        .updateTable('jobs')
        .set({
          state: dead ? 'dead' : 'queued',
          run_at: dead ? new Date(row.run_at) : new Date(Date.now() + backoffMs(row.attempts)),
          last_error: message.slice(0, 2000),
          locked_by: null,
          locked_until: null,
          updated_at: new Date(),
          finished_at: dead ? new Date() : null,
        })
        .where('id', '=', row.id)
        .execute();
      this.options.onError?.(error, toView(row));
    }
  }

  /**
   * Deletes jobs that succeeded or were cancelled more than `hours` ago (dead ones stay for admins):
   * the table does not grow forever, and exact times of past work (a citizen's upload is processed
   * moments after it arrives) do not outlive the need for them.
   */
  async purgeFinished(hours = 24): Promise<number> {
    const result = await this.#db
      .deleteFrom('jobs')
      .where('state', 'in', ['succeeded', 'cancelled'])
      .where('finished_at', '<', new Date(Date.now() - hours * 3_600_000))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Claims and runs due jobs until none is left; returns how many ran (tests and the CLI use it). */
  async drain(): Promise<number> {
    let count = 0;
    for (;;) {
      const rows = await this.claim(this.options.concurrency ?? 2);
      if (rows.length === 0) return count;
      await Promise.all(rows.map((row) => this.run(row)));
      count += rows.length;
    }
  }

  /** Starts the worker loop in this process. */
  start(): void {
    this.assertComplete();
    if (this.#running) return;
    this.#running = true;
    this.#abort = new AbortController();
    const concurrency = this.options.concurrency ?? 2;
    const pollMs = this.options.pollMs ?? 1000;
    this.#loop = (async () => {
      while (this.#running) {
        const free = concurrency - this.#active.size;
        const rows = free > 0 ? await this.claim(free).catch(() => []) : [];
        for (const row of rows) {
          const task = this.run(row).finally(() => {
            this.#active.delete(task);
            this.#wake?.();
          });
          this.#active.add(task);
        }
        if (rows.length === 0 || this.#active.size >= concurrency) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, pollMs);
            this.#wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          this.#wake = undefined;
        }
      }
    })();
  }

  /** Stops claiming, signals running handlers and waits for them. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#abort.abort();
    this.#wake?.();
    await this.#loop;
    await Promise.allSettled([...this.#active]);
  }

  /** How many jobs of this type are queued (not yet running): to queue a recurring job only once. */
  async pending(job: { type: string }): Promise<number> {
    const row = await this.#db
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('type', '=', job.type)
      .where('state', '=', 'queued')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async list(state?: JobState, limit = 200): Promise<{ items: JobView[]; counts: Record<JobState, number> }> {
    let query = this.#db.selectFrom('jobs').selectAll().orderBy('updated_at', 'desc').limit(limit);
    if (state) query = query.where('state', '=', state);
    const rows = await query.execute();
    const countRows = await this.#db
      .selectFrom('jobs')
      .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('state')
      .execute();
    const counts: Record<JobState, number> = { queued: 0, running: 0, succeeded: 0, dead: 0, cancelled: 0 };
    for (const row of countRows) counts[row.state] = Number(row.n);
    return { items: rows.map(toView), counts };
  }

  /** Puts a dead (or cancelled) job back in the queue. */
  async retry(id: string): Promise<JobView> {
    const row = await this.#db
      .updateTable('jobs')
      .set({ state: 'queued', run_at: new Date(), attempts: 0, updated_at: new Date(), finished_at: null })
      .where('id', '=', id)
      .where('state', 'in', ['dead', 'cancelled'])
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new AppError('SVD_HTTP_NOT_FOUND');
    this.#wake?.();
    return toView(row);
  }
}
