/**
 * The review API on both databases: a run started through the API works in the job workers, the queue
 * shows only pairs whose both sides the reviewer may see, the comparison marks agreeing values and
 * gives each name its other forms, and a decision moves the queue on.
 */
import { Readable } from 'node:stream';
import { beforeAll, expect, it } from 'vitest';
import { type Client, loggedInClient, useTestApp } from '../../test/support/app.js';
import { describeEachDatabase } from '../../test/support/databases.js';
import type { Principal } from '../platform/auth/model.js';

const system: Principal = { type: 'system', label: 'test' };
const lines = (entities: object[]) => Readable.from(entities.map((e) => `${JSON.stringify(e)}\n`));

describeEachDatabase('xref review API', (ctx) => {
  const t = useTestApp(ctx);
  let analyst: Client;
  let admin: Client;

  beforeAll(async () => {
    const registry = t.runtime.areas.registry.service;
    const reg = await registry.createDataset(system, {
      name: 'rev-registry',
      title: 'Registry',
      restricted: false,
    });
    const list = await registry.createDataset(system, { name: 'rev-list', title: 'List', restricted: false });
    const secret = await registry.createDataset(system, {
      name: 'rev-secret',
      title: 'Secret',
      restricted: true,
    });
    await registry.importStream(
      system,
      reg.id,
      lines([
        {
          id: 'rv-pos',
          schema: 'Position',
          properties: { name: ['Суддзя Фрунзенскага раёна'] },
        },
        {
          id: 'rv-nav',
          schema: 'Person',
          properties: {
            name: ['Навумаў Уладзімір Уладзіміравіч'],
            birthDate: ['1956-02-07'],
            gender: ['male'],
          },
        },
        {
          id: 'rv-occ',
          schema: 'Occupancy',
          properties: { holder: ['rv-nav'], post: ['rv-pos'], startDate: ['2010'] },
        },
      ]),
    );
    await registry.importStream(
      system,
      list.id,
      lines([
        {
          id: 'rv-l1',
          schema: 'Person',
          properties: {
            name: ['NAUMOV Vladimir Vladimirovich'],
            birthDate: ['1956-02-07'],
            gender: ['female'],
          },
        },
      ]),
    );
    await registry.importStream(
      system,
      secret.id,
      lines([
        { id: 'rv-s1', schema: 'Person', properties: { name: ['Навумов Владимир'], birthDate: ['1956'] } },
      ]),
    );
    analyst = await loggedInClient(t, 'analyst');
    admin = await loggedInClient(t, 'admin');
  });

  it('starts runs in the background and reports progress', async () => {
    for (const dataset of ['rev-list', 'rev-secret']) {
      const started = await admin.request('POST', '/api/xref/runs', { dataset, against: ['rev-registry'] });
      expect(started.status).toBe(200);
      expect(started.json.run).toMatchObject({ dataset: { name: dataset }, state: 'queued' });
    }
    await t.runtime.jobs.drain();
    const list = await admin.request('GET', '/api/xref/runs');
    expect(list.json.items.map((r: { state: string }) => r.state)).toEqual(['done', 'done']);
    // An analyst does not see the run over the restricted dataset.
    const mine = await analyst.request('GET', '/api/xref/runs');
    expect(mine.json.items.map((r: { dataset: { name: string } }) => r.dataset.name)).toEqual(['rev-list']);
    const hidden = await analyst.request('POST', '/api/xref/runs', { dataset: 'rev-secret' });
    expect(hidden.status).toBe(404);
  });

  it('queues only pairs whose both sides the reviewer may see; compares them side by side', async () => {
    const all = await admin.request('GET', '/api/xref/queue');
    expect(all.json.total).toBe(2);
    const queue = await analyst.request('GET', '/api/xref/queue?limit=5');
    expect(queue.status).toBe(200);
    expect(queue.json.total).toBe(1);
    const pair = queue.json.items[0];
    expect(pair).toMatchObject({
      left: { id: 'rv-l1', dataset: 'rev-list' },
      right: { id: 'rv-nav', dataset: 'rev-registry' },
    });
    const compared = await analyst.request('GET', `/api/xref/pairs/${pair.id}`);
    expect(compared.status).toBe(200);
    const { left, right } = compared.json;
    expect(right.positions[0]).toMatchObject({ title: 'Суддзя Фрунзенскага раёна', start: '2010' });
    const birth = left.facts.find((f: { property: string }) => f.property === 'birthDate');
    expect(birth.values[0]).toEqual({ value: '1956-02-07', agrees: true });
    const gender = left.facts.find((f: { property: string }) => f.property === 'gender');
    expect(gender.values[0]).toEqual({ value: 'female', agrees: false });
    const name = right.names[0].names[0];
    expect(name.agrees).toBe(true);
    expect(name.forms.map((f: { kind: string }) => f.kind)).toEqual(
      expect.arrayContaining(['ru', 'latin-be']),
    );
    // The restricted pair is "not found" for the analyst.
    const secret = all.json.items.find(
      (p: { left: { id: string }; right: { id: string } }) => p.left.id === 'rv-s1' || p.right.id === 'rv-s1',
    );
    expect((await analyst.request('GET', `/api/xref/pairs/${secret.id}`)).status).toBe(404);
  });

  it('a decision moves the queue on; filters by dataset pair and score band', async () => {
    const byPair = await admin.request('GET', '/api/xref/queue?dataset=rev-registry,rev-secret');
    expect(byPair.json.total).toBe(1);
    expect((await analyst.request('GET', '/api/xref/queue?dataset=rev-secret')).status).toBe(404);
    const band = await admin.request('GET', '/api/xref/queue?minScore=0.99&maxScore=1');
    expect(band.json.items.every((p: { score: number }) => p.score >= 0.99)).toBe(true);
    const first = (await analyst.request('GET', '/api/xref/queue')).json.items[0];
    const decided = await analyst.request('POST', '/api/xref/decisions', {
      left: first.left.id,
      right: first.right.id,
      judgement: 'positive',
    });
    expect(decided.status).toBe(200);
    expect((await analyst.request('GET', '/api/xref/queue')).json.total).toBe(0);
    const decidedToo = await analyst.request('GET', '/api/xref/queue?undecided=false');
    expect(decidedToo.json.items[0]).toMatchObject({ id: first.id, judgement: 'positive' });
  });
});
