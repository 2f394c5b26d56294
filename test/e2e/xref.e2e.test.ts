/**
 * Cross-referencing in a real browser, in Belarusian: two synthetic datasets name the same officials,
 * one in Belarusian Cyrillic (a ministry staff list), one in Latin passport spellings (a leaked roster
 * that holds one person twice). An analyst starts an xref run from the runs page and watches it finish,
 * reviews the suggested pairs with the keyboard only (x same, n different, u unsure, z undo, arrows to
 * move), then sees the merged person on the entity page (facts of every member with its dataset) and
 * splits one record out of the cluster on the cluster page with a reason.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeNotifications,
  createUser,
  firstLogin,
  importDataset,
  launchBrowser,
  openContext,
  type RunningServer,
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

const person = (id: string, properties: Record<string, string[]>) =>
  `${JSON.stringify({ id, schema: 'Person', properties })}\n`;

/** A ministry's staff list: Belarusian Cyrillic names, birth dates and positions. */
const ministry = [
  person('e2e-min-1', {
    name: ['Жаўранка Ігар Мікалаевіч'],
    birthDate: ['1978-04-17'],
    gender: ['male'],
    position: ['Намеснік міністра'],
  }),
  person('e2e-min-2', {
    name: ['Ждановіч Вольга Пятроўна'],
    birthDate: ['1980-03-02'],
    gender: ['female'],
    position: ['Начальніца ўпраўлення'],
  }),
  person('e2e-min-3', {
    name: ['Навумаў Сяргей Іванавіч'],
    birthDate: ['1969-11-23'],
    gender: ['male'],
  }),
  person('e2e-min-4', { name: ['Кавалёў Андрэй Пятровіч'], gender: ['male'] }),
].join('');

/** A roster with Latin passport spellings; Ihar Zhauranka is in it twice. */
const roster = [
  person('e2e-ros-1', {
    name: ['Ihar Zhauranka'],
    birthDate: ['1978-04-17'],
    passportNumber: ['MP1234567'],
  }),
  person('e2e-ros-5', {
    name: ['Ihar Mikalaevich Zhauranka'],
    birthDate: ['1978-04-17'],
    nationality: ['by'],
  }),
  person('e2e-ros-2', { name: ['Volha Zhdanovich'], birthDate: ['1980-03-02'] }),
  // A namesake: another Siarhei Navumau, born eighteen months later.
  person('e2e-ros-3', { name: ['Siarhei Navumau'], birthDate: ['1971-05-09'] }),
  // Only a name: the reviewer cannot tell.
  person('e2e-ros-4', { name: ['Andrei Kavaliou'] }),
].join('');

/** What the reviewer knows about each pair, by the two records' ids. */
const truth: Record<string, 'x' | 'n' | 'u'> = {
  'e2e-min-1|e2e-ros-1': 'x',
  'e2e-min-1|e2e-ros-5': 'x',
  'e2e-min-2|e2e-ros-2': 'x',
  'e2e-min-3|e2e-ros-3': 'n',
  'e2e-min-4|e2e-ros-4': 'u',
};

/**
 * The ids of the pair on screen, in a fixed order, read from the links of both sides in one step of the
 * page (two separate reads could straddle a re-render and mix the old pair's side with the new one's).
 */
async function currentPair(page: Page): Promise<string> {
  const ids = (await page.evaluate(
    `['compare-left', 'compare-right'].map((side) =>
      document.querySelector('[data-testid="' + side + '"] a')?.getAttribute('href') ?? '')`,
  )) as string[];
  if (ids.some((href) => href === '')) throw new Error('no pair on screen');
  return ids
    .map((href) => decodeURIComponent(href.split('/').pop() ?? ''))
    .sort()
    .join('|');
}

/** Waits until the comparison on screen is a known pair other than `before` (or any known pair). */
async function nextPair(page: Page, before?: string): Promise<string> {
  let pair = '';
  await expect
    .poll(async () => {
      pair = await currentPair(page).catch(() => '');
      return pair in truth && pair !== before;
    })
    .toBe(true);
  return pair;
}

