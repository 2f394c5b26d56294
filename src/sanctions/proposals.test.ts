/**
 * Listing proposals over the API, on PGlite and PostgreSQL: started from a registry entity, reasons
 * linked to evidence, the four-eyes refusals (author, unlinked statement, stale version, analyst),
 * edits voiding approvals, and the per-jurisdiction path to submitted and listed.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { beforeAll, expect, it } from 'vitest';
import { type Client, loggedInClient, useTestApp } from '../../test/support/app.js';
import { describeEachDatabase } from '../../test/support/databases.js';
import type { Principal } from '../platform/auth/model.js';
import { LIST_READERS } from './lists/formats/index.js';
import { newReadContext } from './lists/reader.js';

const system: Principal = { type: 'system', label: 'test' };

describeEachDatabase('sanctions proposals', (ctx) => {
  const t = useTestApp(ctx);
  let analyst: Client;
  let reviewer: Client;
  let reviewer2: Client;
  let itemId: string;
  let sha256: string;
  const entityId = 'prop-person-1';

  beforeAll(async () => {
    analyst = await loggedInClient(t, 'analyst');
    reviewer = await loggedInClient(t, 'reviewer');
    reviewer2 = await loggedInClient(t, 'reviewer');
    const registry = t.runtime.areas.registry.service;
    const dataset = await registry.createDataset(system, {
      name: 'prop-officials',
      title: 'Officials',
      restricted: false,
    });
    await registry.importStream(
      system,
      dataset.id,
      Readable.from([
        `${JSON.stringify({
          id: entityId,
          schema: 'Person',
          properties: {
            name: ['Ihar Zhauranka', 'Ігар Жаўранка', 'Игорь Жаворонок'],
            birthDate: ['1978-04-17'],
            gender: ['male'],
            nationality: ['by'],
            position: ['Commander of a special police unit'],
          },
        })}\n`,
      ]),
    );
    const stored = await t.runtime.areas.evidence.intake({
      stream: Readable.from([Buffer.from('synthetic witness statement')]),
      fileName: 'statement.txt',
      channel: 'cli',
      actor: system,
    });
    itemId = stored.itemId;
    sha256 = stored.sha256;
  });

  it('goes from a registry entity to approved, submitted and listed with two officers; refusals on the way', async () => {
    let response = await analyst.request('POST', '/api/sanctions/proposals', {
      entityId,
      targets: [
        { jurisdiction: 'EU', programme: 'BLR' },
        { jurisdiction: 'US', programme: 'BELARUS-EO14038' },
      ],
    });
    expect(response.status, JSON.stringify(response.json)).toBe(200);
    let proposal = response.json.proposal;
    expect(proposal.reference).toMatch(/^SVD-\d{4}$/);
    expect(proposal.content.identity).toMatchObject({
      nameLatin: 'Ihar Zhauranka',
      nameBelarusian: 'Ігар Жаўранка',
      nameRussian: 'Игорь Жаворонок',
      birthDate: '1978-04-17',
      gender: 'male',
      citizenship: ['by'],
    });
    expect(proposal.completeness.score).toBeGreaterThan(0.4);
    expect(proposal.targets.map((x: { state: string }) => x.state)).toEqual(['draft', 'draft']);
    const id = proposal.id;

    // A statement without a link, and a link to something that does not exist.
    const content = structuredClone(proposal.content);
    content.reasons = [{ text: 'Commanded the unit that detained protesters on 9 August 2020.', links: [] }];
    response = await analyst.request('PUT', `/api/sanctions/proposals/${id}`, { content });
    expect(response.status).toBe(200);
    content.reasons[0].links = [{ kind: 'evidence', ref: '00000000-0000-4000-8000-000000000000' }];
    response = await analyst.request('PUT', `/api/sanctions/proposals/${id}`, { content });
    expect(response.json.error.code).toBe('SVD_SANCTIONS_LINK_UNKNOWN');

    response = await analyst.request('POST', `/api/sanctions/proposals/${id}/review-request`);
    proposal = response.json.proposal;
    expect(proposal.targets.map((x: { state: string }) => x.state)).toEqual(['in_review', 'in_review']);
    response = await reviewer.request('POST', `/api/sanctions/proposals/${id}/approve`, {
      contentHash: proposal.contentHash,
    });
    expect(response.json.error.code).toBe('SVD_SANCTIONS_REASON_UNLINKED');

    content.reasons[0].links = [{ kind: 'evidence', ref: itemId }];
    response = await analyst.request('PUT', `/api/sanctions/proposals/${id}`, {
      content,
      expectedHash: proposal.contentHash,
    });
    proposal = response.json.proposal;
    expect(proposal.content.reasons[0].links[0]).toMatchObject({
      kind: 'evidence',
      ref: itemId,
      sha256,
      label: 'statement.txt',
    });
    // The edit sent the jurisdictions back to draft.
    expect(proposal.targets.map((x: { state: string }) => x.state)).toEqual(['draft', 'draft']);
    proposal = (await analyst.request('POST', `/api/sanctions/proposals/${id}/review-request`)).json.proposal;

    // Four eyes: an analyst may not approve, the author may not, a stale version may not be approved.
    response = await analyst.request('POST', `/api/sanctions/proposals/${id}/approve`, {
      contentHash: proposal.contentHash,
    });
    expect(response.status).toBe(404);
    const admin = await loggedInClient(t, 'admin');
    const adminEdit = structuredClone(proposal.content);
    adminEdit.exculpatory = 'No information found that he objected to orders.';
    proposal = (await admin.request('PUT', `/api/sanctions/proposals/${id}`, { content: adminEdit })).json
      .proposal;
    proposal = (await analyst.request('POST', `/api/sanctions/proposals/${id}/review-request`)).json.proposal;
    response = await admin.request('POST', `/api/sanctions/proposals/${id}/approve`, {
      contentHash: proposal.contentHash,
    });
    expect(response.json.error.code).toBe('SVD_REVIEW_SELF_APPROVAL');
    response = await reviewer.request('POST', `/api/sanctions/proposals/${id}/approve`, {
      contentHash: '0'.repeat(64),
    });
    expect(response.json.error.code).toBe('SVD_REVIEW_STALE');

    // Submitting before approval is refused.
    response = await analyst.request('POST', `/api/sanctions/proposals/${id}/transitions`, {
      jurisdiction: 'EU',
      to: 'submitted',
    });
    expect(response.json.error.code).toBe('SVD_SANCTIONS_PROPOSAL_STATE');

    response = await reviewer.request('POST', `/api/sanctions/proposals/${id}/approve`, {
      contentHash: proposal.contentHash,
    });
    expect(response.status, JSON.stringify(response.json)).toBe(200);
    proposal = response.json.proposal;
    expect(proposal.targets.map((x: { state: string }) => x.state)).toEqual(['approved', 'approved']);

    // An edit voids the approval; a second reviewer approves the new version.
    const later = structuredClone(proposal.content);
    later.identity.unit = 'Special police unit (invented)';
    proposal = (await analyst.request('PUT', `/api/sanctions/proposals/${id}`, { content: later })).json
      .proposal;
    expect(proposal.targets.map((x: { state: string }) => x.state)).toEqual(['draft', 'draft']);
    const review = (await reviewer.request('GET', `/api/sanctions/proposals/${id}/review`)).json.review;
    expect(review.approved).toBe(false);
    expect(review.history.find((d: { voidedAt: string | null }) => d.voidedAt)).toBeTruthy();
    proposal = (await analyst.request('POST', `/api/sanctions/proposals/${id}/review-request`)).json.proposal;
    proposal = (
      await reviewer2.request('POST', `/api/sanctions/proposals/${id}/approve`, {
        contentHash: proposal.contentHash,
      })
    ).json.proposal;
    expect(proposal.targets.map((x: { state: string }) => x.state)).toEqual(['approved', 'approved']);

    response = await analyst.request('POST', `/api/sanctions/proposals/${id}/transitions`, {
      jurisdiction: 'EU',
      to: 'submitted',
      date: '2026-11-20',
      note: 'Sent to the Council working party',
    });
    expect(response.status, JSON.stringify(response.json)).toBe(200);
    response = await analyst.request('POST', `/api/sanctions/proposals/${id}/transitions`, {
      jurisdiction: 'EU',
      to: 'listed',
      date: '2026-12-01',
    });
    proposal = response.json.proposal;
    expect(proposal.targets).toMatchObject([
      { jurisdiction: 'EU', state: 'listed' },
      { jurisdiction: 'US', state: 'approved' },
    ]);
    const events = (await analyst.request('GET', `/api/sanctions/proposals/${id}/events`)).json.items;
    expect(
      events
        .filter((e: { jurisdiction: string }) => e.jurisdiction === 'EU')
        .map((e: { toState: string }) => e.toState),
    ).toContain('submitted');
    expect(events.find((e: { toState: string }) => e.toState === 'listed')).toMatchObject({
      date: '2026-12-01',
    });

    const listed = (await analyst.request('GET', '/api/sanctions/proposals?jurisdiction=EU&state=listed'))
      .json.items;
    expect(listed.map((p: { id: string }) => p.id)).toEqual([id]);

    // Exports: the US target is approved; its OFAC file reads back through the OFAC importer.
    const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: analyst.cookie } });
    const ofac = await get('/api/sanctions/exports?format=ofac-sdn-xml&status=approved');
    expect(ofac.statusCode).toBe(200);
    const entries = [];
    for await (const entry of LIST_READERS['ofac-sdn-xml'].read(
      [{ name: 'export.xml', open: () => Readable.from([Buffer.from(ofac.body)]) }],
      newReadContext(),
    ))
      entries.push(entry);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.names.map((n) => n.full).sort()).toEqual(
      ['Ihar Zhauranka', 'Игорь Жаворонок', 'Ігар Жаўранка'].sort(),
    );
    expect(entries[0]!.birthDates).toEqual(['1978-04-17']);
    expect(entries[0]!.programs).toEqual(['BELARUS-EO14038']);
    const none = await get('/api/sanctions/exports?format=eu-fsf-xml&status=approved');
    expect(none.body).not.toContain('<sanctionEntity');

    const ftm = await get('/api/sanctions/exports?format=ftm');
    const lines = ftm.body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const sanctions = lines.filter((e) => e.schema === 'Sanction');
    expect(sanctions.map((e) => e.properties.status[0])).toEqual(['proposed', 'proposed']);
    expect(sanctions.every((e) => e.properties.entity[0] === entityId)).toBe(true);
    expect(lines.filter((e) => e.id === entityId)).toHaveLength(1);

    const pdf = await get(`/api/sanctions/exports?format=dossier-pdf&proposal=${id}`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.headers['x-verification-code']).toMatch(/^SVD-/);

    // Already listed? The EU list names him, with a passport we do not have.
    await t.runtime.areas.sanctions.lists.importList(system, {
      format: 'eu-fsf-xml',
      dataset: 'prop-eu',
      files: [
        {
          name: 'eu-fsf.xml',
          open: () => createReadStream(path.resolve('test/fixtures/sanctions/eu-fsf.xml')),
        },
      ],
    });
    const listings = (await analyst.request('GET', `/api/sanctions/proposals/${id}/listings`)).json.items;
    expect(listings).toMatchObject([
      { authority: 'EU', dataset: 'prop-eu', listId: 'EU.9001.01', listingDate: '2020-10-02', endedAt: null },
    ]);
    expect(listings[0].differences).toContainEqual({
      field: 'passportNumber',
      ours: [],
      theirs: ['MP9001001'],
    });

    // The entity page asks the same about a registry entity, and a list record answers with its own listing.
    const ofEntity = await analyst.request('GET', `/api/sanctions/entities/${entityId}/listings`);
    expect(ofEntity.status).toBe(200);
    expect(ofEntity.json.items).toMatchObject([{ authority: 'EU', listId: 'EU.9001.01' }]);
    const record = ofEntity.json.items[0].entityId;
    const own = (
      await reviewer.request('GET', `/api/sanctions/entities/${encodeURIComponent(record)}/listings`)
    ).json.items;
    expect(own[0]).toMatchObject({ entityId: record, score: 1, listId: 'EU.9001.01', differences: [] });
    expect((await analyst.request('GET', '/api/sanctions/entities/no-such-entity/listings')).status).toBe(
      404,
    );

    // The home page: the US target waits for the analyst to submit it; nothing waits for the reviewer.
    const home = async (client: Client) =>
      ((await client.request('GET', '/api/home')).json.areas as Array<Record<string, any>>).find(
        (a) => a.area === 'sanctions',
      )!;
    const forAnalyst = await home(analyst);
    expect(forAnalyst.counts).toEqual({ proposals: 1, officialLists: 1 });
    expect(forAnalyst.waiting).toEqual([
      { key: 'proposalsToSubmit', count: 1, path: '/sanctions/proposals?state=approved' },
    ]);
    expect(forAnalyst.recent[0]).toMatchObject({ title: `${proposal.reference} · Ihar Zhauranka` });
    expect((await home(reviewer)).waiting).toEqual([]);
  });
});
