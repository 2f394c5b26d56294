/**
 * Verification cases through the HTTP API on both databases: partner intake and isolation, screening
 * with per-hit review, findings, every four-eyes refusal, release, the partner's download of the
 * released PDF, report verification, and retention erasure that leaves no subject data behind.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiKeyClient, type Client, loggedInClient, useTestApp } from '../../test/support/app.js';
import { describeEachDatabase } from '../../test/support/databases.js';

const NAME_BE = 'Ігар Мікалаевіч Пятровіч';
const NAME_RU = 'Игорь Николаевич Петрович';
const BIRTH = '1979-04-12';

async function partnerKey(t: ReturnType<typeof useTestApp>, organization: string) {
  const { secret } = await t.runtime.auth.createApiKey(
    { type: 'system', label: 'test' },
    { name: `${organization} key`, organization, scopes: ['verification'] },
  );
  return async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await t.app.inject({
      method: method as 'GET',
      url,
      headers: { authorization: `Bearer ${secret}`, 'x-purpose': 'residence permit vetting', ...headers },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    let json: any = null;
    try {
      json = response.json();
    } catch {}
    return { status: response.statusCode, json, body: response.rawPayload, headers: response.headers };
  };
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

describeEachDatabase('verification cases', (ctx) => {
  const t = useTestApp(ctx);
  let analyst: Client;
  let reviewer: Client;
  let admin: Client;
  let partnerA: Awaited<ReturnType<typeof partnerKey>>;
  let partnerB: Awaited<ReturnType<typeof partnerKey>>;
  let caseId: string;

  beforeAll(async () => {
    analyst = await loggedInClient(t, 'analyst');
    reviewer = await loggedInClient(t, 'reviewer');
    admin = await loggedInClient(t, 'admin');
    partnerA = await partnerKey(t, 'Partner A');
    partnerB = await partnerKey(t, 'Partner B');
    // A registry person the subject should match, patronymic included (Latin spelling only: the subject's own names and the
    // registry's record differ in text, so the erasure scan can tell them apart).
    const registry = t.runtime.areas.registry.service;
    const system = { type: 'system' as const, label: 'test' };
    const dataset = await registry.createDataset(system, {
      name: 'case-test-officials',
      title: 'Officials (synthetic)',
      restricted: false,
    });
    const line = JSON.stringify({
      id: 'case-test-1',
      schema: 'Person',
      properties: {
        name: ['Ihar Mikalaevich Piatrovich'],
        birthDate: ['1979'],
        position: ['judge (synthetic)'],
      },
    });
    await registry.importStream(system, dataset.id, Readable.from([`${line}\n`]));
  });

  it('takes a partner request over the API; other partners cannot see it, and it needs a purpose', async () => {
    const noPurpose = await partnerA('GET', '/api/cases', undefined, { 'x-purpose': '' });
    expect(noPurpose.status).toBe(400);
    const created = await partnerA('POST', '/api/cases', {
      purpose: 'Residence permit application 2026/17',
      legalBasis: 'GDPR Art. 6(1)(e)',
      retentionClass: 'short',
      requesterOrg: 'Someone Else',
      subject: { names: [NAME_BE, NAME_RU], birthDate: BIRTH, nationality: ['by'] },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ status: 'received', erased: false });
    expect(created.json.subject).toBeUndefined();
    caseId = created.json.id;

    const mine = await partnerA('GET', '/api/cases');
    expect(mine.json.cases.map((c: any) => c.id)).toEqual([caseId]);
    expect(mine.json.cases[0]).toMatchObject({ requesterOrg: 'Partner A', subjectName: null });
    expect((await partnerB('GET', '/api/cases')).json.cases).toEqual([]);
    const other = await partnerB('GET', `/api/cases/${caseId}`);
    expect(other.status).toBe(404);
    expect((await partnerB('GET', `/api/cases/${caseId}/report.pdf`)).status).toBe(404);
    // Staff-only steps are not there for partners at all.
    expect((await partnerA('POST', `/api/cases/${caseId}/accept`)).status).toBe(404);
    const denied = await t.runtime.audit.list({ action: 'cases.read', outcome: 'denied', limit: 10 });
    expect(denied.some((row) => row.targetId === caseId)).toBe(true);
  });

  it('lets the analyst accept, screen, review hits and write findings; drafts are watermarked reports', async () => {
    expect((await analyst.request('POST', `/api/cases/${caseId}/accept`, {})).status).toBe(200);
    const assign = await analyst.request('POST', `/api/cases/${caseId}/assign`, { userId: analyst.userId });
    expect(assign.status).toBe(200);
    const screened = await analyst.request('POST', `/api/cases/${caseId}/screen`, {});
    expect(screened.status).toBe(200);
    expect(screened.json.results).toBeGreaterThan(0);
    const read = await analyst.request('GET', `/api/cases/${caseId}`);
    expect(read.status, JSON.stringify(read.json)).toBe(200);
    let detail = read.json;
    expect(detail.status).toBe('in_progress');
    const hit = detail.hits.find((h: any) => h.entityId === 'case-test-1');
    expect(hit).toMatchObject({ review: 'pending', change: 'new' });

    expect((await analyst.request('POST', `/api/cases/${caseId}/submit`, {})).json.error.code).toBe(
      'SVD_CASES_FINDINGS_INCOMPLETE',
    );
    const findings = {
      conclusion: 'no_adverse_information',
      confidence: 'medium',
      narrative: 'Супадзенне па імені, але іншая дата нараджэння і біяграфія.',
      exculpatory: 'Эміграваў у 2015 годзе.',
      items: [
        { text: 'Registry record differs in birth date.', links: [{ kind: 'entity', id: 'case-test-1' }] },
      ],
    };
    expect((await analyst.request('PUT', `/api/cases/${caseId}/findings`, findings)).status).toBe(200);
    expect((await analyst.request('POST', `/api/cases/${caseId}/submit`, {})).json.error.code).toBe(
      'SVD_CASES_HITS_PENDING',
    );
    for (const h of detail.hits) {
      const dismissed = await analyst.request('POST', `/api/cases/${caseId}/hits/${h.id}`, {
        review: 'dismissed',
      });
      expect(dismissed.json.error.code).toBe('SVD_CASES_REASON_REQUIRED');
      const ok = await analyst.request('POST', `/api/cases/${caseId}/hits/${h.id}`, {
        review: 'dismissed',
        reason: 'другая дата нараджэння',
      });
      expect(ok.status).toBe(200);
    }
    const draft = await analyst.request('POST', `/api/cases/${caseId}/reports`, { draft: true });
    expect(draft.status).toBe(200);
    detail = (await analyst.request('GET', `/api/cases/${caseId}`)).json;
    expect(detail.reports).toMatchObject([{ version: 1, draft: true }]);
    // Partners never get drafts.
    expect((await partnerA('GET', `/api/cases/${caseId}/report.pdf`)).json.error.code).toBe(
      'SVD_CASES_NOT_RELEASED',
    );
    const submitted = await analyst.request('POST', `/api/cases/${caseId}/submit`, {});
    expect(submitted.status).toBe(200);
  });

  it('refuses every four-eyes shortcut through the API and releases on a second officer’s approval', async () => {
    let detail = (await analyst.request('GET', `/api/cases/${caseId}`)).json;
    const hash = detail.findingsHash;
    expect(detail.status).toBe('in_review');

    // The author with any body the client can craft.
    for (const body of [{ contentHash: hash }, { contentHash: hash, comment: 'self' }]) {
      const self = await analyst.request('POST', `/api/cases/${caseId}/approve`, body);
      expect(self.status).toBe(403);
      expect(self.json.error.code).toMatch(/SVD_REVIEW_(APPROVER|SELF_APPROVAL)/);
    }
    // An admin who edited the findings is refused as a contributor.
    await t.runtime.database.db.transaction().execute((trx) =>
      t.runtime.review.recordEdit(trx, {
        subject: { type: 'case', id: caseId },
        actor: { type: 'user', id: admin.userId, username: 'admin', role: 'admin' },
        contentHash: hash,
      }),
    );
    const editor = await admin.request('POST', `/api/cases/${caseId}/approve`, { contentHash: hash });
    expect(editor.json.error.code).toBe('SVD_REVIEW_SELF_APPROVAL');
    // A stale or forged hash, a malformed one, a partner key.
    expect(
      (await reviewer.request('POST', `/api/cases/${caseId}/approve`, { contentHash: 'f'.repeat(64) })).json
        .error.code,
    ).toBe('SVD_REVIEW_STALE');
    expect(
      (await reviewer.request('POST', `/api/cases/${caseId}/approve`, { contentHash: 'x' })).status,
    ).toBe(400);
    expect((await partnerA('POST', `/api/cases/${caseId}/approve`, { contentHash: hash })).status).toBe(404);
    expect(
      (await reviewer.request('POST', `/api/cases/${caseId}/return`, { contentHash: hash })).json.error.code,
    ).toBe('SVD_REVIEW_COMMENT_REQUIRED');

    const approved = await reviewer.request('POST', `/api/cases/${caseId}/approve`, { contentHash: hash });
    expect(approved.status).toBe(200);
    expect(approved.json).toMatchObject({ approved: true });
    detail = (await reviewer.request('GET', `/api/cases/${caseId}`)).json;
    expect(detail.status).toBe('released');
    expect(detail.reports.map((r: any) => [r.version, r.draft])).toEqual([
      [1, true],
      [2, false],
    ]);
    const denials = await t.runtime.audit.list({ action: 'review.approve', outcome: 'denied', limit: 20 });
    expect(denials.filter((row) => row.targetId === caseId).length).toBeGreaterThanOrEqual(4);
  });

  it('delivers the released PDF to the requesting partner only, logs it, and verifies it', async () => {
    const download = await partnerA('GET', `/api/cases/${caseId}/report.pdf`);
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    const pdf = download.body;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const view = (await partnerA('GET', `/api/cases/${caseId}`)).json;
    expect(view.reports).toHaveLength(1);
    expect(view.reports[0].pdfSha256).toBe(
      (await import('node:crypto')).createHash('sha256').update(pdf).digest('hex'),
    );
    // Officers by role and id only (the reportOfficerNames setting is off): no names in the report.
    const twin = await partnerA('GET', `/api/cases/${caseId}/report.json`);
    // (The admin who edited the findings above is an author too.)
    expect(twin.json.officers.authors).toEqual(
      expect.arrayContaining([`analyst · ${analyst.userId}`, `admin · ${admin.userId}`]),
    );
    expect(twin.json.officers.reviewers).toMatchObject([{ officer: `reviewer · ${reviewer.userId}` }]);
    expect(JSON.stringify(twin.json)).not.toMatch(/analyst-|reviewer-/);
    const deliveries = await t.runtime.audit.list({ action: 'report.deliver', limit: 5 });
    expect(deliveries[0]).toMatchObject({ targetId: caseId, details: { channel: 'api' } });

    const verified = await t.app.inject({
      method: 'POST',
      url: '/api/cases/verify-report',
      headers: { cookie: reviewer.cookie, 'x-csrf-token': reviewer.csrf, 'content-type': 'application/pdf' },
      payload: pdf,
    });
    expect(verified.json()).toMatchObject({ status: 'issued', report: { version: 2, draft: false } });
    const altered = Buffer.from(pdf);
    altered[altered.length - 200] = altered[altered.length - 200]! ^ 1;
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/cases/verify-report',
      headers: { cookie: reviewer.cookie, 'x-csrf-token': reviewer.csrf, 'content-type': 'application/pdf' },
      payload: altered,
    });
    expect(bad.json().status).toMatch(/altered|unknown/);
  });

  it('an edit after approval voids it: no released report from a stale approval', async () => {
    // A second case, approved, then its findings changed directly by the service before release.
    const runtime = t.runtime;
    const cases = runtime.areas.cases;
    const system = { type: 'system' as const, label: 'test' };
    const created = await cases.service.create(system, {
      requesterOrg: 'Partner A',
      purpose: 'Employment vetting',
      subject: { names: ['Тэставы Суб’ект'] },
    });
    const analystP = { type: 'user' as const, id: analyst.userId, username: 'a', role: 'analyst' as const };
    await cases.service.accept(analystP, created.id);
    const reviewerP = {
      type: 'user' as const,
      id: reviewer.userId,
      username: 'r',
      role: 'reviewer' as const,
    };
    await cases.work.updateFindings(analystP, created.id, {
      conclusion: 'inconclusive',
      narrative: 'Няма дастаткова звестак.',
    });
    const { contentHash } = await cases.work.submit(analystP, created.id);
    await runtime.database.db.transaction().execute(async (trx) => {
      // Someone edits the content behind the reviewer's back after they read it.
      await runtime.review.recordEdit(trx, {
        subject: { type: 'case', id: created.id },
        actor: analystP,
        contentHash: 'e'.repeat(64),
      });
    });
    await expect(cases.work.approve(reviewerP, created.id, { contentHash })).rejects.toMatchObject({
      code: 'SVD_REVIEW_STALE',
    });
    await expect(cases.reporting.issue(analystP, created.id, { draft: false })).rejects.toMatchObject({
      code: 'SVD_CASES_NOT_RELEASED',
    });
  });

  describe('retention', () => {
    it('erases the subject data by destroying the case key; the audit chain still verifies', async () => {
      expect((await admin.request('POST', `/api/cases/${caseId}/close`, {})).status).toBe(200);
      expect((await admin.request('POST', `/api/cases/${caseId}/legal-hold`, { hold: true })).status).toBe(
        200,
      );
      const system = { type: 'system' as const, label: 'test' };
      const later = new Date(Date.now() + 400 * 86_400_000);
      const held = await t.runtime.areas.cases.retention.purgeDue(system, later);
      expect(held.erased).not.toContain(caseId);
      expect((await admin.request('POST', `/api/cases/${caseId}/legal-hold`, { hold: false })).status).toBe(
        200,
      );
      const purged = await t.runtime.areas.cases.retention.purgeDue(system, later);
      expect(purged.erased).toContain(caseId);

      const detail = (await admin.request('GET', `/api/cases/${caseId}`)).json;
      expect(detail).toMatchObject({ erased: true, subject: null, findings: null, hits: [] });
      expect(detail.tombstone).toMatchObject({
        subjectNames: 2,
        reason: 'retention',
        hits: expect.any(Number),
      });
      expect((await partnerA('GET', `/api/cases/${caseId}/report.pdf`)).json.error.code).toBe(
        'SVD_CASES_ERASED',
      );

      // No table (the registry's own records aside) and no file holds the subject's names or birth date.
      const db = t.runtime.database.db;
      const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(db);
      const needles = [
        NAME_BE,
        NAME_RU,
        'Пятровіч',
        'Петрович',
        BIRTH,
        'другая дата нараджэння',
        'Эміграваў',
      ];
      for (const { table_name } of tables.rows) {
        if (table_name.startsWith('registry_')) continue;
        const rows = await sql<{ t: string }>`select t::text as t from ${sql.table(table_name)} as t`.execute(
          db,
        );
        for (const row of rows.rows)
          for (const needle of needles) expect(row.t, table_name).not.toContain(needle);
      }
      // Every file of the data directory: blobs, keys, and for the embedded database its own files.
      for (const file of walk(ctx.dataDir)) {
        const content = readFileSync(file).toString('utf8');
        for (const needle of needles) expect(content).not.toContain(needle);
      }
      expect((await t.runtime.audit.verify()).ok).toBe(true);
      const history = (await admin.request('GET', `/api/cases/${caseId}/history`)).json;
      expect(history.intact).toBe(true);
      expect(history.events.map((e: { action: string }) => e.action)).toContain('erased');
    });
  });

  it('keeps apiKeyClient helpers usable with the verification scope', async () => {
    const key = await apiKeyClient(t, ['verification'], 'vetting');
    expect((await key.request('GET', '/api/cases')).status).toBe(200);
  });
});
