/**
 * Case screening finds incidents that name the subject without a registry entity, on both databases:
 * the name as written in the incident is matched with the screening scorer, only within the incidents
 * the officer may see (a restricted collection needs a grant), and every such hit says where it came
 * from (incident, title, role) on the case page's API and in the report's JSON twin.
 */
import { beforeAll, expect, it } from 'vitest';
import { type Client, loggedInClient, useTestApp } from '../../test/support/app.js';
import { describeEachDatabase } from '../../test/support/databases.js';

const system = { type: 'system' as const, label: 'test' };

interface HitView {
  id: string;
  entityId: string;
  caption: string;
  score: number;
  source: { kind: string; incidentId?: string; incidentTitle?: string; role?: string; personId?: string };
}

describeEachDatabase('case screening of incident persons recorded by name', (ctx) => {
  const t = useTestApp(ctx);
  let admin: Client;
  let analyst: Client;
  let openIncident: string;
  let sealedIncident: string;
  let collection: string;

  beforeAll(async () => {
    const { service, links } = t.runtime.areas.incidents;
    collection = (
      await t.runtime.areas.evidence.compartments.createCollection(system, {
        name: 'Sealed detentions',
        description: 'test',
        restricted: true,
      })
    ).id;
    openIncident = (await service.createIncident(system, { title: 'Дубінкі на плошчы', description: '' })).id;
    sealedIncident = (
      await service.createIncident(system, {
        title: 'Допыт у РУУС',
        description: '',
        collectionId: collection,
      })
    ).id;
    // Synthetic names. The subject is written in Belarusian; the incidents wrote him in Russian and in
    // Latin, with a different (feminine) person and a linked registry entity as noise.
    await links.addPerson(system, openIncident, { role: 'perpetrator', name: 'Петрович Игорь Николаевич' });
    await links.addPerson(system, openIncident, { role: 'victim', name: 'Ганна Сымонаўна Лукашык' });
    await links.addPerson(system, openIncident, { role: 'witness', entityId: 'registry-person-x' });
    await links.addPerson(system, sealedIncident, { role: 'perpetrator', name: 'Ihar Piatrovich' });
    admin = await loggedInClient(t, 'admin');
    analyst = await loggedInClient(t, 'analyst');
  }, 120_000);

  async function screenedCase(client: Client): Promise<{ id: string; hits: HitView[] }> {
    const created = await client.request('POST', '/api/cases', {
      requesterOrg: 'Synthetic Migration Office',
      purpose: 'Residence permit vetting',
      subject: { names: ['Ігар Мікалаевіч Пятровіч'], birthDate: '1979-04-12' },
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const id = created.json.id as string;
    expect((await client.request('POST', `/api/cases/${id}/accept`, {})).status).toBe(200);
    const screened = await client.request('POST', `/api/cases/${id}/screen`, {});
    expect(screened.status, JSON.stringify(screened.json)).toBe(200);
    const detail = await client.request('GET', `/api/cases/${id}`);
    return { id, hits: detail.json.hits as HitView[] };
  }

  const fromIncidents = (hits: HitView[]) =>
    hits.filter((hit) => hit.source.kind === 'incident').sort((a, b) => b.score - a.score);

  it('finds the open incident’s perpetrator by name, saying which incident and role', async () => {
    const { hits } = await screenedCase(analyst);
    const found = fromIncidents(hits);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      caption: 'Петрович Игорь Николаевич',
      source: {
        kind: 'incident',
        incidentId: openIncident,
        incidentTitle: 'Дубінкі на плошчы',
        role: 'perpetrator',
      },
    });
    expect(found[0]!.score).toBeGreaterThanOrEqual(0.7);
    // The victim with another name is not a hit; nor is anyone in the restricted incident without a grant.
    expect(JSON.stringify(hits)).not.toContain('Лукашык');
    expect(JSON.stringify(hits)).not.toContain(sealedIncident);
  });

  it('finds the restricted incident’s person for those who may see its collection', async () => {
    const { id, hits } = await screenedCase(admin);
    expect(fromIncidents(hits).map((hit) => [hit.source.incidentId, hit.caption])).toEqual(
      expect.arrayContaining([
        [openIncident, 'Петрович Игорь Николаевич'],
        [sealedIncident, 'Ihar Piatrovich'],
      ]),
    );
    const granted = await admin.request('POST', '/api/grants', {
      principalType: 'user',
      principalId: analyst.userId,
      resourceType: 'evidence_collection',
      resourceId: collection,
    });
    expect(granted.status).toBeLessThan(300);
    const withGrant = fromIncidents((await screenedCase(analyst)).hits);
    expect(withGrant.map((hit) => hit.source.incidentId).sort()).toEqual(
      [openIncident, sealedIncident].sort(),
    );

    // Re-screening keeps each incident person as one hit (no duplicates, nothing new).
    const again = await admin.request('POST', `/api/cases/${id}/screen`, {});
    expect(again.json).toMatchObject({ new: 0, gone: 0 });

    // The report's JSON twin carries where each hit came from.
    const draft = await admin.request('POST', `/api/cases/${id}/reports`, { draft: true, language: 'en' });
    expect(draft.status).toBe(200);
    const reports = (await admin.request('GET', `/api/cases/${id}`)).json.reports as Array<{ id: string }>;
    const twin = await admin.request('GET', `/api/cases/${id}/report.json?report=${reports[0]!.id}`);
    expect(twin.status).toBe(200);
    expect(twin.json.hits).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          caption: 'Ihar Piatrovich',
          source: expect.objectContaining({
            kind: 'incident',
            incidentId: sealedIncident,
            role: 'perpetrator',
          }),
        }),
      ]),
    );
  });
});
