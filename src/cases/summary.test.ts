/**
 * Cases on the home page (counts and what waits for whom, no subject data) and evidence cited by
 * SHA-256 in a report: the vault item the officer may see, with its custody, or "not in the vault".
 */
import { Readable } from 'node:stream';
import { beforeAll, expect, it } from 'vitest';
import { type Client, loggedInClient, useTestApp } from '../../test/support/app.js';
import { describeEachDatabase } from '../../test/support/databases.js';

const system = { type: 'system' as const, label: 'test' };

describeEachDatabase('cases on the home page and cited evidence', (ctx) => {
  const t = useTestApp(ctx);
  let analyst: Client;
  let reviewer: Client;
  const analystP = () => ({
    type: 'user' as const,
    id: analyst.userId,
    username: 'a',
    role: 'analyst' as const,
  });

  beforeAll(async () => {
    analyst = await loggedInClient(t, 'analyst');
    reviewer = await loggedInClient(t, 'reviewer');
  });

  it('counts open cases and says what waits for the analyst and for the reviewer', async () => {
    const cases = t.runtime.areas.cases;
    const make = (dueDate?: string) =>
      cases.service.create(system, {
        requesterOrg: 'Partner Home',
        purpose: 'Employment vetting',
        ...(dueDate ? { dueDate } : {}),
        subject: { names: ['Сінтэтычная Асоба Хатняя'] },
      });
    await make();
    await make('2020-01-01');
    const mine = await make();
    await cases.service.accept(analystP(), mine.id);
    await cases.service.assign(analystP(), mine.id, analyst.userId);
    const reviewed = await make();
    await cases.service.accept(analystP(), reviewed.id);
    await cases.work.updateFindings(analystP(), reviewed.id, {
      conclusion: 'inconclusive',
      narrative: 'Мала звестак.',
    });
    await cases.work.submit(analystP(), reviewed.id);

    const area = async (client: Client) =>
      ((await client.request('GET', '/api/home')).json.areas as Array<Record<string, any>>).find(
        (a) => a.area === 'cases',
      )!;
    const forAnalyst = await area(analyst);
    expect(forAnalyst.counts).toEqual({ openCases: 4, casesInReview: 1 });
    expect(forAnalyst.waiting).toEqual([
      { key: 'casesToAccept', count: 2, path: '/cases?status=received' },
      { key: 'myCases', count: 1, path: '/cases?mine=true' },
      { key: 'overdueCases', count: 1, path: '/cases?overdue=true' },
    ]);
    expect(forAnalyst.recent).toHaveLength(4);
    expect(JSON.stringify(forAnalyst)).not.toContain('Сінтэтычная');
    const forReviewer = await area(reviewer);
    expect(forReviewer.waiting).toEqual([
      { key: 'casesToReview', count: 1, path: '/cases?status=in_review' },
    ]);
  });

  it('describes cited evidence by SHA-256 with its custody; an unknown hash is not in the vault', async () => {
    const cases = t.runtime.areas.cases;
    const stored = await t.runtime.areas.evidence.intake({
      stream: Readable.from([Buffer.from('synthetic photo of a detention')]),
      fileName: 'detention.txt',
      channel: 'cli',
      actor: system,
    });
    const created = await cases.service.create(system, {
      requesterOrg: 'Partner Evidence',
      purpose: 'Residence permit vetting',
      subject: { names: ['Сінтэтычная Асоба Доказная'] },
    });
    await cases.service.accept(analystP(), created.id);
    const unknown = 'a'.repeat(64);
    await cases.work.updateFindings(analystP(), created.id, {
      conclusion: 'adverse_information_found',
      narrative: 'Фота затрымання.',
      items: [
        {
          text: 'Фота.',
          links: [
            { kind: 'evidence', sha256: stored.sha256 },
            { kind: 'evidence', sha256: unknown },
          ],
        },
      ],
    });
    const draft = await cases.reporting.issue(analystP(), created.id, { draft: true });
    const twin = JSON.parse(draft.json.toString('utf8'));
    const cited = new Map(twin.evidence.map((e: { sha256: string }) => [e.sha256, e]));
    expect(cited.get(stored.sha256)).toMatchObject({
      sha256: stored.sha256,
      itemId: stored.itemId,
      mediaType: 'text/plain',
    });
    expect((cited.get(stored.sha256) as { custodyEvents: number }).custodyEvents).toBeGreaterThan(0);
    expect((cited.get(stored.sha256) as { custodyHead: string }).custodyHead).toMatch(/^[0-9a-f]{64}$/);
    expect(cited.get(unknown)).toEqual({ sha256: unknown, inVault: false });
    const listed = await analyst.request('GET', `/api/cases/${created.id}/evidence`);
    expect(listed.status).toBe(200);
    expect(listed.json.items).toEqual([
      expect.objectContaining({ sha256: stored.sha256, inVault: true, itemId: stored.itemId, findings: [1] }),
      { sha256: unknown, inVault: false, findings: [1] },
    ]);
    const pdfText = draft.pdf.toString('latin1');
    expect(pdfText.startsWith('%PDF-')).toBe(true);
  });
});
