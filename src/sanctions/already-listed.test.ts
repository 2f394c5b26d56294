/**
 * "Already listed?" through cross-referencing: once an officer decides that our record and an official
 * list's record are the same person, the listing counts as certain (score 1) on the proposal and on the
 * entity page even where screening by name would not find it, and the proposal carries the cluster.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { beforeAll, expect, it } from 'vitest';
import { type Client, loggedInClient, useTestApp } from '../../test/support/app.js';
import { describeEachDatabase } from '../../test/support/databases.js';

const system = { type: 'system' as const, label: 'test' };

describeEachDatabase('already listed through cross-referencing', (ctx) => {
  const t = useTestApp(ctx);
  let analyst: Client;
  const ours = 'xl-person-1';

  beforeAll(async () => {
    analyst = await loggedInClient(t, 'analyst');
    const registry = t.runtime.areas.registry.service;
    const dataset = await registry.createDataset(system, {
      name: 'xl-ours',
      title: 'Ours',
      restricted: false,
    });
    // A spelling screening does not link to the list's record (no shared name, no birth date).
    await registry.importStream(
      system,
      dataset.id,
      Readable.from([
        `${JSON.stringify({ id: ours, schema: 'Person', properties: { name: ['Tsimafei Kulikou'], passportNumber: ['MP1'] } })}\n`,
      ]),
    );
    await t.runtime.areas.sanctions.lists.importList(system, {
      format: 'eu-fsf-xml',
      dataset: 'xl-eu',
      files: [
        {
          name: 'eu-fsf.xml',
          open: () => createReadStream(path.resolve('test/fixtures/sanctions/eu-fsf.xml')),
        },
      ],
    });
  });

  it('counts list records in the person’s cluster as certain listings and stores the cluster', async () => {
    const before = (await analyst.request('GET', `/api/sanctions/entities/${ours}/listings`)).json.items;
    expect(before).toEqual([]);
    const record = (await t.runtime.areas.registry.service.getEntitiesByIds(['xl-eu-EU.9001.01'])).get(
      'xl-eu-EU.9001.01',
    );
    expect(record?.caption).toBeTruthy();
    await t.runtime.areas.xref.resolver.decide({
      left: ours,
      right: 'xl-eu-EU.9001.01',
      judgement: 'positive',
      method: 'human',
      userId: null,
      userLabel: 'test',
    });

    const after = (await analyst.request('GET', `/api/sanctions/entities/${ours}/listings`)).json.items;
    expect(after).toMatchObject([
      { entityId: 'xl-eu-EU.9001.01', score: 1, authority: 'EU', listId: 'EU.9001.01', endedAt: null },
    ]);
    expect(after[0].differences).toContainEqual({
      field: 'passportNumber',
      ours: ['MP1'],
      theirs: ['MP9001001'],
    });

    const created = await analyst.request('POST', '/api/sanctions/proposals', {
      entityId: ours,
      targets: [{ jurisdiction: 'UK', programme: 'Belarus' }],
    });
    expect(created.status, JSON.stringify(created.json)).toBe(200);
    const proposal = created.json.proposal;
    expect(proposal.clusterId).toBe((await t.runtime.areas.xref.clusters.clusterOf(ours)).id);
    const listings = (await analyst.request('GET', `/api/sanctions/proposals/${proposal.id}/listings`)).json
      .items;
    expect(listings.map((l: { listId: string; score: number }) => [l.listId, l.score])).toEqual([
      ['EU.9001.01', 1],
    ]);
  });
});
