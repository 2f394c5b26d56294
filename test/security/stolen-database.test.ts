/**
 * A copy of the database alone tells little (issue 15, item 8): free text that identifies people or
 * sources is encrypted at rest (citizens' notes, incident descriptions and places), a citizen's note is
 * not copied into the custody chain or the audit log, failed sign-ins do not record a typed name that
 * is no account; text written before encryption is sealed at start-up.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { EvidenceArea } from '../../src/evidence/index.js';
import { plaintextNotes } from '../../src/evidence/intake.js';
import { plaintextIncidentTexts } from '../../src/incidents/service.js';
import { sealPlaintextColumn } from '../../src/platform/keys.js';
import type { Runtime } from '../../src/runtime.js';
import { anonymousClient, loggedInClient, useTestApp } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';

const system = { type: 'system' as const, label: 'test' };
const evidenceOf = (runtime: Runtime) => (runtime.areas as unknown as { evidence: EvidenceArea }).evidence;

describeEachDatabase('what a stolen database shows', (ctx) => {
  const t = useTestApp(ctx);
  /** Every row of a table as text, as someone holding a copy of the database would read it. */
  const dump = async (table: string) =>
    (
      await sql<{ row: string }>`select t::text as row from ${sql.table(table)} t`.execute(ctx.database.db)
    ).rows
      .map((r) => r.row)
      .join('\n');

  it('a failed sign-in with a name that is no account records no name', async () => {
    const client = await anonymousClient(t.app);
    const typed = 'Hanna-Typed-Her-Password-Here';
    const answer = await client.request('POST', '/api/auth/login', {
      username: typed,
      password: 'x'.repeat(12),
    });
    expect(answer.status).toBe(401);
    const rows = await dump('audit_log');
    expect(rows.toLowerCase()).not.toContain(typed.toLowerCase());
    const failed = (
      await sql<{ actor_label: string | null; details: { reason: string } }>`
        select actor_label, details from audit_log where action = 'auth.login' and outcome = 'failed'
         order by seq desc limit 1`.execute(ctx.database.db)
    ).rows[0]!;
    expect(failed).toMatchObject({ actor_label: null, details: { reason: 'unknown user' } });
  });

  it("a citizen's note is encrypted with the item and only its existence is in custody and audit", async () => {
    const note = `Synthetic note: my neighbour Ales filmed it ${randomBytes(4).toString('hex')}`;
    const result = await evidenceOf(t.runtime).intake({
      stream: Readable.from([randomBytes(3000)]),
      channel: 'citizen',
      actor: { type: 'citizen' },
      note,
    });
    for (const table of ['evidence_items', 'evidence_custody', 'audit_log'])
      expect(await dump(table)).not.toContain(note);
    const shown = await evidenceOf(t.runtime).items.show(system, result.itemId, { recordView: false });
    expect(shown.note).toBe(note);
    expect(shown.custody[0]).toMatchObject({ action: 'received', details: { noteGiven: true } });
  });

  it('incident descriptions and places are encrypted, shown and searchable', async () => {
    const analyst = await loggedInClient(t, 'analyst');
    const word = `Zarečča${randomBytes(3).toString('hex')}`;
    const created = await analyst.request('POST', '/api/evidence/incidents', {
      title: 'Synthetic detention',
      description: `Witness saw the arrest near ${word} school`,
      place: `${word} village, school yard`,
    });
    expect(created.status).toBeLessThan(300);
    const dumped = await dump('incidents');
    expect(dumped).not.toContain(word);
    const shown = await analyst.request('GET', `/api/evidence/incidents/${created.json.id}`);
    expect(shown.json).toMatchObject({
      description: `Witness saw the arrest near ${word} school`,
      place: `${word} village, school yard`,
    });
    const found = await analyst.request(
      'GET',
      `/api/evidence/incidents?q=${encodeURIComponent(word.toLowerCase())}`,
    );
    expect(found.json.items.map((i: { id: string }) => i.id)).toEqual([created.json.id]);
    const changed = await analyst.request('PATCH', `/api/evidence/incidents/${created.json.id}`, {
      place: `${word} bus stop`,
    });
    expect(changed.json.place).toBe(`${word} bus stop`);
    expect(await dump('incidents')).not.toContain(word);
  });

  it('screening audit rows keep the names looked for and the purpose encrypted', async () => {
    const analyst = await loggedInClient(t, 'analyst');
    const name = `Syntheticname ${randomBytes(3).toString('hex')}`;
    const purpose = { 'x-purpose': 'vetting of candidate 314' };
    const match = await analyst.request(
      'POST',
      '/api/match',
      { queries: { q1: { schema: 'Person', properties: { name: [name] } } } },
      purpose,
    );
    expect(match.status).toBe(200);
    const search = await analyst.request(
      'GET',
      `/api/search?q=${encodeURIComponent(name)}`,
      undefined,
      purpose,
    );
    expect(search.status).toBe(200);
    const dumped = await dump('audit_log');
    expect(dumped).not.toContain(name);
    expect(dumped).not.toContain('vetting of candidate 314');
    // Administrators reading the log through the service see them.
    const [matched] = await t.runtime.audit.list({ action: 'screening.match', limit: 1 });
    expect(matched!.purpose).toBe('vetting of candidate 314');
    expect(JSON.stringify(matched!.details)).toContain(name);
    const [searched] = await t.runtime.audit.list({ action: 'screening.search', limit: 1 });
    expect(searched!.details).toMatchObject({ q: name });
    expect((await t.runtime.audit.verify()).ok).toBe(true);
  });

  it("a restricted collection's name is encrypted; every collection is still found by name", async () => {
    const admin = await loggedInClient(t, 'admin');
    const name = `Informants of district ${randomBytes(3).toString('hex')}`;
    const created = await admin.request('POST', '/api/evidence/collections', {
      name,
      description: 'synthetic',
      restricted: true,
    });
    expect(created.status).toBeLessThan(300);
    const evidence = evidenceOf(t.runtime);
    const item = await evidence.intake({
      stream: Readable.from([randomBytes(1500)]),
      channel: 'cli',
      actor: system,
      collection: name,
    });
    const moved = await evidence.intake({
      stream: Readable.from([randomBytes(1500)]),
      channel: 'cli',
      actor: system,
    });
    await evidence.compartments.moveItem(system, moved.itemId, created.json.id);
    for (const table of ['evidence_collections', 'audit_log', 'evidence_custody'])
      expect(await dump(table)).not.toContain(name);
    const listed = await admin.request('GET', '/api/evidence/collections');
    expect(listed.json.items.map((c: { name: string }) => c.name)).toContain(name);
    const shown = await evidence.items.show(system, item.itemId, { recordView: false });
    expect(shown.collectionName).toBe(name);
    const [audited] = await t.runtime.audit.list({ action: 'evidence.collection.create', limit: 1 });
    expect(audited!.details).toMatchObject({ name, restricted: true });
    // A second collection of the same name is refused as before.
    const again = await admin.request('POST', '/api/evidence/collections', {
      name,
      description: '',
      restricted: false,
    });
    expect(again.status).toBe(409);
  });

  it('text written before encryption is sealed at start-up, resumably', async () => {
    const evidence = evidenceOf(t.runtime);
    const item = await evidence.intake({
      stream: Readable.from([randomBytes(2000)]),
      channel: 'cli',
      actor: system,
    });
    const incident = await t.runtime.areas.incidents.service.createIncident(system, {
      title: 'Older incident',
      description: '',
    });
    // As a database from before the change holds them.
    const db = ctx.database.db;
    await sql`update evidence_items set note = 'old plaintext note' where id = ${item.itemId}`.execute(db);
    await sql`update incidents set description = 'old plaintext description', place = 'old plaintext place'
      where id = ${incident.id}`.execute(db);
    expect(await dump('evidence_items')).toContain('old plaintext note');
    expect(await sealPlaintextColumn(db, t.runtime.keys, plaintextNotes, 1)).toBeGreaterThanOrEqual(1);
    for (const column of plaintextIncidentTexts) await sealPlaintextColumn(db, t.runtime.keys, column);
    expect(await dump('evidence_items')).not.toContain('old plaintext');
    expect(await dump('incidents')).not.toContain('old plaintext');
    expect((await evidence.items.show(system, item.itemId, { recordView: false })).note).toBe(
      'old plaintext note',
    );
    expect(await t.runtime.areas.incidents.service.incident(system, incident.id)).toMatchObject({
      description: 'old plaintext description',
      place: 'old plaintext place',
    });
    // A restricted collection made before names were sealed.
    const older = await evidence.compartments.createCollection(system, {
      name: 'Old restricted plaintext',
      description: '',
      restricted: true,
    });
    await sql`update evidence_collections set name = 'Old restricted plaintext', name_sealed = null, name_hash = null
      where id = ${older.id}`.execute(db);
    expect(await dump('evidence_collections')).toContain('Old restricted plaintext');
    await evidence.compartments.sealNames();
    expect(await dump('evidence_collections')).not.toContain('Old restricted plaintext');
    expect((await evidence.compartments.listCollections(system)).map((c) => c.name)).toContain(
      'Old restricted plaintext',
    );
    // Nothing left: a second run seals nothing.
    expect(await sealPlaintextColumn(db, t.runtime.keys, plaintextNotes)).toBe(0);
  });
});
