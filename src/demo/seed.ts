/**
 * Synthetic demo content for a newcomer's first start: invented people only. Seeding runs once per database
 * (recorded in app_meta): the quick part (users, each area's `seed` hook) before the server listens, the heavy
 * part (evidence files through the real pipeline, incidents, bot subscribers) as a background job whose state the
 * home page shows.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import { areaHooks } from '../areas.js';
import { defineJob } from '../platform/jobs/queue.js';
import type { Runtime } from '../runtime.js';

export const demoContentJob = defineJob('demo.content', z.object({}), { maxAttempts: 1 });

const handled = new WeakSet<object>();

/**
 * Registers the demo content job's handler once per job queue (the content code loads only when the job runs).
 * The serve process calls it before its workers start, so a demo interrupted by a restart still finishes.
 */
export function handleDemoJobs(runtime: Runtime): void {
  if (handled.has(runtime.jobs)) return;
  handled.add(runtime.jobs);
  runtime.jobs.handle(demoContentJob, async () => {
    const { seedDemoContent } = await import('./content.js');
    await seedDemoContent(runtime);
    await sql`update app_meta set value = value || '{"content":"done"}'::jsonb where key = 'demo.seeded'`.execute(
      runtime.database.db,
    );
  });
}

/** 'preparing' while the demo content job has not finished, 'done' after, undefined without a demo. */
export async function demoState(runtime: Runtime): Promise<'preparing' | 'done' | undefined> {
  const row = await sql<{ content: string | null }>`select value->>'content' as content from app_meta
    where key = 'demo.seeded'`.execute(runtime.database.db);
  const content = row.rows[0]?.content;
  return content === 'pending' ? 'preparing' : content === 'done' ? 'done' : undefined;
}

type Seeder = (runtime: Runtime) => Promise<void>;

const demoActor = { type: 'system' as const, label: 'demo data' };

const seedUsers: Seeder = async (runtime) => {
  const people = [
    {
      username: 'hanna.analyst',
      displayName: 'Hanna Demo (analyst)',
      role: 'analyst' as const,
      locale: 'be' as const,
    },
    {
      username: 'ales.reviewer',
      displayName: 'Aleś Demo (reviewer)',
      role: 'reviewer' as const,
      locale: 'be' as const,
    },
    {
      username: 'maria.analyst',
      displayName: 'Maria Demo (analyst)',
      role: 'analyst' as const,
      locale: 'ru' as const,
    },
  ];
  for (const person of people) await runtime.auth.createUser(demoActor, person);
  await runtime.auth.createApiKey(demoActor, {
    name: 'Demo partner key',
    organization: 'Demo Partner Organization',
    scopes: ['screening', 'registry:read'],
    expiresInDays: 30,
  });
};

export const seeders: Seeder[] = [seedUsers];

/** Seeds demo data once; returns false when the database was already seeded or holds real data. */
export async function seedDemo(runtime: Runtime): Promise<boolean> {
  const db = runtime.database.db;
  const seeded = await sql<{
    n: number;
  }>`select count(*)::int as n from app_meta where key = 'demo.seeded'`.execute(db);
  if (Number(seeded.rows[0]?.n) > 0) return false;
  const users = await sql<{ n: number }>`select count(*)::int as n from users`.execute(db);
  if (Number(users.rows[0]?.n) > 1) return false;
  for (const seeder of seeders) await seeder(runtime);
  for (const hooks of areaHooks(runtime.areas)) await hooks.seed?.();
  handleDemoJobs(runtime);
  await db.transaction().execute(async (trx) => {
    await sql`insert into app_meta (key, value) values ('demo.seeded', ${JSON.stringify({ at: new Date().toISOString(), content: 'pending' })}::jsonb)`.execute(
      trx,
    );
    await runtime.jobs.enqueue(demoContentJob, {}, { trx });
  });
  await runtime.audit.record({ actor: demoActor, action: 'demo.seed' });
  return true;
}
