import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { apiKeyClient, loggedInClient, useTestApp } from '../../test/support/app.js';
import { describeEachDatabase } from '../../test/support/databases.js';
import type { Principal } from '../platform/auth/model.js';
import type { Reject } from './model.js';
import { demoEntities } from './seed.js';

const fixtures = path.resolve(import.meta.dirname, '../../test/fixtures/registry');
const system: Principal = { type: 'system', label: 'test' };

function chunks(...parts: Array<string | Buffer>) {
  return Readable.from(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : part)));
}

describeEachDatabase('registry', (ctx) => {
  const t = useTestApp(ctx);
  const registry = () => t.runtime.areas.registry.service;

  async function importInto(datasetId: string, body: Readable | Buffer | string) {
    const rejects: Reject[] = [];
    const source =
      typeof body === 'string' || Buffer.isBuffer(body) ? Readable.from([Buffer.from(body)]) : body;
    const summary = await registry().importStream(system, datasetId, source, {
      batchSize: 3,
      onReject: (reject) => {
        rejects.push(reject);
      },
    });
    return { summary, rejects };
  }

  async function auditRows(action: string, targetId?: string) {
    const rows = await sql<{ action: string; target_id: string | null; details: unknown; outcome: string }>`
      select action, target_id, details, outcome from audit_log where action = ${action} order by seq`.execute(
      ctx.database.db,
    );
    return rows.rows.filter((row) => targetId === undefined || row.target_id === targetId);
  }

  it('imports valid and mixed files, rejecting bad lines with line numbers and codes', async () => {
    const dataset = await registry().createDataset(system, { name: 'fixtures', title: 'Fixtures' });
    const first = await importInto(dataset.id, readFileSync(path.join(fixtures, 'valid.ftm.jsonl')));
    expect(first.summary).toMatchObject({ imported: 10, unchanged: 0, rejected: 0 });
    expect(first.rejects).toEqual([]);

    const mixed = await importInto(dataset.id, readFileSync(path.join(fixtures, 'mixed.ftm.jsonl')));
    // Lines 1, 9 and 14 are entities already imported with the same content.
    expect(mixed.summary).toMatchObject({ imported: 0, unchanged: 3, rejected: 10, lines: 14 });
    expect(mixed.rejects.map((r) => [r.line, r.code])).toEqual([
      [2, 'SVD_REGISTRY_BAD_JSON'],
      [3, 'SVD_REGISTRY_UNKNOWN_SCHEMA'],
      [4, 'SVD_REGISTRY_BAD_DATE'],
      [5, 'SVD_REGISTRY_BAD_DATE'],
      [6, 'SVD_REGISTRY_MISSING_ID'],
      [7, 'SVD_REGISTRY_BAD_UTF8'],
      [10, 'SVD_REGISTRY_BAD_DATE'],
      [11, 'SVD_REGISTRY_BAD_ID'],
      [12, 'SVD_REGISTRY_UNKNOWN_PROPERTY'],
      [13, 'SVD_REGISTRY_BAD_ENTITY'],
    ]);
    expect(mixed.rejects[2]!.reason).toContain('1975-13-45');
    expect(mixed.rejects[3]!.reason).toContain('31.02.1980');
  });

  it('re-imports idempotently without new change_seq, and bumps it only for real changes', async () => {
    const dataset = await registry().createDataset(system, { name: 'idem', title: 'Idempotence' });
    const lines = demoEntities({ persons: 5, prefix: 'idem' }).map((e) => `${JSON.stringify(e)}\n`);
    const first = await importInto(dataset.id, chunks(...lines));
    expect(first.summary.imported).toBe(lines.length);
    const seqs = async () =>
      (
        await sql<{ id: string; change_seq: number }>`
          select id, change_seq from registry_entities where dataset_id = ${dataset.id} order by id`.execute(
          ctx.database.db,
        )
      ).rows.map((row) => `${row.id}:${row.change_seq}`);
    const before = await seqs();
    const again = await importInto(dataset.id, chunks(...lines));
    expect(again.summary).toMatchObject({ imported: 0, unchanged: lines.length, rejected: 0 });
    expect(await seqs()).toEqual(before);

    const changed = lines.map((line) =>
      line.includes('"idem-person-001"')
        ? line.replace('Invented person (demo data).', 'Edited note.')
        : line,
    );
    const third = await importInto(dataset.id, chunks(...changed));
    expect(third.summary).toMatchObject({ imported: 1, unchanged: lines.length - 1 });
    const after = await seqs();
    expect(after.filter((entry, index) => entry !== before[index])).toHaveLength(1);
    expect(after.find((entry) => entry.startsWith('idem-person-001:'))).not.toBe(
      before.find((entry) => entry.startsWith('idem-person-001:')),
    );
  });

  it('rejects a huge line and invalid UTF-8 but keeps the lines around them', async () => {
    const dataset = await registry().createDataset(system, { name: 'hostile', title: 'Hostile input' });
    const ok = (id: string) =>
      `${JSON.stringify({ id, schema: 'Person', properties: { name: [`Name ${id}`] } })}\n`;
    const huge = `{"id":"huge","schema":"Person","properties":{"name":["${'x'.repeat(2 * 1024 * 1024)}"]}}\n`;
    const { summary, rejects } = await importInto(
      dataset.id,
      chunks(
        ok('h1'),
        huge,
        Buffer.concat([
          Buffer.from('{"id":"u","schema":"Person","properties":{"name":["'),
          Buffer.from([0xc3, 0x28]),
          Buffer.from('"]}}\n'),
        ]),
        'not json at all\n',
        `${JSON.stringify({ id: 'd', schema: 'Person', properties: { birthDate: ['1975-13-45'] } })}\n`,
        `${JSON.stringify({ id: 'long-name', schema: 'Person', properties: { name: ['я'.repeat(10_000)] } })}\n`,
        ok('h2'),
      ),
    );
    expect(summary).toMatchObject({ imported: 2, rejected: 5 });
    expect(rejects.map((r) => [r.line, r.code])).toEqual([
      [2, 'SVD_REGISTRY_LINE_TOO_LONG'],
      [3, 'SVD_REGISTRY_BAD_UTF8'],
      [4, 'SVD_REGISTRY_BAD_JSON'],
      [5, 'SVD_REGISTRY_BAD_DATE'],
      [6, 'SVD_REGISTRY_BAD_VALUE'],
    ]);
    const ids = (await registry().getEntitiesByIds(['h1', 'h2', 'huge'])).keys();
    expect([...ids].sort()).toEqual(['h1', 'h2']);
  });

  it('refuses ids of another dataset, merges fragments within a batch', async () => {
    const a = await registry().createDataset(system, { name: 'owner-a', title: 'A' });
    const b = await registry().createDataset(system, { name: 'owner-b', title: 'B' });
    await importInto(
      a.id,
      chunks(`${JSON.stringify({ id: 'shared-1', schema: 'Person', properties: { name: ['A'] } })}\n`),
    );
    const result = await importInto(
      b.id,
      chunks(
        `${JSON.stringify({ id: 'shared-1', schema: 'Person', properties: { name: ['B'] } })}\n`,
        'not json\n',
        `${JSON.stringify({ id: 'frag', schema: 'Person', properties: { name: ['One'] } })}\n`,
        `${JSON.stringify({ id: 'frag', schema: 'Person', properties: { alias: ['Two'] } })}\n`,
      ),
    );
    // In line order, though the id conflict is found only when the batch is written.
    expect(result.rejects).toMatchObject([
      { line: 1, code: 'SVD_REGISTRY_ID_TAKEN', id: 'shared-1' },
      { line: 2, code: 'SVD_REGISTRY_BAD_JSON' },
    ]);
    const entities = await registry().getEntitiesByIds(['shared-1', 'frag']);
    expect(entities.get('shared-1')!.properties.name).toEqual(['A']);
    expect(entities.get('frag')!.properties).toEqual({ name: ['One'], alias: ['Two'] });
  });

  it('keeps the valid lines read before a broken stream and records the import as failed', async () => {
    const dataset = await registry().createDataset(system, { name: 'broken', title: 'Broken stream' });
    async function* broken() {
      yield Buffer.from(
        `${JSON.stringify({ id: 'broken-1', schema: 'Person', properties: { name: ['Kept'] } })}\n`,
      );
      throw new Error('connection reset');
    }
    await expect(registry().importStream(system, dataset.id, broken())).rejects.toMatchObject({
      code: 'SVD_REGISTRY_FILE',
    });
    expect((await registry().getEntitiesByIds(['broken-1'])).get('broken-1')?.caption).toBe('Kept');
    const detail = await registry().getDataset(system, dataset.id);
    expect(detail.lastImport).toMatchObject({ status: 'failed', imported: 1 });
    expect((await auditRows('registry.import', dataset.id)).map((row) => row.outcome)).toEqual(['failed']);
  });

  it('exports FtM lines that re-import to identical data', async () => {
    const source = await registry().createDataset(system, { name: 'round-a', title: 'Round trip A' });
    const copy = await registry().createDataset(system, { name: 'round-b', title: 'Round trip B' });
    const entities = demoEntities({ persons: 8, prefix: 'rt' });
    await importInto(source.id, chunks(...entities.map((e) => `${JSON.stringify(e)}\n`)));
    let exported = '';
    for await (const chunk of registry().exportLines(system, source.id, 7)) exported += chunk;
    const lines = exported.trim().split('\n');
    expect(lines).toHaveLength(entities.length);
    const parsed = lines.map((line) => JSON.parse(line));
    const byId = new Map(entities.map((e) => [e.id, e]));
    for (const entity of parsed) expect(entity).toEqual(byId.get(entity.id));
    // Into a fresh dataset (ids are global, so a renamed copy), then export again: same content.
    const renamed = exported.replaceAll('"rt-', '"rt2-');
    const second = await importInto(copy.id, chunks(renamed));
    expect(second.summary).toMatchObject({ imported: entities.length, rejected: 0 });
    let again = '';
    for await (const chunk of registry().exportLines(system, copy.id)) again += chunk;
    expect(again).toBe(renamed);
    // And into the source itself: nothing changes.
    const third = await importInto(source.id, chunks(exported));
    expect(third.summary).toMatchObject({ imported: 0, unchanged: entities.length });
  });

  it('serves the polling interface: change_seq order, tombstones after a start point', async () => {
    const dataset = await registry().createDataset(system, { name: 'poll', title: 'Polling' });
    const startSeq = await maxSeq();
    await importInto(
      dataset.id,
      chunks(
        ...['p1', 'p2', 'p3', 'p4'].map(
          (id) => `${JSON.stringify({ id: `poll-${id}`, schema: 'Person', properties: { name: [id] } })}\n`,
        ),
      ),
    );
    const analyst = await loggedInClient(t, 'analyst');
    const removed = await analyst.request('DELETE', '/api/entities/poll-p2');
    expect(removed.status).toBe(204);
    const batches: string[][] = [];
    for await (const batch of t.runtime.areas.registry.scanForIndex({ afterSeq: startSeq, batchSize: 3 }))
      batches.push(batch.map((e) => `${e.id}${e.deleted ? ' (deleted)' : ''}`));
    expect(batches).toEqual([['poll-p1', 'poll-p3', 'poll-p4'], ['poll-p2 (deleted)']]);
    const seqs: number[] = [];
    for await (const batch of t.runtime.areas.registry.scanForIndex({ batchSize: 50 })) {
      for (const entity of batch) {
        seqs.push(entity.changeSeq);
        expect(entity.deleted).toBe(false);
      }
    }
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    const byId = await t.runtime.areas.registry.getEntitiesByIds(['poll-p2', 'poll-p1', 'missing']);
    expect(byId.get('poll-p2')).toMatchObject({ deleted: true, properties: {} });
    expect(byId.get('poll-p1')).toMatchObject({ deleted: false, datasetId: dataset.id, caption: 'p1' });
    expect(byId.has('missing')).toBe(false);
    expect((await analyst.request('GET', '/api/entities/poll-p2')).status).toBe(404);
    expect(await auditRows('registry.entity.delete', 'poll-p2')).toHaveLength(1);

    async function maxSeq() {
      const row = await sql<{ n: number | null }>`select max(change_seq) as n from registry_entities`.execute(
        ctx.database.db,
      );
      return Number(row.rows[0]?.n ?? 0);
    }
  });

  it('keeps restricted datasets invisible (not found) without a grant, to analysts and API keys', async () => {
    const admin = await loggedInClient(t, 'admin');
    const created = await admin.request('POST', '/api/datasets', {
      name: 'secret-compartment',
      title: 'Restricted',
      restricted: true,
    });
    expect(created.status).toBe(200);
    const secretId = created.json.dataset.id as string;
    await importInto(
      secretId,
      readFileSync(path.join(fixtures, 'valid.ftm.jsonl')).toString().replaceAll('"fx-', '"sx-'),
    );
    const open = await registry().createDataset(system, { name: 'open-compartment', title: 'Open' });
    await importInto(
      open.id,
      chunks(
        `${JSON.stringify({ id: 'open-1', schema: 'Person', properties: { name: ['Open Person'] } })}\n`,
      ),
    );

    const analyst = await loggedInClient(t, 'analyst');
    const key = await apiKeyClient(t, ['registry:read'], 'compartment test');
    for (const client of [analyst, key]) {
      const list = await client.request('GET', '/api/datasets');
      expect(list.json.items.map((d: { name: string }) => d.name)).not.toContain('secret-compartment');
      for (const url of [
        `/api/datasets/${secretId}`,
        '/api/datasets/secret-compartment',
        '/api/entities/sx-person-1',
        `/api/entities?dataset=${secretId}`,
        `/api/datasets/${secretId}/export`,
      ]) {
        const response = await client.request('GET', url);
        expect(response.status, url).toBe(404);
        expect(response.json.error.code, url).toBe('SVD_HTTP_NOT_FOUND');
      }
      const search = await client.request('GET', '/api/entities?q=Навумаў');
      expect(search.json.items.map((e: { id: string }) => e.id)).not.toContain('sx-person-1');
    }
    // Dataset descriptions need no purpose; entity reads by API key do.
    const noPurpose = await apiKeyClient(t, ['registry:read']);
    expect((await noPurpose.request('GET', '/api/datasets')).status).toBe(200);
    expect((await noPurpose.request('GET', '/api/entities/open-1')).json.error.code).toBe(
      'SVD_AUTH_PURPOSE_REQUIRED',
    );
    // The API key sees only granted datasets, not even the open one.
    expect((await key.request('GET', '/api/entities/open-1')).status).toBe(404);
    expect((await analyst.request('GET', '/api/entities/open-1')).status).toBe(200);
    expect((await auditRows('registry.entity.read', 'sx-person-1')).map((r) => r.outcome)).toEqual([
      'denied',
      'denied',
    ]);

    // Grants open the compartment.
    for (const [type, id] of [
      ['user', analyst.userId],
      ['apikey', key.apiKey.id],
    ] as const) {
      const grant = await admin.request('POST', '/api/grants', {
        principalType: type,
        principalId: id,
        resourceType: 'dataset',
        resourceId: secretId,
      });
      expect(grant.status).toBe(204);
    }
    for (const client of [analyst, key]) {
      const detail = await client.request('GET', '/api/entities/sx-person-1');
      expect(detail.status).toBe(200);
      expect(detail.json.entity.caption).toBe('Навумаў Сяргей Іванавіч');
    }
    expect((await key.request('GET', '/api/entities/open-1')).status).toBe(404);
  });

  it('shows an entity with names by script, positions over time, sanctions, identifiers; audits reads', async () => {
    const dataset = await registry().createDataset(system, { name: 'detail', title: 'Detail' });
    await importInto(
      dataset.id,
      readFileSync(path.join(fixtures, 'valid.ftm.jsonl')).toString().replaceAll('"fx-', '"dx-'),
    );
    const analyst = await loggedInClient(t, 'analyst');
    const response = await analyst.request('GET', '/api/entities/dx-person-1');
    expect(response.status).toBe(200);
    const detail = response.json;
    expect(detail.dataset.name).toBe('detail');
    expect(
      detail.names.map((g: { script: string; language: string | null }) => `${g.script}:${g.language}`),
    ).toEqual(['cyrillic:be', 'cyrillic:ru', 'latin:null']);
    expect(detail.occupancies).toHaveLength(1);
    expect(detail.occupancies[0].link.properties.startDate).toEqual(['2012']);
    expect(detail.occupancies[0].others.map((e: { id: string }) => e.id)).toEqual([
      'dx-position-1',
      'dx-body-1',
    ]);
    expect(detail.sanctions[0].link.properties.authority).toEqual(['Demo Sanctions Authority']);
    expect(detail.identifications[0].link.properties.number).toEqual(['DEMO7104001']);
    const org = await analyst.request('GET', '/api/entities/dx-org-1');
    expect(org.json.addresses.map((e: { id: string }) => e.id)).toEqual(['dx-address-1']);
    expect(org.json.memberships[0].others.map((e: { id: string }) => e.id)).toEqual(['dx-person-2']);

    const reads = await auditRows('registry.entity.read', 'dx-person-1');
    expect(reads).toHaveLength(1);
    expect(reads[0]!.outcome).toBe('ok');
    // An organization's page names its members: the read is audited with the persons it showed.
    const orgReads = await auditRows('registry.entity.read', 'dx-org-1');
    expect(orgReads).toHaveLength(1);
    expect((orgReads[0]!.details as { persons: string[] }).persons).toEqual(['dx-person-2']);

    const list = await analyst.request('GET', `/api/entities?dataset=detail&schema=Person&limit=1`);
    expect(list.json.items).toHaveLength(1);
    expect(list.json.nextCursor).toBeTruthy();
    const next = await analyst.request(
      'GET',
      `/api/entities?dataset=detail&schema=Person&limit=1&cursor=${list.json.nextCursor}`,
    );
    expect(next.json.items[0].id).not.toBe(list.json.items[0].id);
    expect(next.json.nextCursor).toBeNull();
    expect((await analyst.request('GET', '/api/entities?cursor=garbage')).json.error.code).toBe(
      'SVD_REGISTRY_BAD_CURSOR',
    );
    const byName = await analyst.request('GET', `/api/entities?q=${encodeURIComponent('ольга')}`);
    expect(byName.json.items.map((e: { id: string }) => e.id)).toContain('dx-person-2');
  });

  it('creates and edits entities with validation, conflicts and audited changes', async () => {
    const dataset = await registry().createDataset(system, { name: 'edits', title: 'Edits' });
    const analyst = await loggedInClient(t, 'analyst');
    const reviewer = await loggedInClient(t, 'reviewer');
    const bad = await analyst.request('POST', '/api/entities', {
      datasetId: dataset.id,
      schema: 'Person',
      properties: { name: ['Рудзь Іван'], birthDate: ['1980-02-31'] },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('SVD_REGISTRY_BAD_DATE');
    const created = await analyst.request('POST', '/api/entities', {
      datasetId: dataset.id,
      schema: 'Person',
      properties: { name: ['Рудзь Іван'], birthDate: ['1980-02'] },
    });
    expect(created.status).toBe(200);
    const id = created.json.entity.id as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const seq = created.json.entity.changeSeq as number;

    expect(
      (await reviewer.request('PATCH', `/api/entities/${id}`, { properties: { name: ['X'] } })).status,
    ).toBe(404);
    const edited = await analyst.request('PATCH', `/api/entities/${id}`, {
      properties: { alias: ['Ivan RUDZ', 'Иван Рудь'], birthDate: [] },
      expectedChangeSeq: seq,
    });
    expect(edited.status).toBe(200);
    expect(edited.json.entity.properties).toEqual({
      name: ['Рудзь Іван'],
      alias: ['Ivan RUDZ', 'Иван Рудь'],
    });
    expect(edited.json.entity.changeSeq).toBeGreaterThan(seq);
    const stale = await analyst.request('PATCH', `/api/entities/${id}`, {
      properties: { alias: [] },
      expectedChangeSeq: seq,
    });
    expect(stale.status).toBe(409);
    expect(stale.json.error.code).toBe('SVD_REGISTRY_CONFLICT');
    const badDate = await analyst.request('PATCH', `/api/entities/${id}`, {
      properties: { birthDate: ['1975-13-45'] },
    });
    expect(badDate.json.error.code).toBe('SVD_REGISTRY_BAD_DATE');
    const unknown = await analyst.request('PATCH', `/api/entities/${id}`, { properties: { wings: ['2'] } });
    expect(unknown.json.error.code).toBe('SVD_REGISTRY_UNKNOWN_PROPERTY');

    const updates = await auditRows('registry.entity.update', id);
    expect(updates).toHaveLength(1);
    expect(updates[0]!.details).toMatchObject({ properties: ['alias', 'birthDate'] });
    // Values are not copied into the append-only log.
    expect(JSON.stringify(updates[0]!.details)).not.toContain('RUDZ');
    expect(await auditRows('registry.entity.create', id)).toHaveLength(1);
  });

  it('imports and exports over HTTP as streamed NDJSON', async () => {
    const analyst = await loggedInClient(t, 'analyst');
    const created = await analyst.request('POST', '/api/datasets', {
      name: 'http-import',
      title: 'HTTP import',
      source: 'fixtures',
      licence: 'CC0',
    });
    const datasetId = created.json.dataset.id as string;
    const body = readFileSync(path.join(fixtures, 'mixed.ftm.jsonl'))
      .toString('latin1')
      .replaceAll('"fx-', '"hx-');
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/datasets/${datasetId}/import`,
      headers: {
        cookie: analyst.cookie,
        'x-csrf-token': analyst.csrf,
        'content-type': 'application/x-ndjson',
      },
      payload: Buffer.from(body, 'latin1'),
    });
    expect(response.statusCode).toBe(200);
    const json = response.json();
    expect(json.summary).toMatchObject({ imported: 3, unchanged: 0, rejected: 10 });
    expect(json.rejects[0]).toMatchObject({ line: 2, code: 'SVD_REGISTRY_BAD_JSON' });
    const wrongType = await analyst.request('POST', `/api/datasets/${datasetId}/import`, { id: 'x' });
    expect(wrongType.json.error.code).toBe('SVD_HTTP_UNSUPPORTED_MEDIA');

    const exported = await t.app.inject({
      method: 'GET',
      url: `/api/datasets/${datasetId}/export`,
      headers: { cookie: analyst.cookie },
    });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toContain('application/x-ndjson');
    const ids = exported.body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).id);
    expect(ids.sort()).toEqual(['hx-body-1', 'hx-person-1', 'hx-person-2']);
    const datasets = await analyst.request('GET', '/api/datasets');
    const listed = datasets.json.items.find((d: { id: string }) => d.id === datasetId);
    expect(listed.counts).toEqual({ entities: 3, persons: 2 });
    expect(listed.lastImport).toMatchObject({ imported: 3, rejected: 10, status: 'done' });
    expect(await auditRows('registry.import', datasetId)).toHaveLength(1);
    expect(await auditRows('registry.export', datasetId)).toHaveLength(1);
  });

  it('seeds about 200 invented officials, idempotently', async () => {
    await t.runtime.areas.registry.seed();
    await t.runtime.areas.registry.seed();
    const demo = await registry().getDataset(system, 'demo-officials');
    expect(demo.counts!.persons).toBe(200);
    const restricted = await registry().getDataset(system, 'demo-witness-reports');
    expect(restricted.restricted).toBe(true);
    const person = (await registry().getEntitiesByIds(['demo-person-001'])).get('demo-person-001')!;
    expect(person.properties.name).toHaveLength(2);
    expect(person.properties.alias!.length).toBeGreaterThan(0);
    expect(person.properties.birthDate![0]).toMatch(/^\d{4}(-\d{2}(-\d{2})?)?$/);
  });
});
