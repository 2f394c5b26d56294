/**
 * A verification case in a real browser, the whole path: a partner's system files a request over the API
 * (API key with the verification scope, a stated purpose); an analyst accepts it, screens the subject,
 * reviews the hit, writes findings citing a vault item by SHA-256 and sends them for review, and is refused
 * when trying to approve their own findings; a reviewer approves and the report is released; the partner
 * downloads exactly the released PDF and verifies it, and an altered copy does not verify.
 */
import { createHash } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callApi,
  closeNotifications,
  createUser,
  firstLogin,
  importDataset,
  launchBrowser,
  openContext,
  type RunningServer,
  screenshot,
  startServer,
  uploadEvidence,
} from './harness.js';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const registryPerson = 'e2e-case-officer-1';

describe('verification cases', () => {
  it('goes from a partner request to a released, verifiable report with four eyes', async () => {
    const admin = await openContext(browser, server.baseUrl);
    await firstLogin(admin.page, 'admin', server.adminPassword, 'cases e2e passphrase 42');
    await importDataset(
      admin.page,
      { name: 'e2e-judges', title: 'Суддзі (тэст)' },
      `${JSON.stringify({
        id: registryPerson,
        schema: 'Person',
        properties: {
          name: ['Siarhei Kavalenka', 'Сяргей Каваленка'],
          birthDate: ['1971-03-05'],
          position: ['Суддзя раённага суда (сінтэтычны)'],
        },
      })}\n`,
    );
    const key = await callApi<{ secret: string }>(admin.page, 'POST', '/api/apikeys', {
      name: 'Partner vetting system',
      organization: 'Partner Org (synthetic)',
      scopes: ['verification'],
    });
    expect(key.status, JSON.stringify(key.json)).toBe(200);
    const analystPassword = await createUser(admin.page, 'analyst1', 'analyst');
    const reviewerPassword = await createUser(admin.page, 'reviewer1', 'reviewer');
    admin.watchdog.assertClean();
    await admin.context.close();

    // The partner's system files the request.
    const partner = (path: string, init: { method?: string; body?: unknown; raw?: Buffer } = {}) =>
      fetch(`${server.baseUrl}${path}`, {
        method: init.method ?? 'GET',
        headers: {
          authorization: `Bearer ${key.json.secret}`,
          'x-purpose': 'residence permit vetting',
          ...(init.body ? { 'content-type': 'application/json' } : {}),
          ...(init.raw ? { 'content-type': 'application/pdf' } : {}),
        },
        ...(init.body ? { body: JSON.stringify(init.body) } : {}),
        ...(init.raw ? { body: new Uint8Array(init.raw) } : {}),
      });
    const filed = await partner('/api/cases', {
      method: 'POST',
      body: {
        purpose: 'Residence permit application 2026/41 (synthetic)',
        retentionClass: 'short',
        subject: { names: ['Сяргей Каваленка', 'Sergei Kovalenko'], birthDate: '1971-03-05' },
      },
    });
    expect(filed.status).toBe(201);
    const { id: caseId, number } = (await filed.json()) as { id: string; number: string };

    // The analyst accepts, screens, reviews the hit and writes findings citing a vault item.
    const analyst = await openContext(browser, server.baseUrl);
    const page = analyst.page;
    await firstLogin(page, 'analyst1', analystPassword);
    const photo = await uploadEvidence(
      page,
      'court-hearing-notes.txt',
      'Synthetic notes of a court hearing.',
    );
    await page.goto('/cases');
    await page.getByRole('link', { name: number }).click();
    await page.getByRole('button', { name: 'Прыняць' }).click();
    await page.getByRole('button', { name: 'Праверыць па базах' }).click();
    await page.getByRole('tab', { name: /Супадзенні \([1-9]/ }).click();
    const hit = page.locator(`tr[data-hit="${registryPerson}"]`);
    await hit.getByRole('textbox', { name: 'Прычына' }).fill('той жа суддзя: імя, дата нараджэння, пасада');
    await hit.getByRole('button', { name: 'пацвердзіць', exact: true }).click();
    await expect.poll(() => hit.textContent()).not.toContain('не разгледжана');
    for (const other of await page.locator('tr[data-hit]').all()) {
      if ((await other.getAttribute('data-hit')) === registryPerson) continue;
      await other.getByRole('textbox', { name: 'Прычына' }).fill('іншая асоба');
      await other.getByRole('button', { name: 'адхіліць', exact: true }).click();
    }

    await page.getByRole('tab', { name: 'Высновы', exact: true }).click();
    await page.getByRole('combobox', { name: 'Выснова' }).click();
    await page.getByRole('option', { name: 'Знойдзены неспрыяльныя звесткі' }).click();
    await page.getByRole('combobox', { name: 'Упэўненасць' }).click();
    await page.getByRole('option', { name: 'высокая' }).click();
    await page
      .locator('textarea[name="narrative"]')
      .fill('Суддзя, які выносіў прысуды ўдзельнікам мірных пратэстаў (сінтэтычны прыклад).');
    await page.getByRole('button', { name: 'Дадаць пункт' }).click();
    await page.getByLabel('1.', { exact: true }).fill('Нататкі з пасяджэння суда.');
    await page.getByLabel('Спасылкі').fill(`evidence ${photo.sha256}\nentity ${registryPerson}`);
    await page.getByRole('button', { name: 'Захаваць высновы' }).click();
    await closeNotifications(page);
    await page.getByRole('button', { name: 'Аддаць на рэцэнзію' }).click();
    await expect.poll(() => page.getByText('на рэцэнзіі').count()).toBeGreaterThan(0);

    // The author cannot approve: told before trying, and refused by the server when trying.
    await page.getByRole('tab', { name: 'Рэцэнзія' }).click();
    await expect.poll(() => page.getByText('Вы пісалі або змянялі гэтыя высновы').count()).toBe(1);
    await page.getByRole('button', { name: 'Зацвердзіць і выпусціць' }).click();
    await expect
      .poll(() => page.getByRole('alert').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringMatching(/SVD_REVIEW_(APPROVER|SELF_APPROVAL)/)]));
    await closeNotifications(page);
    await page.getByText('Вы пісалі або змянялі гэтыя высновы').scrollIntoViewIfNeeded();
    await screenshot(page, 'cases-review-author-be');
    analyst.watchdog.assertClean();
    await analyst.context.close();

    // A second officer approves; the report is released.
    const second = await openContext(browser, server.baseUrl);
    const view = second.page;
    await firstLogin(view, 'reviewer1', reviewerPassword);
    await view.goto(`/cases/${caseId}`);
    await expect.poll(() => view.getByText('Нататкі з пасяджэння суда.').count()).toBeGreaterThan(0);
    await view.getByRole('button', { name: 'Зацвердзіць і выпусціць' }).click();
    await expect.poll(() => view.getByText('выпушчаны', { exact: true }).count()).toBeGreaterThan(0);
    await view.getByRole('tab', { name: 'Доказы', exact: true }).click();
    await expect.poll(() => view.getByTestId('case-evidence').textContent()).toContain('text/plain');
    await view.getByRole('tab', { name: /Справаздачы/ }).click();
    const released = view.locator('tbody tr').filter({ hasText: 'выпушчана' });
    await expect.poll(() => released.count()).toBe(1);
    await view.getByTestId('color-scheme-toggle').click();
    await expect.poll(() => view.locator('html').getAttribute('data-mantine-color-scheme')).toBe('dark');
    await screenshot(view, 'cases-released-dark');
    const shown = (await released.textContent()) ?? '';

    // The partner downloads exactly the released bytes and verifies them; a changed byte does not verify.
    const download = await partner(`/api/cases/${caseId}/report.pdf`);
    expect(download.status).toBe(200);
    const pdf = Buffer.from(await download.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const sha = createHash('sha256').update(pdf).digest('hex');
    expect(shown).toContain(sha.slice(0, 16));
    const verified = await partner('/api/cases/verify-report', { method: 'POST', raw: pdf });
    expect(await verified.json()).toMatchObject({
      status: 'issued',
      caseNumber: number,
      report: { draft: false },
    });
    const altered = Buffer.from(pdf);
    altered[altered.length - 200] = altered[altered.length - 200]! ^ 1;
    const refused = await partner('/api/cases/verify-report', { method: 'POST', raw: altered });
    expect(((await refused.json()) as { status: string }).status).toMatch(/altered|unknown/);

    // The released report cites the vault item by SHA-256 with its custody.
    const twin = await partner(`/api/cases/${caseId}/report.json`);
    expect(twin.status).toBe(200);
    const json = (await twin.json()) as { evidence: Array<{ sha256: string; itemId?: string }> };
    expect(json.evidence).toContainEqual(
      expect.objectContaining({ sha256: photo.sha256, itemId: photo.itemId }),
    );
    second.watchdog.assertClean();
    await second.context.close();
  });
});
