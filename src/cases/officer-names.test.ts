/**
 * Officers in verification reports, on both databases: by role and id by default (cases.test.ts checks
 * that nobody is named); with the reportOfficerNames setting, each officer's display name as well.
 */
import { beforeAll, expect, it } from 'vitest';
import { type Client, loggedInClient, useTestApp } from '../../test/support/app.js';
import { describeEachDatabase } from '../../test/support/databases.js';

describeEachDatabase('officers named in reports when the setting says so', (ctx) => {
  const t = useTestApp(ctx, { reportOfficerNames: true });
  let analyst: Client;
  let reviewer: Client;

  beforeAll(async () => {
    analyst = await loggedInClient(t, 'analyst', 'analyst-hanna');
    reviewer = await loggedInClient(t, 'reviewer', 'reviewer-ales');
  });

  it('names the author and the reviewer beside their role and id, in the released report', async () => {
    const created = await analyst.request('POST', '/api/cases', {
      requesterOrg: 'Synthetic Migration Office',
      purpose: 'Employment vetting',
      subject: { names: ['Сінтэтычная Асоба Імёны'] },
    });
    const id = created.json.id as string;
    expect((await analyst.request('POST', `/api/cases/${id}/accept`, {})).status).toBe(200);
    const findings = { conclusion: 'inconclusive', confidence: 'low', narrative: 'Звестак недастаткова.' };
    expect((await analyst.request('PUT', `/api/cases/${id}/findings`, findings)).status).toBe(200);
    const submitted = await analyst.request('POST', `/api/cases/${id}/submit`, {});
    expect(submitted.status, JSON.stringify(submitted.json)).toBe(200);
    const approved = await reviewer.request('POST', `/api/cases/${id}/approve`, {
      contentHash: submitted.json.contentHash,
    });
    expect(approved.status, JSON.stringify(approved.json)).toBe(200);
    const twin = await reviewer.request('GET', `/api/cases/${id}/report.json`);
    expect(twin.status).toBe(200);
    expect(twin.json.officers).toMatchObject({
      authors: [`analyst · ${analyst.userId} · analyst-hanna`],
      reviewers: [
        { reviewer: `user:${reviewer.userId}`, officer: `reviewer · ${reviewer.userId} · reviewer-ales` },
      ],
    });
  });
});
