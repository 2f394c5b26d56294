/**
 * Mapped imports into the registry on both databases: a Windows-1251 CSV, an XLSX sheet, and joined
 * tables in real PostgreSQL and MariaDB databases made by the test; provenance; stable ids on
 * re-import; and nothing half-imported when a run fails.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { loggedInClient, useTestApp } from '../../test/support/app.js';
import { describeEachDatabase } from '../../test/support/databases.js';
import {
  encodeSingleByte,
  personnelCsv,
  personnelMapping,
  personnelSql,
  personnelSqlMapping,
  writePersonnelXlsx,
  writeText,
} from '../../test/support/datasets-fixtures.js';
import { adminUrl, dropDatabase } from '../../test/support/postgres.js';
import type { Principal } from '../platform/auth/model.js';
import { isAppError } from '../platform/errors.js';
import type { RowReject } from './model.js';
import { DatasetsService, type RunOptions } from './service.js';
import { DatasetsStore } from './store.js';

const system: Principal = { type: 'system', label: 'test' };
const MARIADB_URL = process.env.SVIEDKA_TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306';

async function mariadbReachable(): Promise<boolean> {
  const url = new URL(MARIADB_URL);
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port || 3306), timeout: 1000 }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

describeEachDatabase('datasets', (ctx) => {
  const t = useTestApp(ctx);
  const service = () => t.runtime.areas.datasets.service;
  const registry = () => t.runtime.areas.registry.service;
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(inject('sviedkaTmpRoot'), 'datasets-'));
  });
  const spoolDirs = () => {
    const work = path.join(ctx.dataDir, 'work', 'datasets');
    return existsSync(work) ? readdirSync(work).filter((name) => name.startsWith('spool-')) : [];
  };

  async function run(dataset: string, mappingText: string, extra: Partial<RunOptions> = {}) {
    const rejects: RowReject[] = [];
    const summary = await service().run(system, dataset, {
      mappingText,
      mappingName: 'personnel.yml',
      sources: { baseDir: dir },
      onReject: (r) => {
        rejects.push(r);
      },
      ...extra,
    });
    return { summary, rejects };
  }

  async function entities(datasetName: string) {
    const dataset = await registry().getDataset(system, datasetName);
    const out = [];
    for await (const line of registry().exportLines(system, dataset.id)) out.push(...line.trim().split('\n'));
    return out.map(
      (line) => JSON.parse(line) as { id: string; schema: string; properties: Record<string, string[]> },
    );
  }

  it('maps a Windows-1251 CSV into a dataset with provenance, rejects and stable ids', async () => {
    await registry().createDataset(system, { name: 'roster', title: 'Roster', restricted: true });
    const csv = personnelCsv(['5;Ragged;row', '6;Бадзей;Пётр;Ігаравіч;31.02.1981;м;U1;ОМОН;радавы;2021;']);
    writeText(path.join(dir, 'personnel.csv'), encodeSingleByte(csv, 'windows-1251'));
    const first = await run('roster', personnelMapping('csv_url: personnel.csv'));
    expect(first.summary).toMatchObject({
      rowsRead: 6,
      rowsRejected: 2,
      // 2 units, 4 persons, 3 positions (two sergeants of U2 share one), 4 occupancies.
      entities: 13,
      entitiesWritten: 13,
      entitiesUnchanged: 0,
    });
    expect(first.rejects.map((r) => [r.line, r.code, r.column])).toEqual([
      [7, 'SVD_DATASETS_RAGGED_ROW', undefined],
      [8, 'SVD_DATASETS_BAD_VALUE', 'born'],
    ]);
    const stored = await entities('roster');
    expect(stored).toHaveLength(13);
    const person = stored.find((e) => e.properties.lastName?.[0] === 'Шчэрбач')!;
    expect(person.properties.name).toEqual(['Шчэрбач Алесь Міхайлавіч']);
    const position = stored.find((e) => e.properties.name?.[0] === 'сержант, Ленинское РУВД')!;
    expect(position.schema).toBe('Position');

    const provenance = await service().provenance(system, person.id);
    expect(provenance).toMatchObject({ source: 'personnel.csv', ref: 'line 3', line: 3, rows: 1, query: 1 });
    expect(provenance!.sourceSha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await service().provenance(system, position.id))!.rows).toBe(2);

    // Same file again: nothing changes. A corrected row updates its entity under the same id.
    const again = await run('roster', personnelMapping('csv_url: personnel.csv'));
    expect(again.summary).toMatchObject({ entitiesWritten: 0, entitiesUnchanged: 13 });
    writeText(
      path.join(dir, 'personnel.csv'),
      encodeSingleByte(csv.replace('31.12.1975', '30.12.1975'), 'windows-1251'),
    );
    const corrected = await run('roster', personnelMapping('csv_url: personnel.csv'));
    expect(corrected.summary).toMatchObject({ entitiesWritten: 1, entitiesUnchanged: 12 });
    const updated = (await entities('roster')).find((e) => e.id === person.id)!;
    expect(updated.properties.birthDate).toEqual(['1975-12-30']);

    const runs = await service().listRuns(system, 'roster');
    expect(runs.map((r) => r.status)).toEqual(['done', 'done', 'done']);
    expect(runs[0]!.sources[0]).toMatchObject({
      kind: 'csv',
      name: 'personnel.csv',
      encoding: 'windows-1251',
    });
    const detail = await service().getRun(system, runs[2]!.id);
    expect(detail.rejects).toHaveLength(2);
    // The restricted dataset's runs and provenance are as hidden as the dataset.
    const partner: Principal = { type: 'user', id: randomUUID(), username: 'partner', role: 'partner' };
    await expect(service().provenance(partner, person.id)).rejects.toMatchObject({
      code: 'SVD_HTTP_NOT_FOUND',
    });
  });

  it('imports nothing when a later query fails, and nothing when the publishing transaction fails', async () => {
    await registry().createDataset(system, { name: 'atomic', title: 'Atomic' });
    writeText(path.join(dir, 'good.csv'), personnelCsv());
    writeText(path.join(dir, 'bad.csv'), 'person_id;last_nam\n1;X\n');
    const twoQueries = `queries:
  - csv_url: good.csv
    entities:
      person:
        schema: Person
        keys: [person_id]
        properties:
          name:
            column: last_name
  - csv_url: bad.csv
    entities:
      person:
        schema: Person
        keys: [person_id]
        properties:
          name:
            column: last_name
`;
    const error = await run('atomic', twoQueries).catch((e: unknown) => e);
    expect(isAppError(error, 'SVD_DATASETS_MISSING_COLUMN')).toBe(true);
    expect((error as Error).message).toBe(
      'bad.csv: no column "last_name" (named at personnel.yml:17); the header has: "person_id", "last_nam"',
    );
    expect(await entities('atomic')).toEqual([]);
    const [failed] = await service().listRuns(system, 'atomic');
    expect(failed).toMatchObject({ status: 'failed', rowsRead: 4 });
    // The run's spooled fragments are gone with it.
    expect(spoolDirs()).toEqual([]);

    // A registry whose transaction fails after every entity was written: the rollback leaves nothing.
    const real = registry();
    const failing = new DatasetsService(
      new DatasetsStore(ctx.database.db),
      {
        getDataset: (principal, id) => real.getDataset(principal, id),
        importAtomic: (principal, id, options, work) =>
          real.importAtomic(principal, id, options, async (write, trx) => {
            await work(write, trx);
            throw new Error('disk full');
          }),
      },
      t.runtime.audit,
    );
    const crash = await failing
      .run(system, 'atomic', {
        mappingText: personnelMapping('csv_url: good.csv'),
        sources: { baseDir: dir },
      })
      .catch((e: unknown) => e);
    expect((crash as Error).message).toBe('disk full');
    expect(await entities('atomic')).toEqual([]);
    const provenance = await sql<{
      n: number;
    }>`select count(*)::int as n from datasets_provenance p join datasets_runs r on r.id = p.run_id join registry_datasets d on d.id = r.dataset_id where d.name = 'atomic'`.execute(
      ctx.database.db,
    );
    expect(provenance.rows[0]!.n).toBe(0);
    expect(spoolDirs()).toEqual([]);
  });

  it('maps the second sheet of an XLSX workbook, with --source replacing the mapping file', async () => {
    await writePersonnelXlsx(path.join(dir, 'personnel_2020.xlsx'));
    const mapping = personnelMapping('xlsx_url: elsewhere.xlsx', '      sheet: Personnel\n').replace(
      '              format: "%d.%m.%Y"\n',
      '',
    );
    const { summary } = await run('xlsx-roster', mapping, {
      dryRun: true,
      sources: {
        baseDir: dir,
        override: { path: path.join(dir, 'personnel_2020.xlsx'), name: 'personnel_2020.xlsx' },
      },
    });
    expect(summary).toMatchObject({ rowsRead: 4, rowsRejected: 0, entities: 13, runId: null });
    await registry().createDataset(system, { name: 'xlsx-roster', title: 'XLSX' });
    const real = await run('xlsx-roster', mapping, {
      sources: {
        baseDir: dir,
        override: { path: path.join(dir, 'personnel_2020.xlsx'), name: 'personnel_2020.xlsx' },
      },
    });
    expect(real.summary).toMatchObject({ entitiesWritten: 13 });
    const person = (await entities('xlsx-roster')).find((e) => e.properties.lastName?.[0] === 'Ковалёв')!;
    expect(person.properties.birthDate).toEqual(['1980-02-03']);
    expect(await service().provenance(system, person.id)).toMatchObject({
      source: 'personnel_2020.xlsx, sheet Personnel',
      ref: 'row 2 of Personnel',
    });
  });

  it('web: preview with problems, a queued import from a vault file, progress, provenance and refusals', {
    timeout: 90_000,
  }, async () => {
    const analyst = await loggedInClient(t, 'analyst');
    const reviewer = await loggedInClient(t, 'reviewer');
    const created = await analyst.request('POST', '/api/datasets', {
      name: 'web-roster',
      title: 'Web roster',
    });
    expect(created.status).toBe(200);
    const csv = encodeSingleByte(personnelCsv(['5;Ragged;row']), 'windows-1251');
    const item = await t.runtime.areas.evidence.intake({
      stream: Readable.from([csv]),
      fileName: 'personnel_2020.csv',
      channel: 'import',
      actor: system,
    });
    const mapping = personnelMapping('csv_url: personnel_2020.csv');
    const validate = await analyst.request('POST', '/api/datasets/web-roster/mapping/validate', {
      mapping: mapping.replace('keys: [unit_code]', 'kyes: [unit_code]'),
    });
    expect(validate.json.problems).toEqual([
      { line: 5, message: 'entity "unit" needs "keys" (columns that identify it) or "id_column"' },
      { line: 7, message: expect.stringContaining('unknown key "kyes"') },
    ]);

    const preview = await analyst.request('POST', '/api/datasets/web-roster/mapping/preview', {
      mapping,
      evidenceItemId: item.itemId,
      limit: 50,
    });
    expect(preview.status, JSON.stringify(preview.json)).toBe(200);
    expect(preview.json).toMatchObject({ problems: [], rowsRead: 5 });
    expect(preview.json.entities).toHaveLength(13);
    expect(preview.json.entities[1]).toMatchObject({
      schema: 'Person',
      caption: 'Ковалёв Андрей Петрович',
      ref: 'line 2 of personnel_2020.csv',
    });
    expect(preview.json.rejects[0]).toMatchObject({ line: 7, code: 'SVD_DATASETS_RAGGED_ROW' });
    const missing = await analyst.request('POST', '/api/datasets/web-roster/mapping/preview', {
      mapping: mapping.replace('column: unit_name', 'column: unit_title'),
      evidenceItemId: item.itemId,
      limit: 50,
    });
    expect(missing.json.problems[0]).toMatchObject({
      line: 10,
      message: expect.stringContaining('no column "unit_title"'),
    });
    expect(
      (await reviewer.request('POST', '/api/datasets/web-roster/mapping/preview', { mapping })).status,
    ).toBe(404);

    const secret = await analyst.request('POST', '/api/datasets/web-roster/mapping/runs', {
      mapping: personnelSqlMapping('postgresql://analyst:hunter2@127.0.0.1/leak'),
    });
    expect(secret.json.error.code).toBe('SVD_DATASETS_BAD_MAPPING');
    const queued = await analyst.request('POST', '/api/datasets/web-roster/mapping/runs', {
      mapping,
      mappingName: 'personnel.yml',
      evidenceItemId: item.itemId,
    });
    expect(queued.status, JSON.stringify(queued.json)).toBe(200);
    expect(queued.json.run.status).toBe('queued');
    await t.runtime.jobs.drain();
    const done = await reviewer.request('GET', `/api/mapping-runs/${queued.json.run.id}`);
    expect(done.json.run).toMatchObject({
      status: 'done',
      rowsRead: 5,
      rowsRejected: 1,
      entitiesWritten: 13,
    });
    expect(done.json.run.sources[0]).toMatchObject({
      name: 'personnel_2020.csv',
      sha256: item.sha256,
      evidenceItemId: item.itemId,
    });
    expect(done.json.run.rejects).toHaveLength(1);
    const list = await analyst.request('GET', '/api/entities?dataset=web-roster&schema=Person&q=Шчэрбач');
    const provenance = await reviewer.request('GET', `/api/entities/${list.json.items[0].id}/provenance`);
    expect(provenance.json.provenance).toMatchObject({
      source: 'personnel_2020.csv',
      ref: 'line 3',
      sourceSha256: item.sha256,
    });
  });

  const scratch = `sviedka_test_${inject('sviedkaRunId')}_src_${ctx.kind}_${process.pid}`;
  let postgresSource: string | undefined;
  let mariadbSource: string | undefined;
  beforeAll(async () => {
    if (inject('postgresTemplate')) {
      const admin = new pg.Client({ connectionString: adminUrl('postgres') });
      await admin.connect();
      await admin.query(`create database ${scratch}`);
      await admin.end();
      const client = new pg.Client({ connectionString: adminUrl(scratch) });
      await client.connect();
      for (const statement of personnelSql()) await client.query(statement);
      await client.end();
      postgresSource = adminUrl(scratch);
    }
    if (await mariadbReachable()) {
      const mysql = await import('mysql2/promise');
      const url = new URL(MARIADB_URL);
      const connection = await mysql.createConnection({
        host: url.hostname,
        port: Number(url.port || 3306),
        user: url.username || 'root',
        password: decodeURIComponent(url.password),
      });
      await connection.query(`create database ${scratch} character set utf8mb4`);
      await connection.query(`use ${scratch}`);
      for (const statement of personnelSql()) await connection.query(statement);
      await connection.end();
      mariadbSource = `${MARIADB_URL.replace(/\/$/, '')}/${scratch}`;
    } else if (process.env.CI === 'true') {
      throw new Error('MariaDB is not reachable and CI=true: .ci/run starts it');
    }
  });
  afterAll(async () => {
    if (postgresSource) await dropDatabase(scratch);
    if (mariadbSource) {
      const mysql = await import('mysql2/promise');
      const url = new URL(MARIADB_URL);
      const connection = await mysql.createConnection({
        host: url.hostname,
        port: Number(url.port || 3306),
        user: url.username || 'root',
        password: decodeURIComponent(url.password),
      });
      await connection.query(`drop database if exists ${scratch}`);
      await connection.end();
    }
  });

  for (const engine of ['postgresql', 'mariadb'] as const) {
    it(`maps joined personnel and units tables of a ${engine} database`, async (test) => {
      const url = engine === 'postgresql' ? postgresSource : mariadbSource;
      if (!url) return test.skip();
      const name = `sql-${engine}`;
      await registry().createDataset(system, { name, title: engine });
      const { summary, rejects } = await run(name, personnelSqlMapping(url));
      expect(rejects).toEqual([]);
      expect(summary).toMatchObject({ rowsRead: 4, entities: 13, entitiesWritten: 13 });
      const stored = await entities(name);
      const person = stored.find((e) => e.properties.name?.[0] === 'Ўласаў Іван Сяргеевіч')!;
      expect(person.properties).toMatchObject({ birthDate: ['1985-01-01'], gender: ['male'] });
      const unit = stored.find((e) => e.schema === 'PublicBody' && e.properties.address?.[0] === 'Брест')!;
      expect(unit.properties.name).toEqual(['Ленинское РУВД']);
      const provenance = await service().provenance(system, person.id);
      expect(provenance).toMatchObject({ ref: 'personnel.id=4', sourceSha256: null });
      expect(provenance!.source).not.toContain(':@');
      // A column that is in neither table: a clear error before anything is read.
      const missing = await run(
        name,
        personnelSqlMapping(url).replace('column: u.city', 'column: u.town'),
      ).catch((e: unknown) => e);
      expect(isAppError(missing, 'SVD_DATASETS_MISSING_COLUMN')).toBe(true);
      expect((missing as Error).message).toMatch(
        /the mapping's column "u\.town" \(mapping line 19\) is not in personnel, units/,
      );
    });
  }
});
