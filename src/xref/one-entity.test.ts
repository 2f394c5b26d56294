/**
 * One person everywhere: once two records are decided to be one person, /api/match, /api/search and bulk
 * screening answer one result for the cluster (canonical id, member ids, every member's dataset), only
 * with the members the caller may see.
 */
import { Readable } from 'node:stream';
import { beforeAll, expect, it } from 'vitest';
import { type Client, loggedInClient, useTestApp } from '../../test/support/app.js';
import { describeEachDatabase } from '../../test/support/databases.js';
import type { Principal } from '../platform/auth/model.js';

const system: Principal = { type: 'system', label: 'test' };
const lines = (entities: object[]) => Readable.from(entities.map((e) => `${JSON.stringify(e)}\n`));
const person = (id: string, name: string, birthDate: string) => ({
  id,
  schema: 'Person',
  properties: { name: [name], birthDate: [birthDate] },
});

describeEachDatabase('one entity everywhere', (ctx) => {
  const t = useTestApp(ctx);
  let analyst: Client;
  let admin: Client;
  let cluster = '';

  beforeAll(async () => {
    const registry = t.runtime.areas.registry.service;
    const a = await registry.createDataset(system, { name: 'one-a', title: 'A', restricted: false });
    const b = await registry.createDataset(system, { name: 'one-b', title: 'B', restricted: false });
    const s = await registry.createDataset(system, { name: 'one-s', title: 'S', restricted: true });
    await registry.importStream(
      system,
      a.id,
      lines([person('one-1', 'Навумаў Уладзімір Уладзіміравіч', '1956-02-07')]),
    );
    await registry.importStream(
      system,
      b.id,
      lines([person('one-2', 'Naumov Vladimir Vladimirovich', '1956-02-07')]),
    );
    await registry.importStream(
      system,
      s.id,
      lines([person('one-3', 'Навумов Владимир Владимирович', '1956-02-07')]),
    );
    for (const other of ['one-2', 'one-3']) {
      const outcome = await t.runtime.areas.xref.decisions.decide(system, {
        left: 'one-1',
        right: other,
        judgement: 'positive',
      });
      if (outcome.applied) cluster = outcome.left;
    }
    analyst = await loggedInClient(t, 'analyst');
    admin = await loggedInClient(t, 'admin');
  });

  it('/api/match answers the cluster once, with the members the caller may see', async () => {
    const query = {
      queries: { q: { schema: 'Person', properties: { name: ['Naumov Vladimir'], birthDate: ['1956'] } } },
    };
    const seen = await analyst.request('POST', '/api/match', query);
    expect(seen.status).toBe(200);
    const results = seen.json.responses.q.results;
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ id: cluster, referents: ['one-1', 'one-2'] });
    expect(results[0].datasets.sort()).toEqual(['one-a', 'one-b']);
    const all = await admin.request('POST', '/api/match', query);
    expect(all.json.responses.q.results[0]).toMatchObject({
      id: cluster,
      referents: ['one-1', 'one-2', 'one-3'],
    });
  });

  it('/api/search groups the same way; one visible member stays a record', async () => {
    const found = await analyst.request('GET', '/api/search?q=Навумаў%20Уладзімір');
    expect(found.json.results.filter((r: { id: string }) => r.id === cluster)).toHaveLength(1);
    const onlyB = await analyst.request('GET', '/api/search?q=Naumov%20Vladimir&dataset=one-b');
    expect(onlyB.json.results[0]).toMatchObject({ id: 'one-2', referents: ['one-2'] });
  });

  it('the merged entity lists every fact of every visible member with its dataset', async () => {
    const merged = await analyst.request('GET', '/api/xref/entities/one-2/merged');
    expect(merged.status).toBe(200);
    expect(merged.json.cluster.id).toBe(cluster);
    expect(merged.json.cluster.members.map((m: { id: string }) => m.id)).toEqual(['one-1', 'one-2']);
    const names = merged.json.properties.find((p: { property: string }) => p.property === 'name');
    expect(names.values).toEqual(
      expect.arrayContaining([
        { value: 'Навумаў Уладзімір Уладзіміравіч', sources: [{ entityId: 'one-1', dataset: 'one-a' }] },
        { value: 'Naumov Vladimir Vladimirovich', sources: [{ entityId: 'one-2', dataset: 'one-b' }] },
      ]),
    );
    const dates = merged.json.properties.find((p: { property: string }) => p.property === 'birthDate');
    expect(dates.values).toEqual([
      { value: '1956-02-07', sources: expect.arrayContaining([expect.anything(), expect.anything()]) },
    ]);
    expect((await analyst.request('GET', '/api/xref/entities/one-3/merged')).status).toBe(404);
  });

  it('exports a dataset with merged entities (referents) or records, within what the caller may see', async () => {
    const parse = (text: string) =>
      text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
    const seen = await analyst.request('GET', '/api/xref/datasets/one-b/merged.ftm.jsonl');
    expect(seen.status).toBe(200);
    expect(parse(seen.text)).toEqual([
      {
        id: cluster,
        schema: 'Person',
        referents: ['one-1', 'one-2'],
        datasets: ['one-a', 'one-b'],
        properties: {
          name: ['Навумаў Уладзімір Уладзіміравіч', 'Naumov Vladimir Vladimirovich'],
          birthDate: ['1956-02-07'],
        },
      },
    ]);
    const all = parse((await admin.request('GET', '/api/xref/datasets/one-a/merged.ftm.jsonl')).text);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ id: cluster, referents: ['one-1', 'one-2', 'one-3'] });
    expect(all[0].properties.name).toContain('Навумов Владимир Владимирович');
    expect((await analyst.request('GET', '/api/xref/datasets/one-s/merged.ftm.jsonl')).status).toBe(404);
    // A record decided into no cluster is written as it is.
    const registry = t.runtime.areas.registry.service;
    const c = await registry.createDataset(system, { name: 'one-c', title: 'C', restricted: false });
    await registry.importStream(system, c.id, lines([person('one-4', 'Жук Алесь', '1990-01-01')]));
    const alone = parse((await analyst.request('GET', '/api/xref/datasets/one-c/merged.ftm.jsonl')).text);
    expect(alone).toEqual([
      { id: 'one-4', schema: 'Person', properties: { name: ['Жук Алесь'], birthDate: ['1990-01-01'] } },
    ]);
  });
});