describe('cross-referencing', () => {
  it('runs, reviews pairs from the keyboard, shows the merged person and splits a record out', async () => {
    const admin = await openContext(browser, server.baseUrl);
    await firstLogin(admin.page, 'admin', server.adminPassword, 'xref e2e passphrase 42');
    const a = await importDataset(
      admin.page,
      { name: 'e2e-ministry', title: 'Штат міністэрства (тэст)', source: 'synthetic staff list' },
      ministry,
    );
    const b = await importDataset(
      admin.page,
      { name: 'e2e-roster', title: 'Спіс з пашпартамі (тэст)', source: 'synthetic roster' },
      roster,
    );
    expect([a, b]).toMatchObject([
      { imported: 4, rejected: 0 },
      { imported: 5, rejected: 0 },
    ]);
    const analystPassword = await createUser(admin.page, 'analyst1', 'analyst');
    admin.watchdog.assertClean();
    await admin.context.close();

    const { context, page, watchdog } = await openContext(browser, server.baseUrl);
    await firstLogin(page, 'analyst1', analystPassword);

    // The run: the ministry list against every other dataset, in the background, watched to the end.
    await page.goto('/xref/runs');
    await page.getByTestId('run-dataset').click();
    await page.getByRole('option', { name: 'Штат міністэрства (тэст)' }).click();
    await page.getByTestId('run-start').click();
    const state = page.getByTestId('run-state');
    await expect.poll(() => state.first().textContent(), { timeout: 60_000 }).toBe('Скончана');
    const row = page.getByTestId('run-row').first();
    expect(await row.textContent()).toContain('e2e-ministry');
    expect(await row.textContent()).toContain('Усе іншыя наборы');
    await closeNotifications(page);
    await screenshot(page, 'xref-runs-be');

    // The queue: five pairs, best first, side by side.
    await page.getByRole('link', { name: 'Да чаргі праверкі' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/xref/review');
    await expect.poll(() => page.getByTestId('pair-header').textContent()).toContain('Пара 1 з 5');
    let pair = await nextPair(page);
    expect(Object.keys(truth)).toContain(pair);
    await screenshot(page, 'xref-review-be');

    // Arrows move through the queue without deciding, and back.
    await page.locator('h1').click();
    await page.keyboard.press('ArrowRight');
    expect(await nextPair(page, pair)).not.toBe(pair);
    expect(await page.getByTestId('pair-header').textContent()).toContain('Пара 2 з 5');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => currentPair(page).catch(() => '')).toBe(pair);

    // A decision, undone with z: the pair is back and nothing is recorded as mine.
    const recent = page.getByTestId('recent-decisions');
    await page.keyboard.press(truth[pair]!);
    await nextPair(page, pair);
    await expect.poll(() => recent.locator('.mantine-Badge-root').count()).toBe(1);
    // The total counts down at once (the decided pair leaves the queue), and back up on undo.
    await expect.poll(() => page.getByTestId('pair-header').textContent()).toContain(' з 4');
    await page.keyboard.press('z');
    await expect.poll(() => currentPair(page).catch(() => '')).toBe(pair);
    await expect.poll(() => page.getByTestId('pair-header').textContent()).toContain(' з 5');
    await expect.poll(() => recent.textContent()).toContain('Рашэнняў пакуль няма.');

    // Every pair decided from the keyboard as the reviewer knows it.
    const decided: string[] = [];
    for (;;) {
      pair = await nextPair(page, decided[decided.length - 1]);
      expect(decided).not.toContain(pair);
      await page.keyboard.press(truth[pair]!);
      decided.push(pair);
      if (decided.length === Object.keys(truth).length) break;
    }
    await expect.poll(() => page.getByTestId('queue-empty').count()).toBe(1);
    await expect.poll(() => recent.locator('.mantine-Badge-root').count()).toBe(5);
    const recentText = (await recent.textContent()) ?? '';
    for (const label of ['Адна асоба', 'Розныя асобы', 'Невядома']) expect(recentText).toContain(label);
    await screenshot(page, 'xref-review-decided-be');

    // The entity page shows one person: facts of all three records, each with its dataset.
    await page.goto('/registry/entities/e2e-min-1');
    const facts = page.getByTestId('cluster-facts');
    await expect.poll(() => facts.textContent()).toContain('Запісаў: 3');
    const factsText = (await facts.textContent()) ?? '';
    for (const expected of [
      'Жаўранка Ігар Мікалаевіч',
      'Ihar Zhauranka',
      'Ihar Mikalaevich Zhauranka',
      'MP1234567',
      'Намеснік міністра',
      'e2e-ministry',
      'e2e-roster',
    ])
      expect(factsText).toContain(expected);
    const passportRow = facts.locator('tr', { hasText: 'MP1234567' });
    expect(await passportRow.textContent()).toContain('e2e-roster');
    await facts.scrollIntoViewIfNeeded();
    await screenshot(page, 'xref-entity-merged-be');

    // The cluster page: the roster's second Ihar is split out with a reason.
    await page.getByTestId('cluster-link').click();
    await expect.poll(() => page.getByTestId('cluster-member').count()).toBe(3);
    const clusterId = new URL(page.url()).pathname.split('/').pop()!;
    expect(clusterId).toMatch(/^sv-/);
    await page
      .getByTestId('cluster-member')
      .filter({ hasText: 'e2e-ros-5' })
      .getByRole('button', { name: 'Вылучыць' })
      .click();
    await page.getByTestId('split-reason').fill('Іншы бацька паводле архіўнай даведкі (сінтэтычны прыклад).');
    await screenshot(page, 'xref-cluster-split-be');
    await page.getByTestId('split-confirm').click();
    await expect.poll(() => new URL(page.url()).pathname).not.toBe(`/xref/clusters/${clusterId}`);
    await expect.poll(() => page.getByTestId('cluster-member').count()).toBe(2);
    const members = (await page.getByTestId('cluster-members').textContent()) ?? '';
    expect(members).toContain('e2e-min-1');
    expect(members).toContain('e2e-ros-1');
    expect(members).not.toContain('e2e-ros-5');
    await closeNotifications(page);
    // The history says which decision split the cluster, by whom and why.
    const history = (await page.getByTestId('cluster-lineage').textContent()) ?? '';
    expect(history).toContain(clusterId);
    expect(history).toContain('Розныя асобы: ');
    expect(history).toContain('Ihar Mikalaevich Zhauranka');
    expect(history).toContain('analyst1 · Іншы бацька паводле архіўнай даведкі');
    await screenshot(page, 'xref-cluster-be');

    // The old cluster id names where its members are now; the split record stands alone.
    await page.goto(`/xref/clusters/${clusterId}`);
    await expect.poll(() => page.getByTestId('cluster-retired').count()).toBe(1);
    await page.goto('/registry/entities/e2e-ros-5');
    await expect.poll(() => page.locator('h1').textContent()).toContain('Ihar Mikalaevich Zhauranka');
    expect(await page.getByTestId('cluster-facts').count()).toBe(0);
    await page.goto('/registry/entities/e2e-min-1');
    await expect.poll(() => facts.textContent()).toContain('Запісаў: 2');
    expect(await facts.textContent()).not.toContain('Ihar Mikalaevich Zhauranka');

    watchdog.assertClean();
    await context.close();
  });
});
