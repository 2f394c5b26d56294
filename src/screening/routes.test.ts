import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiKeyClient, type Client, loggedInClient, useTestApp } from '../../test/support/app.js';
import { describeEachDatabase } from '../../test/support/databases.js';
import type { Principal } from '../platform/auth/model.js';

const system: Principal = { type: 'system', label: 'test' };

const openLines = [
  {
    id: 'scr-luk',
    schema: 'Person',
    properties: {
      name: ['Лукашэнка Аляксандр Рыгоравіч', 'Лукашенко Александр Григорьевич'],
      birthDate: ['1954-08-30'],
      gender: ['male'],
      idNumber: ['MP0000001'],
    },
  },
  {
    id: 'scr-luk-son',
    schema: 'Person',
    properties: { name: ['Лукашэнка Віктар Аляксандравіч'], birthDate: ['1975-11-28'] },
  },
  {
    id: 'scr-nav',
    schema: 'Person',
    properties: { name: ['Навумаў Уладзімір Уладзіміравіч'], birthDate: ['1956'] },
  },
  { id: 'scr-org', schema: 'Organization', properties: { name: ['Лукашэнка і партнёры'] } },
];
const restrictedLines = [
  {
    id: 'scr-secret',
    schema: 'Person',
    properties: { name: ['Кавалёў Сяргей Іванавіч'], birthDate: ['1970-05-05'] },
  },
];

function lines(entities: object[]) {
  return Readable.from(entities.map((e) => `${JSON.stringify(e)}\n`));
}

