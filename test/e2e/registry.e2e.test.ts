/**
 * The registry in a real browser against the real server: an administrator imports FtM lines through the
 * API, finds a person by a Belarusian name, reads the entity page (names by script and language, positions
 * over time, sanctions, provenance), edits it, and looks at the datasets page.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoLines } from '../../src/registry/seed.js';
import {
  firstLogin,
  importDataset,
  launchBrowser,
  openContext,
  type RunningServer,
  repoRoot,
  screenshot,
  startServer,
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

describe('the registry', () => {
  it('imports, finds, shows and edits a person', async () => {
    const { page, watchdog } = await openContext(browser, server.baseUrl);
    const password = 'registry e2e passphrase 42';

    // First login of the administrator: password change and 2FA enrolment.
    await firstLogin(page, 'admin', server.adminPassword, password);

    // Data through the API, as a partner tool would send it: a dataset and streamed FtM lines.
    const body =
      readFileSync(join(repoRoot, 'test/fixtures/registry/valid.ftm.jsonl'), 'utf8') +
      demoLines({ persons: 20, prefix: 'e2e' }).join('');
    const summary = await importDataset(
      page,
      {
        name: 'e2e-officials',
        title: 'Афіцыйныя асобы (тэст)',
        source: 'Synthetic fixtures',
        licence: 'CC0',
      },
      body,
    );
    expect(summary.rejected).toBe(0);
    expect(summary.imported).toBeGreaterThan(20);

    // Find the person by the Belarusian form of the surname.
    const nav = page.getByRole('navigation', { name: 'Асноўная навігацыя' });
    await nav.getByRole('link', { name: 'Асобы і арганізацыі' }).click();
    await page.getByTestId('entities-table').waitFor();
    await page.getByTestId('registry-search').fill('Навумаў');
    await page.getByTestId('registry-search').press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('Навумаў');
    const link = page.getByTestId('entities-table').getByRole('link', { name: 'Навумаў Сяргей Іванавіч' });
    await link.waitFor();
    await screenshot(page, 'registry-list-be');
    await link.click();

    // The entity page: names by script and language, positions over time, sanctions, provenance.
    await expect.poll(() => page.locator('h1').textContent()).toBe('Навумаў Сяргей Іванавіч');
    const names = page.getByTestId('names');
    await expect.poll(() => names.textContent()).toContain('Беларуская (кірыліца)');
    expect(await names.textContent()).toContain('Руская (кірыліца)');
    expect(await names.textContent()).toContain('Лацінка');
    expect(await page.getByTestId('names-cyrillic-ru').textContent()).toContain('Наумов Сергей Иванович');
    const positions = page.getByTestId('positions-timeline');
    expect(await positions.textContent()).toContain('Суддзя, Суд Верасаўскага раёна');
    expect(await positions.textContent()).toContain('2012 – 2019-06');
    expect(await page.getByTestId('sanctions').textContent()).toContain('Demo Sanctions Authority');
    expect(await page.getByTestId('provenance').textContent()).toContain('Афіцыйныя асобы (тэст)');
    await screenshot(page, 'registry-entity-be');

    // Editing: add a Latin spelling; the page shows it after saving.
    await page.getByRole('link', { name: 'Рэдагаваць' }).click();
    const alias = page.getByLabel('alias');
    await alias.waitFor();
    await alias.fill('Siarhei NAVUMAU\nSergei NAUMOV\nSiarhiej NAVUMAŬ');
    await screenshot(page, 'registry-edit-be');
    await page.getByRole('button', { name: 'Захаваць' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Навумаў Сяргей Іванавіч');
    await expect.poll(() => page.getByTestId('names').textContent()).toContain('Siarhiej NAVUMAŬ');

    // A bad date is refused with the coded error, in Belarusian.
    await page.getByRole('link', { name: 'Рэдагаваць' }).click();
    await page.getByLabel('birthDate').fill('1975-13-45');
    await page.getByRole('button', { name: 'Захаваць' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('SVD_REGISTRY_BAD_DATE');

    // Datasets with counts and provenance (after a reload, so no notification covers the picture).
    await page.reload();
    await nav.getByRole('link', { name: 'Наборы даных' }).click();
    const row = page.getByTestId('datasets-table').locator('tr', { hasText: 'e2e-officials' });
    await row.waitFor();
    expect(await row.textContent()).toContain('CC0');
    await screenshot(page, 'registry-datasets-be');

    watchdog.assertClean();
  });
});
