/**
 * Evidence compartments and the list/incident/upload API around them, on both databases: a restricted
 * collection's items never reach a caller without a grant (list, item, files, custody, incidents,
 * duplicates, export), the denial answers exactly like a missing id and is audited; and the polling,
 * filter, incident-page and upload-recovery endpoints the web pages use.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { ensureFixtures, type FixturePaths } from '../../scripts/make-fixtures.js';
import { apiKeyClient, type Client, loggedInClient, useTestApp } from '../../test/support/app.js';
import { describeEachDatabase } from '../../test/support/databases.js';
import type { Runtime } from '../runtime.js';
import type { EvidenceArea } from './index.js';

const system = { type: 'system' as const, label: 'test' };

function evidenceOf(runtime: Runtime): EvidenceArea {
  return (runtime.areas as unknown as { evidence: EvidenceArea }).evidence;
}

function multipart(parts: Array<{ name: string; value?: string; filename?: string; data?: Buffer }>) {
  const boundary = `----svdtest${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = part.filename
      ? `form-data; name="${part.name}"; filename="${part.filename}"`
      : `form-data; name="${part.name}"`;
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${part.filename ? 'Content-Type: application/octet-stream\r\n' : ''}\r\n`,
      ),
    );
    chunks.push(part.data ?? Buffer.from(part.value ?? ''));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

let fx: FixturePaths;
beforeAll(async () => {
  fx = await ensureFixtures();
}, 120_000);

describeEachDatabase('evidence compartments', (ctx) => {
  const t = useTestApp(ctx);
  const ids: Record<string, string> = {};
  let caseX: string;
  let general: string;
  let submissions: string;
  let openIncident: string;
  let restrictedIncident: string;
  let admin: Client;
  let analyst: Client;

  beforeAll(async () => {
    const evidence = evidenceOf(t.runtime);
    const collections = await evidence.compartments.listCollections(system);
    general = collections.find((c) => c.name === 'General')!.id;
    submissions = collections.find((c) => c.name === 'Citizen submissions')!.id;
    caseX = (
      await evidence.compartments.createCollection(system, {
        name: 'Case X',
        description: 'test',
        restricted: true,
      })
    ).id;
    const add = async (file: string, extra: Record<string, unknown> = {}) =>
      (
        await evidence.intake({
          stream: createReadStream(file),
          fileName: path.basename(file),
          channel: 'cli',
          actor: system,
          sourceLabel: 'volunteer archive',
          ...extra,
        })
      ).itemId;
    ids.open = await add(fx.jpeg);
    // The near-duplicate of the open photo sits in the restricted collection.
    ids.restricted = await add(fx.jpegNearDuplicate, { collection: 'Case X', sourceLabel: 'seized phone' });
    ids.other = await add(fx.png);
    ids.citizen = (
      await evidence.intake({
        stream: createReadStream(fx.jpegDifferent),
        channel: 'citizen',
        actor: { type: 'citizen' },
      })
    ).itemId;
    await t.runtime.jobs.drain();
    const incidents = t.runtime.areas.incidents;
    openIncident = (
      await incidents.service.createIncident(system, { title: 'Open incident', description: '' })
    ).id;
    await incidents.links.linkItem(system, openIncident, ids.open!, 'ROLE.CRIMEBASE');
    await incidents.links.linkItem(system, openIncident, ids.restricted!);
    restrictedIncident = (
      await incidents.service.createIncident(system, {
        title: 'Sealed case',
        description: '',
        collectionId: caseX,
      })
    ).id;
    await incidents.links.linkItem(system, restrictedIncident, ids.restricted!);
    admin = await loggedInClient(t, 'admin');
    analyst = await loggedInClient(t, 'analyst');
  }, 180_000);

  it('puts items in collections: staff default "General", citizens the restricted submissions', async () => {
    const service = evidenceOf(t.runtime).items;
    expect((await service.show(system, ids.open!, { recordView: false })).collectionId).toBe(general);
    expect((await service.show(system, ids.restricted!, { recordView: false })).collectionName).toBe(
      'Case X',
    );
    expect((await service.show(system, ids.citizen!, { recordView: false })).collectionId).toBe(submissions);
    const listed = await admin.request('GET', '/api/evidence/collections');
    expect(listed.json.items.map((c: { name: string }) => c.name)).toEqual(
      expect.arrayContaining(['General', 'Citizen submissions', 'Case X']),
    );
    expect(listed.json.items.find((c: { id: string }) => c.id === submissions).restricted).toBe(true);
  });

  it('never lists restricted items to staff without a grant; admins see all', async () => {
    const mine = await analyst.request('GET', '/api/evidence/items?limit=500');
    expect(mine.status).toBe(200);
    const seen = mine.json.items.map((i: { id: string }) => i.id);
    expect(seen).toContain(ids.open);
    expect(seen).not.toContain(ids.restricted);
    expect(seen).not.toContain(ids.citizen);
    expect(mine.json.total).toBe(seen.length);
    // Filtering by a collection one cannot see gives nothing (not an error that tells it exists).
    const probe = await analyst.request('GET', `/api/evidence/items?collectionId=${caseX}`);
    expect(probe.json).toMatchObject({ items: [], total: 0 });
    const collections = await analyst.request('GET', '/api/evidence/collections');
    expect(collections.json.items.map((c: { name: string }) => c.name)).toEqual(['General']);
    const all = await admin.request('GET', '/api/evidence/items?limit=500');
    expect(all.json.items.map((i: { id: string }) => i.id)).toEqual(
      expect.arrayContaining([ids.open, ids.restricted, ids.citizen]),
    );
  });

  it('answers every call on a restricted item exactly like a missing one, and audits the denial', async () => {
    const missing = randomUUID();
    const calls: Array<[string, (id: string) => string, unknown?]> = [
      ['GET', (id) => `/api/evidence/items/${id}`],
      ['GET', (id) => `/api/evidence/items/${id}/status`],
      ['GET', (id) => `/api/evidence/items/${id}/custody`],
      ['GET', (id) => `/api/evidence/items/${id}/original`],
      ['GET', (id) => `/api/evidence/items/${id}/thumbnail`],
      ['GET', (id) => `/api/evidence/items/${id}/stripped`],
      ['POST', (id) => `/api/evidence/items/${id}/classify`, { add: ['BY.V.FORCE'] }],
      ['POST', (id) => `/api/evidence/items/${id}/verification`, { state: 'verified' }],
      ['POST', (id) => `/api/evidence/items/${id}/verify`, {}],
      ['POST', () => `/api/evidence/incidents/${openIncident}/items`, undefined],
      ['POST', () => '/api/evidence/export', undefined],
    ];
    for (const [method, url, body] of calls) {
      const bodyFor = (id: string) =>
        url(id).endsWith('/items') && url(id).includes('incidents')
          ? { itemId: id }
          : url(id) === '/api/evidence/export'
            ? { itemIds: [ids.open, id] }
            : body;
      const denied = await analyst.request(method, url(ids.restricted!), bodyFor(ids.restricted!));
      const absent = await analyst.request(method, url(missing), bodyFor(missing));
      expect(denied.status, `${method} ${url('ID')}`).toBe(404);
      expect(denied.json, `${method} ${url('ID')}`).toEqual(absent.json);
    }
    const audit = await t.runtime.audit.list({ outcome: 'denied', target: caseX, limit: 100 });
    const actions = new Set(audit.map((row) => row.action));
    for (const action of [
      'evidence.item.read',
      'evidence.item.status',
      'evidence.custody.read',
      'evidence.item.download',
      'evidence.derivative.read',
      'evidence.item.classify',
      'evidence.incident.link',
      'evidence.export',
    ])
      expect(actions, action).toContain(action);
    expect(audit.every((row) => row.actorId === analyst.userId)).toBe(true);
    // Nothing was written on the restricted item by the refused calls.
    const custody = await evidenceOf(t.runtime).items.custodyLog(system, ids.restricted!);
    expect(custody.some((e) => e.actor.id === analyst.userId)).toBe(false);
  });

  it('hides restricted items inside visible pages: duplicates, incidents, custody references', async () => {
    const item = await analyst.request('GET', `/api/evidence/items/${ids.open}`);
    expect(item.status).toBe(200);
    expect(item.json.possibleDuplicates).toEqual([]);
    expect(JSON.stringify(item.json)).not.toContain(ids.restricted);
    expect(item.json.incidents.map((i: { incidentId: string }) => i.incidentId)).toEqual([openIncident]);
    expect(
      item.json.custody.some((e: { details: { redacted?: boolean } }) => e.details.redacted === true),
    ).toBe(true);
    // The admin sees the duplicate, with its file name and thumbnail.
    const full = await admin.request('GET', `/api/evidence/items/${ids.open}`);
    expect(full.json.possibleDuplicates).toContainEqual({
      itemId: ids.restricted,
      distance: expect.any(Number),
      fileName: 'photo-near-duplicate.jpg',
      hasThumbnail: true,
    });

    const incidents = await analyst.request('GET', '/api/evidence/incidents');
    const listed = incidents.json.items.map((i: { id: string }) => i.id);
    expect(listed).toContain(openIncident);
    expect(listed).not.toContain(restrictedIncident);
    expect(incidents.json.items.find((i: { id: string }) => i.id === openIncident).itemCount).toBe(1);
    const page = await analyst.request('GET', `/api/evidence/incidents/${openIncident}`);
    expect(page.json.items.map((i: { itemId: string }) => i.itemId)).toEqual([ids.open]);
    const sealed = await analyst.request('GET', `/api/evidence/incidents/${restrictedIncident}`);
    const none = await analyst.request('GET', `/api/evidence/incidents/${randomUUID()}`);
    expect(sealed.status).toBe(404);
    expect(sealed.json).toEqual(none.json);
    const byIncident = await analyst.request('GET', `/api/evidence/items?incidentId=${openIncident}`);
    expect(byIncident.json.items.map((i: { id: string }) => i.id)).toEqual([ids.open]);

    // An incident export must not leave with an item the exporter may not see.
    const exported = await analyst.request('POST', '/api/evidence/export', { incidentId: openIncident });
    expect(exported.status).toBe(404);
    expect(exported.json.error.code).toBe('SVD_HTTP_NOT_FOUND');
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/evidence/export',
      headers: { cookie: analyst.cookie, 'x-csrf-token': analyst.csrf },
      payload: { itemIds: [ids.open] },
    });
    expect(ok.statusCode).toBe(200);
  });

  it('a grant opens the collection; admins move items with a "transferred" custody event', async () => {
    const reviewer = await loggedInClient(t, 'reviewer');
    expect((await reviewer.request('GET', `/api/evidence/items/${ids.restricted}`)).status).toBe(404);
    const granted = await admin.request('POST', '/api/grants', {
      principalType: 'user',
      principalId: reviewer.userId,
      resourceType: 'evidence_collection',
      resourceId: caseX,
    });
    expect(granted.status).toBeLessThan(300);
    expect((await reviewer.request('GET', `/api/evidence/items/${ids.restricted}`)).status).toBe(200);
    const open = await reviewer.request('GET', `/api/evidence/items/${ids.open}`);
    expect(open.json.possibleDuplicates.map((d: { itemId: string }) => d.itemId)).toEqual([ids.restricted]);
    expect((await reviewer.request('GET', `/api/evidence/incidents/${restrictedIncident}`)).status).toBe(200);
    const exported = await t.app.inject({
      method: 'POST',
      url: '/api/evidence/export',
      headers: { cookie: reviewer.cookie, 'x-csrf-token': reviewer.csrf },
      payload: { incidentId: openIncident },
    });
    expect(exported.statusCode).toBe(200);
    // Still no citizen submissions for the reviewer.
    const list = await reviewer.request('GET', '/api/evidence/items?limit=500');
    expect(list.json.items.map((i: { id: string }) => i.id)).not.toContain(ids.citizen);

    // Only administrators move items or create collections.
    expect(
      (await analyst.request('POST', `/api/evidence/items/${ids.other}/collection`, { collectionId: caseX }))
        .status,
    ).toBe(404);
    expect(
      (await analyst.request('POST', '/api/evidence/collections', { name: 'Mine', restricted: false }))
        .status,
    ).toBe(404);
    const made = await admin.request('POST', '/api/evidence/collections', { name: 'Case Y' });
    expect(made.json).toMatchObject({ name: 'Case Y', restricted: true, itemCount: 0 });
    expect((await admin.request('POST', '/api/evidence/collections', { name: 'Case Y' })).status).toBe(409);
    const moved = await admin.request('POST', `/api/evidence/items/${ids.other}/collection`, {
      collectionId: made.json.id,
      note: 'belongs to case Y',
    });
    expect(moved.status).toBe(204);
    expect((await analyst.request('GET', `/api/evidence/items/${ids.other}`)).status).toBe(404);
    const custody = await evidenceOf(t.runtime).items.custodyLog(system, ids.other!);
    expect(custody.at(-1)).toMatchObject({
      action: 'transferred',
      // A restricted collection's name is encrypted: the chain (mirrored in the audit log) names it by id.
      details: {
        fromCollection: { id: general, name: 'General' },
        toCollection: { id: made.json.id, name: null },
      },
    });
  });

  it('uploads go to a chosen visible collection; an invisible one is "not found"; API keys submit blind', async () => {
    const form = (collectionId?: string) =>
      multipart([
        ...(collectionId ? [{ name: 'collectionId', value: collectionId }] : []),
        { name: 'files', filename: 'note.txt', data: Buffer.from(`analyst note ${randomUUID()}\n`) },
      ]);
    const send = async (client: { cookie: string; csrf: string }, body: ReturnType<typeof form>) =>
      t.app.inject({
        method: 'POST',
        url: '/api/evidence/upload',
        headers: { cookie: client.cookie, 'x-csrf-token': client.csrf, 'content-type': body.contentType },
        payload: body.body,
      });
    const denied = await send(analyst, form(caseX));
    expect(denied.statusCode).toBe(404);
    expect(denied.json().error.code).toBe('SVD_HTTP_NOT_FOUND');
    const stored = await send(admin, form(caseX));
    expect(stored.statusCode).toBe(200);
    const itemId = stored.json().items[0].itemId;
    expect((await evidenceOf(t.runtime).items.show(system, itemId, { recordView: false })).collectionId).toBe(
      caseX,
    );

    const partner = await apiKeyClient(t, ['evidence:submit']);
    const body = form();
    const submitted = await t.app.inject({
      method: 'POST',
      url: '/api/evidence/upload',
      headers: { authorization: `Bearer ${partner.secret}`, 'content-type': body.contentType },
      payload: body.body,
    });
    expect(submitted.statusCode).toBe(200);
    const partnerItem = submitted.json().items[0].itemId;
    expect(
      (await evidenceOf(t.runtime).items.show(system, partnerItem, { recordView: false })).collectionId,
    ).toBe(submissions);
    expect((await partner.request('GET', `/api/evidence/items/${partnerItem}`)).status).toBe(404);
  });

  it('polls status without a custody event; filters items by codes, text, state and capture time', async () => {
    const service = evidenceOf(t.runtime).items;
    const before = (await service.custodyLog(system, ids.open!)).length;
    const status = await analyst.request('GET', `/api/evidence/items/${ids.open}/status`);
    expect(status.json).toEqual({
      id: ids.open,
      processingState: 'done',
      mediaType: 'image/jpeg',
      kind: 'image',
      hasThumbnail: true,
    });
    expect((await service.custodyLog(system, ids.open!)).length).toBe(before);

    await service.classifyItem(system, ids.open!, ['BY.V.FORCE', 'EVT.PHOTO'], []);
    const list = async (query: string) =>
      (await analyst.request('GET', `/api/evidence/items?${query}`)).json as {
        items: Array<{ id: string; capturedAt: string | null; collectionName: string }>;
        total: number;
      };
    expect((await list('codes=BY.V.FORCE,BY.V.TORTURE')).items.map((i) => i.id)).toEqual([ids.open]);
    expect((await list('codes=BY.V.FORCE,BY.V.TORTURE&codesMatch=all')).total).toBe(0);
    expect((await list('codes=BY.V.FORCE,EVT.PHOTO&codesMatch=all')).items.map((i) => i.id)).toEqual([
      ids.open,
    ]);
    expect((await list('q=PHOTO.JPG')).items.map((i) => i.id)).toEqual([ids.open]);
    expect((await list('q=VOLUNTEER')).items.map((i) => i.id)).toContain(ids.open);
    expect((await list('q=100%25')).total).toBe(0);
    expect((await list('processingState=pending')).total).toBe(0);
    expect((await list('processingState=done')).items.map((i) => i.id)).toContain(ids.open);
    const detail = await service.show(system, ids.open!, { recordView: false });
    expect(detail.capturedAt).not.toBeNull();
    expect(detail.collectionName).toBe('General');
    const at = new Date(detail.capturedAt!).getTime();
    const range = (from: number, to: number) =>
      `capturedFrom=${new Date(from).toISOString()}&capturedTo=${new Date(to).toISOString()}`;
    expect((await list(range(at - 1000, at + 1000))).items.map((i) => i.id)).toEqual([ids.open]);
    expect((await list(range(at + 1000, at + 5000))).total).toBe(0);
    const paged = (await admin.request('GET', '/api/evidence/items?limit=1')).json;
    expect(paged.items).toHaveLength(1);
    expect(paged.total).toBeGreaterThan(1);
    expect(paged.next).toEqual(expect.any(String));
  });

  it('incidents: server filters and keyset pages; PATCH null clears; unlink, role change, remove person', async () => {
    const service = evidenceOf(t.runtime).items;
    for (const [title, place] of [
      ['Search alpha', 'Hrodna'],
      ['Search beta', 'Brest'],
      ['Search gamma', 'Hrodna region'],
    ])
      await analyst.request('POST', '/api/evidence/incidents', {
        title,
        place,
        occurredFrom: '2021-03-01T10:00:00Z',
        occurredTo: '2021-03-02T10:00:00Z',
      });
    const first = await analyst.request('GET', '/api/evidence/incidents?q=search&limit=2');
    expect(first.json.items).toHaveLength(2);
    expect(first.json.next).toEqual(expect.any(String));
    const second = await analyst.request(
      'GET',
      `/api/evidence/incidents?q=search&limit=2&before=${encodeURIComponent(first.json.next)}`,
    );
    const titles = [...first.json.items, ...second.json.items].map((i: { title: string }) => i.title);
    expect(titles.sort()).toEqual(['Search alpha', 'Search beta', 'Search gamma']);
    expect(second.json.next).toBeNull();
    expect((await analyst.request('GET', '/api/evidence/incidents?q=hrodna')).json.items).toHaveLength(2);
    const dated = await analyst.request(
      'GET',
      '/api/evidence/incidents?q=search&from=2021-03-02T00:00:00Z&to=2021-03-03T00:00:00Z',
    );
    expect(dated.json.items).toHaveLength(3);
    expect(
      (await analyst.request('GET', '/api/evidence/incidents?q=search&from=2021-04-01T00:00:00Z')).json.items,
    ).toHaveLength(0);

    const incident = (
      await analyst.request('POST', '/api/evidence/incidents', {
        title: 'To edit',
        place: 'Minsk',
        occurredFrom: '2020-08-09T18:00:00Z',
        placeType: 'LOC.POLICE_STATION',
      })
    ).json;
    const cleared = await analyst.request('PATCH', `/api/evidence/incidents/${incident.id}`, {
      place: null,
      placeType: null,
      occurredFrom: null,
      occurredTo: null,
      description: null,
    });
    expect(cleared.status).toBe(200);
    expect(cleared.json).toMatchObject({
      title: 'To edit',
      place: null,
      placeType: null,
      occurredFrom: null,
      occurredTo: null,
      description: '',
    });
    expect(
      (await analyst.request('PATCH', `/api/evidence/incidents/${incident.id}`, { title: null })).status,
    ).toBe(400);

    await analyst.request('POST', `/api/evidence/incidents/${incident.id}/items`, {
      itemId: ids.open,
      role: 'ROLE.CRIMEBASE',
    });
    const role = await analyst.request('PATCH', `/api/evidence/incidents/${incident.id}/items/${ids.open}`, {
      role: 'ROLE.LINKAGE',
    });
    expect(role.json.items).toEqual([{ itemId: ids.open, role: 'ROLE.LINKAGE' }]);
    const unlinked = await analyst.request(
      'DELETE',
      `/api/evidence/incidents/${incident.id}/items/${ids.open}`,
    );
    expect(unlinked.json.items).toEqual([]);
    expect(
      (await analyst.request('DELETE', `/api/evidence/incidents/${incident.id}/items/${ids.open}`)).status,
    ).toBe(404);
    const custody = (await service.custodyLog(system, ids.open!)).slice(-2);
    expect(custody[0]).toMatchObject({
      action: 'linked',
      details: { incidentId: incident.id, role: 'ROLE.LINKAGE', previousRole: 'ROLE.CRIMEBASE' },
    });
    expect(custody[1]).toMatchObject({ action: 'unlinked', details: { incidentId: incident.id } });

    const withPerson = await analyst.request('POST', `/api/evidence/incidents/${incident.id}/persons`, {
      role: 'witness',
      name: 'Invented Witness',
    });
    const personId = withPerson.json.persons[0].id;
    const removed = await analyst.request(
      'DELETE',
      `/api/evidence/incidents/${incident.id}/persons/${personId}`,
    );
    expect(removed.json.persons).toEqual([]);
    const audit = await t.runtime.audit.list({ action: 'evidence.incident.person.remove', limit: 5 });
    expect(audit[0]).toMatchObject({ targetId: incident.id, actorId: analyst.userId });
    expect(JSON.stringify(audit[0])).not.toContain('Invented Witness');
  });

  it('keeps a finished tus upload result for its uploader to recover', async () => {
    const data = readFileSync(fx.png).subarray(0, 5000);
    const payload = Buffer.concat([data, Buffer.from(randomUUID())]);
    const headers = { cookie: analyst.cookie, 'x-csrf-token': analyst.csrf, 'tus-resumable': '1.0.0' };
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/evidence/tus',
      headers: {
        ...headers,
        'upload-length': String(payload.length),
        'upload-metadata': `filename ${Buffer.from('part.bin').toString('base64')}`,
      },
    });
    const location = String(created.headers.location);
    const uploadId = location.split('/').pop()!;
    const done = await t.app.inject({
      method: 'PATCH',
      url: location,
      headers: { ...headers, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      payload,
    });
    expect(done.statusCode).toBe(204);
    const result = await analyst.request('GET', `/api/evidence/tus-result/${uploadId}`);
    expect(result.status).toBe(200);
    expect(result.json).toMatchObject({
      itemId: done.headers['upload-evidence-id'],
      sha256: done.headers['upload-sha256'],
      size: payload.length,
      duplicate: false,
    });
    const other = await loggedInClient(t, 'analyst');
    expect((await other.request('GET', `/api/evidence/tus-result/${uploadId}`)).status).toBe(404);
    expect((await analyst.request('GET', '/api/evidence/tus-result/unknownupload')).status).toBe(404);
  });
});