describeEachDatabase('screening API', (ctx) => {
  const t = useTestApp(ctx);
  let analyst: Client;
  let admin: Client;
  let restrictedId = '';
  let openId = '';

  beforeAll(async () => {
    const registry = t.runtime.areas.registry.service;
    const open = await registry.createDataset(system, {
      name: 'scr-open',
      title: 'Open test data',
      restricted: false,
    });
    const restricted = await registry.createDataset(system, {
      name: 'scr-restricted',
      title: 'Restricted',
      restricted: true,
    });
    openId = open.id;
    restrictedId = restricted.id;
    await registry.importStream(system, open.id, lines(openLines));
    await registry.importStream(system, restricted.id, lines(restrictedLines));
    analyst = await loggedInClient(t, 'analyst');
    admin = await loggedInClient(t, 'admin');
  });

  const query = (name: string, extra: Record<string, string[]> = {}) => ({
    schema: 'Person',
    properties: { name: [name], ...extra },
  });

  it('answers in yente shape, ranked, with explanations', async () => {
    const response = await analyst.request('POST', '/api/match', {
      queries: {
        q1: query('Aliaksandr Ryhoravich LUKASHENKA', { birthDate: ['1954'] }),
        q2: query('Naumov Vladimir'),
      },
    });
    expect(response.status).toBe(200);
    const q1 = response.json.responses.q1;
    expect(q1.status).toBe(200);
    expect(q1.results[0]).toMatchObject({
      id: 'scr-luk',
      schema: 'Person',
      match: true,
      datasets: ['scr-open'],
    });
    expect(q1.results[0].caption).toBeTruthy();
    expect(q1.results[0].properties.name).toContain('Лукашэнка Аляксандр Рыгоравіч');
    expect(q1.results[0].explanations[0].tokens.length).toBe(3);
    expect(q1.total).toEqual({ value: 1, relation: 'eq' });
    expect(q1.query).toEqual({
      schema: 'Person',
      properties: { name: ['Aliaksandr Ryhoravich LUKASHENKA'], birthDate: ['1954'] },
    });
    expect(response.json.responses.q2.results[0]).toMatchObject({ id: 'scr-nav', match: true });
    expect(response.json).toMatchObject({ limit: 5, threshold: 0.7 });
  });

  it('honours threshold, limit and exclude_entity_ids', async () => {
    const body = { queries: { q: query('Lukashenka Aliaksandr') } };
    const strict = await analyst.request('POST', '/api/match?threshold=0.99', body);
    expect(strict.json.responses.q.results[0].match).toBe(false);
    const one = await analyst.request('POST', '/api/match?limit=1', body);
    expect(one.json.responses.q.results).toHaveLength(1);
    const excluded = await analyst.request('POST', '/api/match?exclude_entity_ids=scr-luk', body);
    expect(excluded.json.responses.q.results.map((r: { id: string }) => r.id)).not.toContain('scr-luk');
    const bad = await analyst.request('POST', '/api/match?threshold=2', body);
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('SVD_HTTP_VALIDATION');
  });

  it('reports bad queries one by one, never failing the batch', async () => {
    const response = await analyst.request('POST', '/api/match', {
      queries: {
        ok: query('Lukashenka Aliaksandr'),
        empty: query('   '),
        long: query('x'.repeat(10_000)),
        control: query('Ivan\u0001Petrov'),
        date: query('Ivan Petrov', { birthDate: ['1975-13-45'] }),
        date2: query('Ivan Petrov', { birthDate: ['31.02.1980'] }),
        shape: { schema: 'Person', properties: { name: 5 } },
      },
    });
    expect(response.status).toBe(200);
    const r = response.json.responses;
    expect(r.ok.status).toBe(200);
    expect(r.empty.error.code).toBe('SVD_SCREENING_NAME_EMPTY');
    expect(r.long.error.code).toBe('SVD_SCREENING_NAME_TOO_LONG');
    expect(r.control.error.code).toBe('SVD_SCREENING_NAME_CONTROL_CHARS');
    expect(r.date.error.code).toBe('SVD_SCREENING_DATE_INVALID');
    expect(r.date2.error.code).toBe('SVD_SCREENING_DATE_INVALID');
    expect(r.shape.error.code).toBe('SVD_SCREENING_BAD_QUERY');
    expect(r.empty.status).toBe(400);
  });

  it('limits results to the datasets the caller may see, by name or id', async () => {
    const body = { queries: { q: query('Kavaliou Siarhei Ivanavich') } };
    const analystView = await analyst.request('POST', '/api/match', body);
    expect(analystView.json.responses.q.results.map((r: { id: string }) => r.id)).not.toContain('scr-secret');
    const adminView = await admin.request('POST', '/api/match', body);
    expect(adminView.json.responses.q.results[0]).toMatchObject({
      id: 'scr-secret',
      match: true,
      datasets: ['scr-restricted'],
    });
    const asked = await analyst.request('POST', '/api/match?dataset=scr-restricted', body);
    expect(asked.status).toBe(404);
    expect(asked.json.error.code).toBe('SVD_HTTP_NOT_FOUND');
    const unknown = await analyst.request('POST', '/api/match?dataset=no-such-dataset', body);
    expect(unknown.status).toBe(404);
    const byId = await admin.request('POST', `/api/match?dataset=${restrictedId}`, body);
    expect(byId.json.responses.q.results[0].id).toBe('scr-secret');
    const onlyOpen = await admin.request('POST', `/api/match?dataset=${openId}`, body);
    expect(onlyOpen.json.responses.q.results.map((r: { id: string }) => r.id)).not.toContain('scr-secret');
  });

  it('API keys need the screening scope, a purpose and a dataset grant', async () => {
    const body = { queries: { q: query('Lukashenka Aliaksandr') } };
    const noPurpose = await apiKeyClient(t, ['screening']);
    const missing = await noPurpose.request('POST', '/api/match', body);
    expect(missing.status).toBe(400);
    expect(missing.json.error.code).toBe('SVD_AUTH_PURPOSE_REQUIRED');
    const wrongScope = await apiKeyClient(t, ['registry:read'], 'verification');
    expect((await wrongScope.request('POST', '/api/match', body)).status).toBe(404);
    const partner = await apiKeyClient(t, ['screening'], 'verify applicant 42');
    const ungranted = await partner.request('POST', '/api/match', body);
    expect(ungranted.status).toBe(200);
    expect(ungranted.json.responses.q.results).toEqual([]);
    await t.runtime.access.grant(system, {
      principalType: 'apikey',
      principalId: partner.apiKey.id,
      resourceType: 'dataset',
      resourceId: openId,
    });
    const granted = await partner.request('POST', '/api/match', body);
    expect(granted.json.responses.q.results[0].id).toBe('scr-luk');
  });

  it('audits every call: who, purpose, query and result ids', async () => {
    const partner = await apiKeyClient(t, ['screening'], 'audit check');
    await t.runtime.access.grant(system, {
      principalType: 'apikey',
      principalId: partner.apiKey.id,
      resourceType: 'dataset',
      resourceId: openId,
    });
    await partner.request('POST', '/api/match', { queries: { audited: query('Naumov Vladimir') } });
    const rows = await t.runtime.audit.list({ action: 'screening.match', limit: 50 });
    const row = rows.find((r) => r.actorId === partner.apiKey.id);
    expect(row).toBeDefined();
    expect(row!.purpose).toBe('audit check');
    expect(JSON.stringify(row!.details)).toContain('Naumov Vladimir');
    expect((row!.details as { results: Record<string, string[]> }).results.audited).toContain('scr-nav');
  });

  it('sees registry changes on the next call', async () => {
    const registry = t.runtime.areas.registry.service;
    await registry.importStream(
      system,
      openId,
      lines([{ id: 'scr-new', schema: 'Person', properties: { name: ['Жук Пётр Мікалаевіч'] } }]),
    );
    const response = await analyst.request('POST', '/api/match', {
      queries: { q: query('Zhuk Piotr Mikalaevich') },
    });
    expect(response.json.responses.q.results[0]).toMatchObject({ id: 'scr-new', match: true });
  });

  it('search: free text over names, dates and identifiers for staff', async () => {
    const byName = await analyst.request('GET', `/api/search?q=${encodeURIComponent('лукашенко')}`);
    expect(byName.status).toBe(200);
    const ids = byName.json.results.map((r: { id: string }) => r.id);
    expect(ids).toContain('scr-luk');
    expect(byName.json.results[0].explanations[0].tokens.length).toBeGreaterThan(0);
    const withDate = await analyst.request('GET', `/api/search?q=${encodeURIComponent('Lukashenka 1975')}`);
    expect(withDate.json.results[0].id).toBe('scr-luk-son');
    const byId = await analyst.request('GET', '/api/search?q=MP0000001');
    expect(byId.json.results[0].id).toBe('scr-luk');
    const organisation = await analyst.request(
      'GET',
      `/api/search?q=${encodeURIComponent('Лукашэнка партнёры')}`,
    );
    expect(organisation.json.results.map((r: { id: string }) => r.id)).toContain('scr-org');
    const empty = await analyst.request('GET', '/api/search?q=%20');
    expect(empty.status).toBe(400);
    expect(empty.json.error.code).toBe('SVD_SCREENING_QUERY_TEXT');
    const hidden = await analyst.request('GET', `/api/search?q=${encodeURIComponent('Kavaliou Siarhei')}`);
    expect(hidden.json.results.map((r: { id: string }) => r.id)).not.toContain('scr-secret');
    const partner = await apiKeyClient(t, ['screening'], 'x');
    expect((await partner.request('GET', '/api/search?q=Lukashenka')).status).toBe(404);
  });

  it('bulk: CSV in, CSV out, bad rows reported', async () => {
    const csv =
      'id,name,birth_date,ref\n1,"LUKASHENKA, Aliaksandr",1954,A\n2,,,B\n3,Naumov Vladimir,31.02.1980,C\n';
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/screen/bulk?limit=2',
      headers: { cookie: analyst.cookie, 'x-csrf-token': analyst.csrf, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    const out = response.body.trim().split('\n');
    expect(out[0]).toBe(
      'query_id,ref,rank,result_id,caption,score,match,datasets,matched_name,rules,error_code,error_message',
    );
    expect(out[1]).toMatch(/^1,A,1,scr-luk,/);
    expect(out.some((l) => l.startsWith('2,B,') && l.includes('SVD_SCREENING_NAME_EMPTY'))).toBe(true);
    expect(out.some((l) => l.startsWith('3,C,') && l.includes('SVD_SCREENING_DATE_INVALID'))).toBe(true);
    const jsonl = await t.app.inject({
      method: 'POST',
      url: '/api/screen/bulk?output=jsonl',
      headers: { cookie: analyst.cookie, 'x-csrf-token': analyst.csrf, 'content-type': 'text/csv' },
      payload: csv,
    });
    const first = JSON.parse(jsonl.body.split('\n')[0]!);
    expect(first.id).toBe('1');
    expect(first.results[0]).toMatchObject({ id: 'scr-luk', match: true });
    const badHeader = await t.app.inject({
      method: 'POST',
      url: '/api/screen/bulk',
      headers: { cookie: analyst.cookie, 'x-csrf-token': analyst.csrf, 'content-type': 'text/csv' },
      payload: 'ident,fullname\n1,x\n',
    });
    expect(badHeader.statusCode).toBe(400);
    expect(badHeader.json().error.code).toBe('SVD_SCREENING_CSV_COLUMNS');
  });
});

describe('screening module', () => {
  it('exports the service factory', async () => {
    const module = await import('./index.js');
    expect(typeof module.createScreening).toBe('function');
  });
});
