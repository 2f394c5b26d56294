/** The local PostgreSQL server used by tests (127.0.0.1:5432, user postgres, trust auth). */
import net from 'node:net';
import pg from 'pg';

const host = process.env.SVIEDKA_TEST_PGHOST ?? '127.0.0.1';
const port = Number(process.env.SVIEDKA_TEST_PGPORT ?? 5432);
const user = process.env.SVIEDKA_TEST_PGUSER ?? 'postgres';

export function adminUrl(database: string): string {
  return `postgres://${user}@${host}:${port}/${database}`;
}

/** True when a PostgreSQL server answers. */
export async function postgresReachable(): Promise<boolean> {
  const open = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host, port, timeout: 1000 }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
  if (!open) return false;
  const client = new pg.Client({ connectionString: adminUrl('postgres') });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Creates a database from the run's template. */
export async function createDatabaseFrom(template: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl('postgres') });
  await client.connect();
  try {
    // Template copies need the template to have no other sessions: retry briefly if one is closing.
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`create database ${name} template ${template}`);
        break;
      } catch (error) {
        if (attempt > 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    await client.end();
  }
  return adminUrl(name);
}

/** Drops a database, ending its remaining sessions. */
export async function dropDatabase(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl('postgres') });
  await client.connect();
  try {
    await client.query(`drop database if exists ${name} with (force)`);
  } finally {
    await client.end();
  }
}

/** Drops every database this run created. */
export async function dropRunDatabases(runId: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl('postgres') });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      'select datname from pg_database where datname like $1',
      [`sviedka_test_${runId}_%`],
    );
    for (const row of rows) await client.query(`drop database if exists ${row.datname} with (force)`);
  } finally {
    await client.end();
  }
}
