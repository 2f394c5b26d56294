/**
 * The registry does not confirm ids held by datasets the caller cannot see (issue 15, item 6): such a
 * collision is answered like a fresh import into the caller's own namespace.
 */
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { loggedInClient, useTestApp } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';

describeEachDatabase('registry ids and hidden datasets', (ctx) => {
  const t = useTestApp(ctx);
  const system = { type: 'system', label: 'test' } as const;
  const ndjson = (entities: object[]) => entities.map((e) => `${JSON.stringify(e)}\n`).join('');

  it('an id held by a restricted dataset imports like a fresh id, and the hidden entity is untouched', async () => {
    const registry = t.runtime.areas.registry.service;
    const secret = await registry.createDataset(system, {
      name: 'informants',
      title: 'Hidden',
      restricted: true,
    });
    await registry.importStream(
      system,
      secret.id,
      Readable.from([ndjson([{ id: 'src-17', schema: 'Person', properties: { name: ['Hidden Source'] } }])]),
    );
    const analyst = await loggedInClient(t, 'analyst');
    await analyst.request('POST', '/api/datasets', { name: 'probe', title: 'Probe' });
    const probe = (id: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/datasets/probe/import',
        headers: {
          cookie: analyst.cookie,
          'x-csrf-token': analyst.csrf,
          'content-type': 'application/x-ndjson',
        },
        payload: ndjson([
          { id, schema: 'Person', properties: { name: ['Probe Person'] } },
          { id: `${id}-passport`, schema: 'Identification', properties: { holder: [id], number: ['X1'] } },
        ]),
      });
    const taken = (await probe('src-17')).json();
    const fresh = (await probe('src-99')).json();
    // The same answer for an id that exists in the hidden dataset and one that exists nowhere.
    expect(taken.summary).toMatchObject({ imported: 2, rejected: 0 });
    expect(fresh.summary).toMatchObject({ imported: 2, rejected: 0 });
    expect(taken.rejects).toEqual([]);
    // The hidden entity kept its content; the analyst's copy lives in their own dataset.
    const hidden = await registry.getEntityDetail(system, 'src-17');
    expect(hidden.entity.properties.name).toEqual(['Hidden Source']);
    expect(hidden.identifications).toEqual([]);
    const own = await analyst.request('GET', '/api/entities?dataset=probe&schema=Identification');
    const passport = own.json.items.find(
      (e: { id: string; properties: { number: string[] } }) =>
        e.properties.number[0] === 'X1' && e.id.includes('src-17'),
    );
    expect(passport.properties.holder).toEqual(['probe.src-17']);
  });
});
