/**
 * A listing proposal in a real browser, from the person's page to an approved export: an analyst starts
 * a proposal for a registry person, fills in identifying information (the completeness meter moves),
 * writes a reason, is told it cannot be approved without evidence, links an evidence item through the
 * picker and sends it for review; on the review page the author is told why they cannot approve; a
 * second officer (a reviewer) approves the version they read; the exports page then downloads the EU
 * file and the dossier with the approved proposal in them. The entity page lists the proposal.
 */
import { readFile } from 'node:fs/promises';
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

const personId = 'e2e-official-1';

describe('listing proposals', () => {
  it('goes from a proposal with evidence-linked reasons to an approved export, with four eyes', async () => {
    const admin = await openContext(browser, server.baseUrl);
    await firstLogin(admin.page, 'admin', server.adminPassword, 'sanctions e2e passphrase 42');
    await importDataset(
      admin.page,
      { name: 'e2e-officials', title: 'Службовыя асобы (тэст)' },
      `${JSON.stringify({
        id: personId,
        schema: 'Person',
        properties: {
          name: ['Ihar Zhauranka', 'Ігар Жаўранка', 'Игорь Жаворонок'],
          birthDate: ['1978-04-17'],
          gender: ['male'],
          nationality: ['by'],
          position: ['Камандзір спецыяльнага падраздзялення'],
        },
      })}\n`,
    );
    const analystPassword = await createUser(admin.page, 'analyst1', 'analyst');
    const reviewerPassword = await createUser(admin.page, 'reviewer1', 'reviewer');
    admin.watchdog.assertClean();
    await admin.context.close();

    // The analyst starts the proposal from the person's page.
    const analyst = await openContext(browser, server.baseUrl);
    const page = analyst.page;
    await firstLogin(page, 'analyst1', analystPassword);
    const statement = await uploadEvidence(page, 'witness-statement.txt', 'Synthetic witness statement.');
    await page.goto(`/registry/entities/${personId}`);
    await expect.poll(() => page.getByTestId('entity-sanctions').textContent()).toContain('Прапаноў няма');
    await page.getByRole('button', { name: 'Прапанаваць для санкцый' }).click();
    await expect.poll(() => page.getByTestId('proposal-entity').textContent()).toContain('Ihar Zhauranka');
    await page.getByRole('checkbox', { name: 'ЗША' }).check();
    await page.getByRole('button', { name: 'Стварыць прапанову' }).click();
    await page.waitForURL(/\/sanctions\/proposals\/[0-9a-f-]{36}$/);
    const proposalUrl = page.url();
    const proposalId = proposalUrl.split('/').pop()!;
    await closeNotifications(page);

    // Identifying information from the registry; more of it raises the completeness score.
    expect(await page.locator('input[name="nameBelarusian"]').inputValue()).toBe('Ігар Жаўранка');
    const before = Number.parseInt((await page.getByTestId('completeness-score').textContent()) ?? '', 10);
    await page.locator('input[name="birthPlace"]').fill('Мінск');
    await page.locator('input[name="passportNumber"]').fill('MP0000001');
    await expect
      .poll(async () =>
        Number.parseInt((await page.getByTestId('completeness-score').textContent()) ?? '', 10),
      )
      .toBeGreaterThan(before);

    // A reason without evidence is flagged; the picker links the vault item.
    await page.getByRole('tab', { name: /Падставы/ }).click();
    await page.getByRole('button', { name: 'Дадаць падставу' }).click();
    await page
      .locator('textarea[name="reason-1"]')
      .fill('Кіраваў затрыманнем удзельнікаў мірнага сходу 9 жніўня 2020 г. (сінтэтычны прыклад).');
    await expect.poll(() => page.getByTestId('unlinked-warning').textContent()).toContain('1');
    await page.getByRole('button', { name: 'Захаваць' }).click();
    await expect.poll(() => page.getByTestId('discard').isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Дадаць доказ' }).click();
    await page.locator('input[name="link-search"]').fill('witness');
    const option = page.getByTestId('link-option').filter({ hasText: 'witness-statement.txt' });
    await expect.poll(() => option.count()).toBe(1);
    await option.getByRole('button', { name: 'Спаслацца' }).click();
    await expect
      .poll(() => page.getByTestId('reason-link').textContent())
      .toContain(statement.sha256.slice(0, 16));
    await expect.poll(() => page.getByTestId('unlinked-warning').count()).toBe(0);
    await closeNotifications(page);
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, 'sanctions-proposal-editor-be');
    await page.getByRole('button', { name: 'Захаваць' }).click();
    await expect.poll(() => page.getByTestId('discard').isDisabled()).toBe(true);
    await closeNotifications(page);

    // The server resolved the evidence link to its SHA-256.
    const saved = await callApi<{
      proposal: { content: { reasons: Array<{ links: Array<{ sha256?: string }> }> } };
    }>(page, 'GET', `/api/sanctions/proposals/${proposalId}`);
    expect(saved.json.proposal.content.reasons[0]!.links[0]!.sha256).toBe(statement.sha256);

    // The evidence package of the proposal: the vault's export of the linked items, with manifest and custody.
    await page.getByRole('button', { name: 'Пакет доказаў (ZIP)' }).click();
    await page.locator('input[name="purpose"]').fill('Прапанова санкцый (тэст)');
    const [evidenceZip] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-submit').click(),
    ]);
    expect(evidenceZip.suggestedFilename()).toMatch(/^evidence-.+\.zip$/);
    const zip = await readFile((await evidenceZip.path())!);
    expect(zip.subarray(0, 2).toString()).toBe('PK');
    expect(zip.includes(Buffer.from('manifest-sha256.txt'))).toBe(true);
    await page.getByTestId('export-done').waitFor();
    await page.getByRole('button', { name: 'Гатова' }).click();

    await page.getByRole('button', { name: 'Аддаць на рэцэнзію' }).click();
    await expect.poll(() => page.getByTestId('state-EU').getAttribute('data-state')).toBe('in_review');
    await expect.poll(() => page.getByTestId('state-US').getAttribute('data-state')).toBe('in_review');

    // The author sees why they cannot approve.
    await page.goto(`${proposalUrl}/review`);
    await expect
      .poll(() => page.getByTestId('approve-refusals').textContent())
      .toContain('Вы пісалі або змянялі гэтую прапанову');
    expect(await page.getByRole('button', { name: 'Зацвердзіць' }).count()).toBe(0);
    analyst.watchdog.assertClean();

    // A second officer approves the version they read.
    const second = await openContext(browser, server.baseUrl);
    const view = second.page;
    await firstLogin(view, 'reviewer1', reviewerPassword);
    await view.getByTestId('color-scheme-toggle').click();
    await expect.poll(() => view.locator('html').getAttribute('data-mantine-color-scheme')).toBe('dark');
    await view.goto('/sanctions/proposals?state=in_review');
    const row = view.getByTestId('proposals').locator('tbody tr');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('EU · на рэцэнзіі');
    await row.getByRole('link').click();
    await view.getByRole('link', { name: 'Рэцэнзія', exact: true }).click();
    await expect
      .poll(() => view.getByTestId('review-reasons').textContent())
      .toContain('witness-statement.txt');
    expect(await view.getByTestId('approve-refusals').count()).toBe(0);
    await screenshot(view, 'sanctions-review-dark');
    await view.getByRole('button', { name: 'Зацвердзіць' }).click();
    await expect.poll(() => view.getByTestId('approved-version').textContent()).toMatch(/reviewer/i);
    await expect.poll(() => view.getByTestId('state-EU').getAttribute('data-state')).toBe('approved');

    // Exports: the approved proposal is in the EU file and the dossier.
    await view.goto('/sanctions/exports');
    const [eu] = await Promise.all([
      view.waitForEvent('download'),
      view.getByTestId('export-eu-fsf-xml').click(),
    ]);
    const xml = await readFile((await eu.path())!, 'utf8');
    expect(xml).toContain('<sanctionEntity');
    expect(xml).toContain('Ігар Жаўранка');
    const [dossier] = await Promise.all([
      view.waitForEvent('download'),
      view.getByTestId('export-dossier-pdf').click(),
    ]);
    expect(dossier.suggestedFilename()).toBe('proposals.pdf');
    const pdf = await readFile((await dossier.path())!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await screenshot(view, 'sanctions-exports-dark');

    // The person's page shows the proposal with its states.
    await view.goto(`/registry/entities/${personId}`);
    await expect.poll(() => view.getByTestId('entity-proposals').textContent()).toContain('EU · зацверджана');
    second.watchdog.assertClean();
    await second.context.close();
    await analyst.context.close();
  });
});
