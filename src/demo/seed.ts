/**
 * Synthetic demo content for a newcomer's first start: invented people only. Each area adds its own
 * seeder to `seeders`; seeding runs once per database (recorded in app_meta).
 */
import { sql } from 'kysely';
import { areaHooks } from '../areas.js';
import type { Runtime } from '../runtime.js';

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
  await sql`insert into app_meta (key, value) values ('demo.seeded', ${JSON.stringify({ at: new Date().toISOString() })}::jsonb)`.execute(
    db,
  );
  await runtime.audit.record({ actor: demoActor, action: 'demo.seed' });
  return true;
}
