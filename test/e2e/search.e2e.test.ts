/**
 * The top-bar name search in a real browser against the real server, in Belarusian: synthetic officials
 * are imported through the API, "/" jumps to the search, a Latin transliteration of a Belarusian Cyrillic
 * name finds the person first, Enter opens the person page, which lists the incident the person is linked
 * to; "see all" opens the screening page with the name filled in and screened.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoLines } from '../../src/registry/seed.js';
import {
  callApi,
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

describe('the top-bar search', () => {
  it('finds a Belarusian name typed in Latin letters and opens the person page', async () => {
    const { page, watchdog } = await openContext(browser, server.baseUrl);
    const password = 'search e2e passphrase 19';

    await firstLogin(page, 'admin', server.adminPassword, password);

    // Synthetic officials (names only in Cyrillic for fx-person-2) and an incident naming one of them.
    const body =
      readFileSync(join(repoRoot, 'test/fixtures/registry/valid.ftm.jsonl'), 'utf8') +
      demoLines({ persons: 20, prefix: 'e2e' }).join('');
    const summary = await importDataset(
      page,
      { name: 'e2e-search', title: 'Пошук (тэст)', licence: 'CC0' },
      body,
    );
    expect(summary.rejected).toBe(0);
    const incident = await callApi<{ id: string }>(page, 'POST', '/api/evidence/incidents', {
      title: 'Затрыманне каля вакзала (тэст)',
      occurredFrom: '2021-03-14T10:00:00Z',
    });
    const person = await callApi(page, 'POST', `/api/evidence/incidents/${incident.json.id}/persons`, {
      role: 'perpetrator',
      entityId: 'fx-person-2',
    });
    expect(person.status).toBe(200);

    // "/" from the page focuses the search box, a combobox labelled in Belarusian.
    const search = page.getByRole('combobox', { name: 'Пошук асоб і арганізацый па імені' });
    const searchFocused = () => page.locator('input[aria-keyshortcuts="/"]:focus').count();
    await page.locator('h1').click();
    await page.keyboard.press('/');
    await expect.poll(searchFocused).toBe(1);

    // A Latin transliteration of "Ждановіч Вольга Пятроўна", typed key by key: the person comes first.
    await page.keyboard.type('Volha Zhdanovich', { delay: 30 });
    expect(await search.inputValue()).toBe('Volha Zhdanovich');
    const results = page.getByTestId('top-bar-search-result');
    await expect
      .poll(() => results.first().textContent(), { timeout: 10_000 })
      .toContain('Ждановіч Вольга Пятроўна');
    expect(await results.count()).toBeLessThanOrEqual(8);
    expect(await results.first().textContent()).toContain('1980-03');
    expect(await search.getAttribute('aria-expanded')).toBe('true');
    expect(await page.getByRole('listbox', { name: 'Знойдзеныя асобы і арганізацыі' }).isVisible()).toBe(
      true,
    );
    await screenshot(page, 'top-bar-search-be');

    // Enter opens the first result: the person page, with the incident the person is linked to.
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/registry/entities/fx-person-2');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Ждановіч Вольга Пятроўна');
    expect(await search.inputValue()).toBe('');
    const incidents = page.getByTestId('entity-incidents-table');
    await incidents.waitFor();
    const row = incidents.locator('tr', { hasText: 'Затрыманне каля вакзала (тэст)' });
    expect(await row.textContent()).toContain('Меркаваны выканаўца');
    await screenshot(page, 'registry-entity-incidents-be');
    await row.getByRole('link', { name: 'Затрыманне каля вакзала (тэст)' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/incidents\/[0-9a-f-]{36}$/);

    // Arrows move through the results; Escape closes the list and keeps the text.
    await page.keyboard.press('/');
    await page.keyboard.type('Siarhei Navumau', { delay: 20 });
    await expect
      .poll(() => results.first().textContent(), { timeout: 10_000 })
      .toContain('Навумаў Сяргей Іванавіч');
    await page.keyboard.press('Escape');
    await expect.poll(() => search.getAttribute('aria-expanded')).toBe('false');
    expect(await search.inputValue()).toBe('Siarhei Navumau');

    // "See all" is the last option: the screening page, with the name filled in and screened.
    await page.keyboard.press('ArrowDown');
    await page.getByTestId('top-bar-search-all').waitFor();
    await page.getByTestId('top-bar-search-all').click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/screening/name');
    expect(new URL(page.url()).searchParams.get('name')).toBe('Siarhei Navumau');
    expect(await page.getByTestId('screening-name').inputValue()).toBe('Siarhei Navumau');
    await expect
      .poll(() => page.getByTestId('screening-results').textContent(), { timeout: 10_000 })
      .toContain('Навумаў Сяргей Іванавіч');

    // "/" typed into another field is just a character there.
    await page.getByTestId('screening-birth-date').click();
    await page.keyboard.press('/');
    expect(await page.getByTestId('screening-birth-date').inputValue()).toBe('/');
    expect(await searchFocused()).toBe(0);

    watchdog.assertClean();
  });
});
