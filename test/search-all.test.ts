/**
 * The top bar's search across all resources (`GET /api/search/all`), on both databases: one section per
 * area, one row per resolved person, counts over what the caller may see only — an analyst without the
 * restricted collection or dataset learns neither the thing nor that it exists, not even from a count.
 */
import { Readable } from 'node:stream';
import { beforeAll, expect, it } from 'vitest';
import type { Principal } from '../src/platform/auth/model.js';
import { apiKeyClient, type Client, loggedInClient, useTestApp } from './support/app.js';
import { describeEachDatabase } from './support/databases.js';

const system: Principal = { type: 'system', label: 'test' };
const lines = (entities: object[]) => Readable.from(entities.map((e) => `${JSON.stringify(e)}\n`));
const person = (id: string, name: string, birthDate: string) => ({
  id,
  schema: 'Person',
  properties: { name: [name], birthDate: [birthDate] },
});

interface Section {
  key: string;
  total: { value: number; relation: string };
  items: Array<{ id: string; title: string; matchedIn: string | null; subtitle: string | null }>;
}
const section = (json: { sections: Section[] }, key: string) => json.sections.find((s) => s.key === key)!;

describeEachDatabase('search across all resources', (ctx) => {
  const t = useTestApp(ctx);
  let analyst: Client;
  let admin: Client;
  let cluster = '';
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const { registry, evidence, incidents, xref, sanctions, cases } = t.runtime.areas;
    const open = await registry.service.createDataset(system, {
      name: 'sa-staff',
      title: 'Staff',
      restricted: false,
    });
    const roster = await registry.service.createDataset(system, {
      name: 'sa-roster',
      title: 'Roster',
      restricted: false,
    });
    const secret = await registry.service.createDataset(system, {
      name: 'sa-secret',
      title: 'Secret',
      restricted: true,
    });
    await registry.service.importStream(
      system,
      open.id,
      lines([person('sa-1', 'Ждановіч Вольга Пятроўна', '1979-03-12')]),
    );
    await registry.service.importStream(
      system,
      roster.id,
      lines([person('sa-2', 'Zhdanovich Volha', '1979-03-12')]),
    );
    // A namesake only those granted the restricted dataset may know of.
    await registry.service.importStream(
      system,
      secret.id,
      lines([person('sa-3', 'Ждановіч Сцяпан Іванавіч', '1961-07-01')]),
    );
    const decided = await xref.decisions.decide(system, {
      left: 'sa-1',
      right: 'sa-2',
      judgement: 'positive',
    });
    if (decided.applied) cluster = decided.left;

    const sealed = await evidence.compartments.createCollection(system, {
      name: 'Case Z',
      description: 'test',
      restricted: true,
    });
    const add = async (fileName: string, extra: Record<string, unknown> = {}) =>
      (
        await evidence.intake({
          stream: Readable.from([Buffer.from(`synthetic ${fileName} ${Math.random()}`)]),
          fileName,
          channel: 'cli',
          actor: system,
          ...extra,
        })
      ).itemId;
    ids.file = await add('Ждановіч-пратакол.txt', { sourceLabel: 'volunteer archive' });
    ids.noted = await add('statement-17.txt', { note: 'Сведка: Ждановіч В. П., суд Маскоўскага раёна' });
    ids.sealed = await add('Ждановіч-допыт.txt', { collection: 'Case Z' });
    await add('unrelated.txt', { note: 'nothing here' });

    ids.incident = (
      await incidents.service.createIncident(system, { title: 'Суд над Ждановіч', description: '' })
    ).id;
    ids.sealedIncident = (
      await incidents.service.createIncident(system, {
        title: 'Затрыманне',
        description: '',
        place: 'Мінск, кватэра Ждановіч',
        collectionId: sealed.id,
      })
    ).id;

    ids.case = (
      await cases.service.create(system, {
        requesterOrg: 'Partner A',
        purpose: 'Employment vetting',
        subject: { names: ['Ждановіч Вольга'] },
      })
    ).id;

    ids.proposal = (
      await sanctions.proposals.create(system, {
        entityId: 'sa-1',
        targets: [{ jurisdiction: 'EU', programme: 'BLR' }],
      })
    ).id;
    ids.secretProposal = (
      await sanctions.proposals.create(system, {
        entityId: 'sa-3',
        targets: [{ jurisdiction: 'EU', programme: 'BLR' }],
      })
    ).id;

    analyst = await loggedInClient(t, 'analyst');
    admin = await loggedInClient(t, 'admin');
  });

  it('answers a section per area, one row per resolved person', async () => {
    const found = await analyst.request('GET', `/api/search/all?q=${encodeURIComponent('Ждановіч')}`);
    expect(found.status).toBe(200);
    expect(found.json.failed).toEqual([]);
    expect(found.json.sections.map((s: Section) => s.key).sort()).toEqual(
      ['cases', 'evidence', 'incidents', 'people', 'proposals'].sort(),
    );
    const people = section(found.json, 'people');
    // The two records decided to be one person are one row, under the cluster's id.
    expect(people.items.filter((p) => p.id === cluster)).toHaveLength(1);
    expect(people.items.map((p) => p.id)).not.toContain('sa-1');
    expect(people.items.map((p) => p.id)).not.toContain('sa-2');
    const cases = section(found.json, 'cases');
    expect(cases.items.map((c) => c.id)).toEqual([ids.case]);
    expect(cases.total.value).toBe(1);
  });

  it('finds evidence by file name and by its encrypted notes, saying where without showing the notes', async () => {
    const found = await analyst.request('GET', `/api/search/all?q=${encodeURIComponent('ждановіч')}`);
    const evidence = section(found.json, 'evidence');
    expect(evidence.items.map((i) => i.id).sort()).toEqual([ids.file, ids.noted].sort());
    expect(evidence.items.find((i) => i.id === ids.noted)!.matchedIn).toBe('note');
    expect(evidence.items.find((i) => i.id === ids.file)!.matchedIn).toBeNull();
    expect(JSON.stringify(found.json)).not.toContain('Маскоўскага');
  });

  it('never shows or counts what the caller may not see; an administrator sees and counts it', async () => {
    const q = `/api/search/all?q=${encodeURIComponent('Ждановіч')}`;
    const [mine, all] = [await analyst.request('GET', q), await admin.request('GET', q)];
    const text = JSON.stringify(mine.json);
    for (const hidden of [ids.sealed, ids.sealedIncident, ids.secretProposal, 'sa-3', 'Сцяпан', 'допыт'])
      expect(text).not.toContain(hidden);
    const count = (json: { sections: Section[] }, key: string) => section(json, key).total.value;
    expect(count(mine.json, 'evidence')).toBe(2);
    expect(count(all.json, 'evidence')).toBe(3);
    expect(count(mine.json, 'incidents')).toBe(1);
    expect(count(all.json, 'incidents')).toBe(2);
    expect(count(mine.json, 'proposals')).toBe(1);
    expect(count(all.json, 'proposals')).toBe(2);
    expect(section(mine.json, 'proposals').items.map((p) => p.id)).toEqual([ids.proposal]);
    expect(count(all.json, 'people')).toBe(count(mine.json, 'people') + 1);
    expect(section(all.json, 'people').items.map((p) => p.id)).toContain('sa-3');
    expect(section(all.json, 'evidence').items.map((i) => i.id)).toContain(ids.sealed);
  });

  it('the "see all" lists hold what the section counted', async () => {
    const q = encodeURIComponent('Ждановіч');
    const items = await analyst.request('GET', `/api/evidence/items?q=${q}`);
    expect(items.json.total).toBe(2);
    const incidents = await analyst.request('GET', `/api/evidence/incidents?q=${q}`);
    expect(incidents.json.items.map((i: { id: string }) => i.id)).toEqual([ids.incident]);
    const cases = await analyst.request('GET', `/api/cases?q=${q}`);
    expect(cases.json.cases.map((c: { id: string }) => c.id)).toEqual([ids.case]);
    const proposals = await analyst.request('GET', `/api/sanctions/proposals?q=${q}`);
    expect(proposals.json.items.map((p: { id: string }) => p.id)).toEqual([ids.proposal]);
    const byReference = await analyst.request(
      'GET',
      `/api/sanctions/proposals?q=${encodeURIComponent(proposals.json.items[0].reference)}`,
    );
    expect(byReference.json.items).toHaveLength(1);
  });

  it('limits each section but counts them all, and refuses a text too short to search', async () => {
    const found = await admin.request('GET', `/api/search/all?q=${encodeURIComponent('Ждановіч')}&limit=1`);
    const evidence = section(found.json, 'evidence');
    expect(evidence.items).toHaveLength(1);
    expect(evidence.total.value).toBe(3);
    expect((await analyst.request('GET', '/api/search/all?q=%20a%20')).status).toBe(400);
    expect((await analyst.request('GET', '/api/search/all')).status).toBe(400);
  });

  it('is described in the OpenAPI document from its schemas', async () => {
    const doc = await analyst.request('GET', '/api/openapi.json');
    const operation = doc.json.paths['/api/search/all'].get;
    expect(operation.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['limit', 'q']);
    expect(JSON.stringify(operation.responses['200'])).toContain('matchedIn');
  });

  it('is for staff only: API keys are refused', async () => {
    const key = await apiKeyClient(t, ['screening']);
    const response = await key.request('GET', `/api/search/all?q=${encodeURIComponent('Ждановіч')}`);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(response.json)).not.toContain('Ждановіч-пратакол');
  });
});
