/**
 * The top-bar search across all resources in a real browser against the real server, in Belarusian:
 * synthetic officials are imported through the API, "/" jumps to the search, a Latin transliteration of a
 * Belarusian Cyrillic name finds the person first, Enter opens the person page, which lists the incident
 * the person is linked to; "see all" opens the screening page with the name filled in and screened. The
 * Cyrillic name finds the person, an evidence file and an incident in sections with their counts; arrows
 * move from section to section, Enter opens the incident, and a section's "see all" its filtered list.
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
    const trial = await callApi<{ id: string }>(page, 'POST', '/api/evidence/incidents', {
      title: 'Суд над Ждановіч (тэст)',
      occurredFrom: '2021-06-02T09:00:00Z',
    });
    const statement = await uploadEvidence(page, 'Ждановіч-тлумачэнне.txt', 'synthetic statement, e2e');

    // "/" from the page focuses the search box, a combobox labelled in Belarusian.
    const search = page.getByRole('combobox', {
      name: 'Пошук па ўсім: асобы, доказы, інцыдэнты, праверкі, прапановы санкцый',
    });
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
    expect(await page.getByRole('listbox', { name: 'Знойдзенае' }).isVisible()).toBe(true);
    expect(await page.getByTestId('top-bar-search-section-people').textContent()).toContain(
      'Асобы і арганізацыі: ',
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
    await page.getByTestId('top-bar-search-all-people').waitFor();
    await page.getByTestId('top-bar-search-all-people').click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/screening/name');
    expect(new URL(page.url()).searchParams.get('name')).toBe('Siarhei Navumau');
    expect(await page.getByTestId('screening-name').inputValue()).toBe('Siarhei Navumau');
    await expect
      .poll(() => page.getByTestId('screening-results').textContent(), { timeout: 10_000 })
      .toContain('Навумаў Сяргей Іванавіч');

    // The Cyrillic name finds, besides the person, the evidence file and the incident, each section counted.
    await page.locator('h1').click();
    await page.keyboard.press('/');
    await expect.poll(searchFocused).toBe(1);
    await page.keyboard.type('Ждановіч', { delay: 30 });
    const section = (key: string) => page.getByTestId(`top-bar-search-section-${key}`);
    await expect
      .poll(() => section('incidents').textContent(), { timeout: 10_000 })
      .toContain('Інцыдэнты: 1');
    expect(await section('evidence').textContent()).toContain('Доказы: 1');
    expect(await section('evidence').textContent()).toContain('Ждановіч-тлумачэнне.txt');
    expect(await section('people').textContent()).toContain('Ждановіч Вольга Пятроўна');
    // Sections in a fixed order, people first; only those that found something.
    const order = await page
      .locator('[data-testid^="top-bar-search-section-"]')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-testid')));
    expect(order).toEqual([
      'top-bar-search-section-people',
      'top-bar-search-section-evidence',
      'top-bar-search-section-incidents',
    ]);
    await screenshot(page, 'top-bar-search-sections-be');

    // Arrows go through every section's options (the person is preselected); Enter opens the incident.
    const selected = () =>
      page
        .locator('[data-combobox-selected]')
        .evaluate((node) => node.getAttribute('data-section') ?? node.getAttribute('data-testid'))
        .catch(() => null);
    await expect.poll(selected).toBe('people');
    const moveTo = async (wanted: string) => {
      for (let step = 0; step < 20 && (await selected()) !== wanted; step++)
        await page.keyboard.press('ArrowDown');
      expect(await selected()).toBe(wanted);
    };
    await moveTo('incidents');
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/incidents/${trial.json.id}`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Суд над Ждановіч (тэст)');

    // A section's "see all" opens the area's list filtered by the text.
    await page.locator('h1').click();
    await page.keyboard.press('/');
    await page.keyboard.type('Ждановіч', { delay: 20 });
    await expect.poll(() => section('evidence').textContent(), { timeout: 10_000 }).toContain('Доказы: 1');
    await moveTo('top-bar-search-all-evidence');
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/evidence');
    expect(new URL(page.url()).searchParams.get('q')).toBe('Ждановіч');
    await expect
      .poll(() => page.locator(`a[href="/evidence/${statement.itemId}"]`).count(), { timeout: 10_000 })
      .toBeGreaterThan(0);

    // "/" typed into another field is just a character there.
    await page.goto('/screening/name');
    await page.getByTestId('screening-birth-date').click();
    await page.keyboard.press('/');
    expect(await page.getByTestId('screening-birth-date').inputValue()).toBe('/');
    expect(await searchFocused()).toBe(0);

    watchdog.assertClean();
  });
});
