/**
 * Prepares the databases of one test run: a migrated PGlite template directory (copied per test
 * suite: creating a PGlite cluster takes seconds, copying one does not) and, on the local PostgreSQL
 * server, a migrated template database from which each suite creates its own database. Everything
 * made here is removed at the end of the run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openPglite, openPostgres } from '../../src/platform/db/database.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { adminUrl, dropRunDatabases, postgresReachable } from './postgres.js';

export default async function setup(project: TestProject) {
  const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const root = mkdtempSync(path.join(os.tmpdir(), 'sviedka-test-'));
  const template = path.join(root, 'pglite-template');
  // From initdb, not from the build's template: the run checks the migrations themselves.
  const pglite = await openPglite(template, '16MB', { fromTemplate: false });
  await migrate(pglite.db);
  await pglite.close();

  let postgresTemplate = '';
  if (await postgresReachable()) {
    postgresTemplate = `sviedka_test_${runId}_tmpl`;
    const admin = await openPostgres(adminUrl('postgres'), { max: 1 });
    const { sql } = await import('kysely');
    await sql.raw(`create database ${postgresTemplate}`).execute(admin.db);
    await admin.close();
    const tmpl = await openPostgres(adminUrl(postgresTemplate), { max: 1 });
    await migrate(tmpl.db);
    await tmpl.close();
  } else if (process.env.CI === 'true') {
    throw new Error(
      'PostgreSQL is not reachable at 127.0.0.1:5432 and CI=true: the PostgreSQL half of the suite cannot be skipped.',
    );
  } else {
    console.warn(
      '\n⚠ PostgreSQL is not reachable at 127.0.0.1:5432: the PostgreSQL half of the suite is SKIPPED.\n',
    );
  }

  project.provide('sviedkaRunId', runId);
  project.provide('sviedkaTmpRoot', root);
  project.provide('pgliteTemplate', template);
  project.provide('postgresTemplate', postgresTemplate);

  return async () => {
    if (postgresTemplate) await dropRunDatabases(runId);
    rmSync(root, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    sviedkaRunId: string;
    sviedkaTmpRoot: string;
    pgliteTemplate: string;
    postgresTemplate: string;
  }
}
