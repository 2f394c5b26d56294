/**
 * Incidents by person, on both databases: `GET /api/evidence/incidents?entityId=` lists the incidents where a
 * registry entity is a victim, perpetrator or witness, with its roles there, and never an incident in a
 * restricted collection the caller has no grant for (the person page is a hub, not a side door).
 */
import { beforeAll, expect, it } from 'vitest';
import { type Client, loggedInClient, useTestApp } from '../../test/support/app.js';
import { describeEachDatabase } from '../../test/support/databases.js';

const system = { type: 'system' as const, label: 'test' };

interface Listed {
  id: string;
  title: string;
  entityRoles?: string[];
}

describeEachDatabase('incidents by registry entity', (ctx) => {
  const t = useTestApp(ctx);
  let admin: Client;
  let analyst: Client;
  let open: string;
  let sealed: string;
  let other: string;

  beforeAll(async () => {
    const { service, links } = t.runtime.areas.incidents;
    const caseY = (
      await t.runtime.areas.evidence.compartments.createCollection(system, {
        name: 'Case Y',
        description: 'test',
        restricted: true,
      })
    ).id;
    open = (await service.createIncident(system, { title: 'Detention at the station', description: '' })).id;
    sealed = (
      await service.createIncident(system, {
        title: 'Sealed interrogation',
        description: '',
        collectionId: caseY,
      })
    ).id;
    other = (await service.createIncident(system, { title: 'Unrelated search', description: '' })).id;
    await links.addPerson(system, open, { role: 'perpetrator', entityId: 'demo-person-1' });
    await links.addPerson(system, open, { role: 'witness', entityId: 'demo-person-1' });
    await links.addPerson(system, open, { role: 'victim', name: 'Synthetic Victim' });
    await links.addPerson(system, sealed, { role: 'perpetrator', entityId: 'demo-person-1' });
    await links.addPerson(system, other, { role: 'victim', entityId: 'demo-person-2' });
    admin = await loggedInClient(t, 'admin');
    analyst = await loggedInClient(t, 'analyst');
  }, 120_000);

  const list = async (client: Client, entityId: string) => {
    const response = await client.request(
      'GET',
      `/api/evidence/incidents?entityId=${encodeURIComponent(entityId)}`,
    );
    expect(response.status).toBe(200);
    return response.json.items as Listed[];
  };

  it('lists only the incidents where the entity is a person, with its roles', async () => {
    const items = await list(admin, 'demo-person-1');
    expect(items.map((i) => i.title).sort()).toEqual(['Detention at the station', 'Sealed interrogation']);
    expect(items.find((i) => i.id === open)!.entityRoles).toEqual(['perpetrator', 'witness']);
    expect(items.find((i) => i.id === sealed)!.entityRoles).toEqual(['perpetrator']);
    expect((await list(admin, 'demo-person-2')).map((i) => i.id)).toEqual([other]);
    expect(await list(admin, 'nobody-here')).toEqual([]);
  });

  it('keeps restricted incidents from callers without a grant', async () => {
    const items = await list(analyst, 'demo-person-1');
    expect(items.map((i) => i.id)).toEqual([open]);
  });

  it('leaves lists without the filter as they were', async () => {
    const response = await admin.request('GET', '/api/evidence/incidents');
    const items = response.json.items as Listed[];
    expect(items.map((i) => i.id)).toEqual(expect.arrayContaining([open, sealed, other]));
    expect(items.every((i) => i.entityRoles === undefined)).toBe(true);
  });
});
