/**
 * Reads of personal or compartmented data leave an audit row, with the purpose when the caller gave
 * one (issue 15, item 4): registry reads and lists, administration lists, incident pages (with the
 * people in them), evidence and incident searches (with the query), custody-log reads.
 */
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { EvidenceArea } from '../../src/evidence/index.js';
import { loggedInClient, useTestApp } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';

describeEachDatabase('sensitive reads are audited', (ctx) => {
  const t = useTestApp(ctx);
  const rows = async (action: string) =>
    (
      await sql<{ target_id: string | null; purpose: string | null; details: Record<string, unknown> }>`
        select target_id, purpose, details from audit_log where action = ${action} order by seq`.execute(
        ctx.database.db,
      )
    ).rows;

  it('registry reads and lists of every schema, with the purpose given', async () => {
    const analyst = await loggedInClient(t, 'analyst');
    const registry = t.runtime.areas.registry.service;
    const dataset = await registry.createDataset(
      { type: 'system', label: 'test' },
      { name: 'reads', title: 'Reads' },
    );
    const lines = [
      { id: 'reads-person', schema: 'Person', properties: { name: ['Ала Тэставая'] } },
      {
        id: 'reads-passport',
        schema: 'Identification',
        properties: { holder: ['reads-person'], number: ['MP0000001'], type: ['passport'] },
      },
    ];
    await registry.importStream(
      { type: 'system', label: 'test' },
      dataset.id,
      Readable.from([lines.map((line) => `${JSON.stringify(line)}\n`).join('')]),
    );
    const purpose = { 'x-purpose': 'vetting request 42' };
    expect((await analyst.request('GET', '/api/entities/reads-passport', undefined, purpose)).status).toBe(
      200,
    );
    const reads = (await rows('registry.entity.read')).filter((r) => r.target_id === 'reads-passport');
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({ purpose: 'vetting request 42', details: { schema: 'Identification' } });
    expect(reads[0]!.details.persons).toEqual(['reads-person']);

    const list = await analyst.request(
      'GET',
      '/api/entities?schema=Identification&dataset=reads',
      undefined,
      purpose,
    );
    expect(list.json.items).toHaveLength(1);
    const lists = await rows('registry.entity.list');
    expect(lists.at(-1)).toMatchObject({
      purpose: 'vetting request 42',
      details: { entities: ['reads-passport'] },
    });
  });

  it('the administrator lists of users, API keys and grants', async () => {
    const admin = await loggedInClient(t, 'admin');
    for (const url of ['/api/users', '/api/apikeys', '/api/grants?resourceType=dataset'])
      expect((await admin.request('GET', url)).status).toBe(200);
    expect(await rows('user.list')).toHaveLength(1);
    expect(await rows('apikey.list')).toHaveLength(1);
    expect((await rows('access.list'))[0]!.details).toMatchObject({ resourceType: 'dataset' });
  });

  it('incident pages, evidence and incident searches, and custody logs, with the purpose given', async () => {
    const analyst = await loggedInClient(t, 'analyst');
    const purpose = { 'x-purpose': 'detention report 7' };
    const incident = await analyst.request('POST', '/api/evidence/incidents', {
      title: 'Synthetic arrest at the bus stop',
      description: '',
    });
    await analyst.request('POST', `/api/evidence/incidents/${incident.json.id}/persons`, {
      role: 'witness',
      name: 'Invented Witness',
    });
    const evidence = (t.runtime.areas as unknown as { evidence: EvidenceArea }).evidence;
    const item = await evidence.intake({
      stream: Readable.from([Buffer.from('synthetic evidence text for the read audit\n')]),
      fileName: 'bus-stop-notes.txt',
      channel: 'cli',
      actor: { type: 'system', label: 'test' },
    });

    expect(
      (await analyst.request('GET', `/api/evidence/incidents/${incident.json.id}`, undefined, purpose))
        .status,
    ).toBe(200);
    const read = (await rows('evidence.incident.read')).at(-1)!;
    expect(read).toMatchObject({ target_id: incident.json.id, purpose: 'detention report 7' });
    expect(read.details.persons).toHaveLength(1);
    expect(JSON.stringify(read)).not.toContain('Invented Witness');

    const incidents = await analyst.request(
      'GET',
      '/api/evidence/incidents?q=bus%20stop',
      undefined,
      purpose,
    );
    expect(incidents.json.items.map((i: { id: string }) => i.id)).toContain(incident.json.id);
    expect((await rows('evidence.incident.list')).at(-1)).toMatchObject({
      purpose: 'detention report 7',
      details: { incidents: [incident.json.id] },
    });
    // The words searched for are encrypted in the row; the audit viewer reads them.
    const opened = async (action: string) => (await t.runtime.audit.list({ action, limit: 1 }))[0]!.details;
    expect(JSON.stringify(await rows('evidence.incident.list'))).not.toContain('bus stop');
    expect(await opened('evidence.incident.list')).toMatchObject({ q: 'bus stop' });

    const items = await analyst.request('GET', '/api/evidence/items?q=bus-stop', undefined, purpose);
    expect(items.json.items.map((i: { id: string }) => i.id)).toEqual([item.itemId]);
    expect((await rows('evidence.item.list')).at(-1)).toMatchObject({
      purpose: 'detention report 7',
      details: { items: [item.itemId] },
    });
    expect(await opened('evidence.item.list')).toMatchObject({ q: 'bus-stop' });
    // A search that finds nothing still records what was looked for.
    await analyst.request('GET', '/api/evidence/items?q=nothing-like-this');
    expect(await opened('evidence.item.list')).toMatchObject({ q: 'nothing-like-this', items: [] });
    expect(JSON.stringify(await rows('evidence.item.list'))).not.toContain('nothing-like-this');

    expect(
      (await analyst.request('GET', `/api/evidence/items/${item.itemId}/custody`, undefined, purpose)).status,
    ).toBe(200);
    expect((await rows('evidence.custody.read')).at(-1)).toMatchObject({
      target_id: item.itemId,
      purpose: 'detention report 7',
    });
  });

  it('verification through the API advances the recorded audit head', async () => {
    const admin = await loggedInClient(t, 'admin');
    const first = await admin.request('GET', '/api/audit/verify');
    expect(first.json.ok).toBe(true);
    expect(first.json.recorded).toMatch(/^svd-audit-head:v1:\d+:/);
    await admin.request('GET', '/api/users');
    const second = await admin.request('GET', '/api/audit/verify');
    expect(second.json.anchor.seq).toBe(Number(first.json.recorded.split(':')[2]));
    expect(Number(second.json.recorded.split(':')[2])).toBeGreaterThan(second.json.anchor.seq);
  });
});
