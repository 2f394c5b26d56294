/**
 * Deduplication does not reveal or write into evidence the uploader may not see (issue 15, item 1): an
 * upload of bytes held by a restricted item is answered like a fresh intake (multipart, tus headers,
 * tus-result, API keys, the citizen page and the bot), leaves the hidden item's custody and links as
 * they were, and is recorded for those who may see the hidden item.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import type { EvidenceArea } from '../../src/evidence/index.js';
import type { Runtime } from '../../src/runtime.js';
import { apiKeyClient, type Client, loggedInClient, useTestApp } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';

const system = { type: 'system' as const, label: 'test' };
const evidenceOf = (runtime: Runtime) => (runtime.areas as unknown as { evidence: EvidenceArea }).evidence;

function multipart(fields: Record<string, string>, file: Buffer) {
  const boundary = `----svdtest${randomBytes(8).toString('hex')}`;
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  const body = Buffer.concat([
    Buffer.from(parts.join('')),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="probe.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

describeEachDatabase('deduplication and hidden evidence', (ctx) => {
  const t = useTestApp(ctx);
  let secretBytes: Buffer;
  let hiddenId: string;
  let caseX: string;
  let incidentId: string;
  let analyst: Client;
  let admin: Client;

  const custodyOf = async (id: string) => evidenceOf(t.runtime).items.custodyLog(system, id);
  const incidentItems = async (id: string) =>
    (
      await sql<{ item_id: string }>`select item_id from incident_items where incident_id = ${id}`.execute(
        ctx.database.db,
      )
    ).rows.map((row) => row.item_id);

  beforeAll(async () => {
    const evidence = evidenceOf(t.runtime);
    caseX = (
      await evidence.compartments.createCollection(system, {
        name: 'Informant material',
        description: 'test',
        restricted: true,
      })
    ).id;
    secretBytes = Buffer.concat([Buffer.from('synthetic restricted file '), randomBytes(4000)]);
    hiddenId = (
      await evidence.intake({
        stream: Readable.from([secretBytes]),
        fileName: 'hidden.bin',
        channel: 'cli',
        actor: system,
        collection: 'Informant material',
      })
    ).itemId;
    incidentId = (
      await t.runtime.areas.incidents.service.createIncident(system, { title: 'Open', description: '' })
    ).id;
    analyst = await loggedInClient(t, 'analyst');
    admin = await loggedInClient(t, 'admin');
  }, 120_000);

  const upload = async (client: Client, bytes: Buffer, fields: Record<string, string> = {}) => {
    const form = multipart(fields, bytes);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/evidence/upload',
      headers: { cookie: client.cookie, 'x-csrf-token': client.csrf, 'content-type': form.contentType },
      payload: form.body,
    });
    expect(response.statusCode).toBe(200);
    return response.json().items[0];
  };

  it('multipart: an analyst gets a fresh item of their own; the hidden item is untouched', async () => {
    const before = await custodyOf(hiddenId);
    const fresh = await upload(analyst, randomBytes(3000), { note: 'probe', incidentId });
    const probe = await upload(analyst, secretBytes, { note: 'probe note', incidentId });
    // The same shape as a fresh intake: own id, not a duplicate.
    expect(Object.keys(probe).sort()).toEqual(Object.keys(fresh).sort());
    expect(probe.itemId).not.toBe(hiddenId);
    expect(probe.duplicate).toBe(false);
    expect(probe.mediaType).toBe(fresh.mediaType);
    const own = await analyst.request('GET', `/api/evidence/items/${probe.itemId}`);
    expect(own.status).toBe(200);
    // The hidden item: no "received again" with the analyst's note, not linked to the incident.
    const after = await custodyOf(hiddenId);
    expect(after.slice(0, before.length)).toEqual(before);
    const added = after.slice(before.length);
    expect(added.map((e) => e.action)).toEqual(['copy-received']);
    expect(JSON.stringify(added)).not.toContain('probe note');
    expect(await incidentItems(incidentId)).not.toContain(hiddenId);
    expect(await incidentItems(incidentId)).toContain(probe.itemId);
    // The match is recorded for administrators: the custody note names the new item, and a denial.
    const adminView = await admin.request('GET', `/api/evidence/items/${hiddenId}/custody`);
    expect(adminView.json.events.at(-1)).toMatchObject({
      action: 'copy-received',
      details: { itemId: probe.itemId, channel: 'web' },
      actor: { id: analyst.userId },
    });
    const denials = (
      await sql<{ actor_id: string; target_id: string; outcome: string; details: { itemId: string } }>`
        select actor_id, target_id, outcome, details from audit_log
         where action = 'evidence.intake.hidden-duplicate' order by seq`.execute(ctx.database.db)
    ).rows;
    expect(denials.at(-1)).toMatchObject({
      actor_id: analyst.userId,
      target_id: hiddenId,
      outcome: 'denied',
      details: { itemId: probe.itemId },
    });
    // Processing does not link the two copies as "possible duplicates" the analyst would see redacted.
    await t.runtime.jobs.drain();
    const shown = await analyst.request('GET', `/api/evidence/items/${probe.itemId}`);
    expect(shown.json.possibleDuplicates).toEqual([]);
    expect(JSON.stringify(shown.json.custody)).not.toContain('redacted');
    // Uploading the same bytes again, the analyst meets their own item.
    const again = await upload(analyst, secretBytes);
    expect(again).toMatchObject({ itemId: probe.itemId, duplicate: true });
  });

  it('administrators, who may see the item, still get the duplicate', async () => {
    const again = await upload(admin, secretBytes);
    expect(again).toMatchObject({ itemId: hiddenId, duplicate: true });
  });

  it('a granted reader sees the note on the hidden item, without the id of an item it may not see', async () => {
    const reviewer = await loggedInClient(t, 'reviewer');
    await t.runtime.access.grant(system, {
      principalType: 'user',
      principalId: reviewer.userId,
      resourceType: 'evidence_collection',
      resourceId: caseX,
    });
    const partner = await apiKeyClient(t, ['evidence:submit']);
    const form = multipart({}, secretBytes);
    const sent = await t.app.inject({
      method: 'POST',
      url: '/api/evidence/upload',
      headers: { authorization: `Bearer ${partner.secret}`, 'content-type': form.contentType },
      payload: form.body,
    });
    expect(sent.json().items[0]).toMatchObject({ duplicate: false });
    expect(sent.json().items[0].itemId).not.toBe(hiddenId);
    const view = await reviewer.request('GET', `/api/evidence/items/${hiddenId}/custody`);
    expect(view.json.events.at(-1)).toMatchObject({
      action: 'copy-received',
      details: { itemId: null, redacted: true },
    });
  });

  it('tus: the headers and the recovered result are those of a fresh intake', async () => {
    // Bytes held only in the restricted collection (the analysts' copies of the first file are open).
    const secretBytes = Buffer.concat([Buffer.from('another restricted file '), randomBytes(5000)]);
    const hidden = await evidenceOf(t.runtime).intake({
      stream: Readable.from([secretBytes]),
      channel: 'cli',
      actor: system,
      collection: 'Informant material',
    });
    const reviewer = await loggedInClient(t, 'reviewer');
    const reviewerHeaders = {
      cookie: reviewer.cookie,
      'x-csrf-token': reviewer.csrf,
      'tus-resumable': '1.0.0',
    };
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/evidence/tus',
      headers: { ...reviewerHeaders, 'upload-length': String(secretBytes.length) },
    });
    expect(created.statusCode).toBe(201);
    const location = String(created.headers.location);
    const done = await t.app.inject({
      method: 'PATCH',
      url: location,
      headers: {
        ...reviewerHeaders,
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
      },
      payload: secretBytes,
    });
    expect(done.statusCode).toBe(204);
    expect(done.headers['upload-duplicate']).toBe('false');
    expect(done.headers['upload-evidence-id']).not.toBe(hidden.itemId);
    const result = await reviewer.request('GET', `/api/evidence/tus-result/${location.split('/').pop()}`);
    expect(result.json).toMatchObject({ itemId: done.headers['upload-evidence-id'], duplicate: false });
  });

  it('citizens and the bot get their own item and receipt; the hidden item keeps its submissions', async () => {
    const evidence = evidenceOf(t.runtime);
    const before = await custodyOf(hiddenId);
    const citizen = await evidence.intake({
      stream: Readable.from([secretBytes]),
      channel: 'citizen',
      actor: { type: 'citizen' },
      note: 'the citizen wrote this',
    });
    const fresh = await evidence.intake({
      stream: Readable.from([randomBytes(2000)]),
      channel: 'citizen',
      actor: { type: 'citizen' },
    });
    expect(citizen.itemId).not.toBe(hiddenId);
    expect(citizen.duplicate).toBe(false);
    expect(citizen.receiptCode).toMatch(/\S/);
    expect(Object.keys(citizen).sort()).toEqual(Object.keys(fresh).sort());
    const bot = await evidence.intake({
      stream: Readable.from([secretBytes]),
      channel: 'bot',
      sourceLabel: 'Telegram bot',
      actor: { type: 'bot' },
    });
    expect(bot.itemId).not.toBe(hiddenId);
    expect(bot.duplicate).toBe(false);
    const linked = (
      await sql<{ n: number }>`select count(*)::int as n from evidence_submission_items
        where item_id = ${hiddenId}`.execute(ctx.database.db)
    ).rows[0]!.n;
    expect(linked).toBe(0);
    const added = (await custodyOf(hiddenId)).slice(before.length);
    expect(added.map((e) => e.action)).toEqual(['copy-received', 'copy-received']);
    expect(JSON.stringify(added)).not.toContain('the citizen wrote this');
    // The bytes are stored once.
    const blobs = (
      await sql<{ n: number }>`select count(*)::int as n from blobs b
        join evidence_items i on i.sha256 = b.sha256 where i.id = ${hiddenId}`.execute(ctx.database.db)
    ).rows[0]!.n;
    expect(blobs).toBe(1);
  });
});
