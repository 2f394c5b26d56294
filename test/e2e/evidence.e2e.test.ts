/**
 * The evidence vault in a real browser against the real server: an administrator uploads a JPEG through
 * the page (tus), opens the item, sees its GPS and capture time, classifies it, creates an incident, links
 * the item, exports the incident and finds `manifest-sha256.txt` (with the photo's SHA-256) in the zip.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFixtures, FIXTURE_FACTS, type FixturePaths } from '../../scripts/make-fixtures.js';
import { zipEntries } from '../support/zip.js';
import {
  closeNotifications,
  firstLogin,
  launchBrowser,
  openContext,
  type RunningServer,
  screenshot,
  startServer,
} from './harness.js';

let server: RunningServer;
let browser: Browser;
let fixtures: FixturePaths;
let downloads: string;

beforeAll(async () => {
  fixtures = await ensureFixtures();
  downloads = await mkdtemp(join(tmpdir(), 'sviedka-e2e-downloads-'));
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (downloads) await rm(downloads, { recursive: true, force: true });
});

/** The entries of a zip file (central directory), with a reader for stored or deflated contents. */
describe('the evidence vault', () => {
  it('uploads, classifies, links to an incident and exports', async () => {
    const { page, watchdog } = await openContext(browser, server.baseUrl);
    await firstLogin(page, 'admin', server.adminPassword);
    const nav = page.getByRole('navigation', { name: 'Асноўная навігацыя' });
    const photoHash = createHash('sha256').update(readFileSync(fixtures.jpeg)).digest('hex');

    // Upload through the page: the dropzone's file input, tus underneath.
    await nav.getByRole('link', { name: 'Доказы' }).click();
    await page.getByTestId('evidence-table').waitFor();
    await page.getByRole('link', { name: 'Загрузіць' }).click();
    await page.locator('input[name="source"]').fill('Валанцёр, тэставы канал');
    await page.getByTestId('evidence-dropzone').locator('input[type="file"]').setInputFiles(fixtures.jpeg);
    const itemLink = page.getByTestId('uploaded-item-link');
    await itemLink.waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('upload-table').textContent()).toContain(photoHash.slice(0, 12));
    expect(
      watchdog.requests.some(
        (request) => request.startsWith('PATCH') && request.includes('/api/evidence/tus/'),
      ),
    ).toBe(true);
    await itemLink.click();

    // The item: blurred preview, then metadata with GPS and capture time once processing is done.
    await expect.poll(() => page.locator('h1').textContent()).toBe('photo.jpg');
    await page.getByTestId('tab-metadata').click();
    const gps = page.getByTestId('metadata-summary').getByTestId('gps');
    await gps.waitFor({ timeout: 60_000 });
    expect(await gps.textContent()).toBe(
      `${FIXTURE_FACTS.photo.latitude.toFixed(6)}, ${FIXTURE_FACTS.photo.longitude.toFixed(6)}`,
    );
    expect(await page.getByTestId('capture-time').textContent()).toContain('2024-08-09');
    expect(await page.getByTestId('metadata-record').count()).toBeGreaterThan(0);
    await page.getByTestId('tab-preview').click();
    const preview = page.getByTestId('item-preview');
    await preview.waitFor();
    expect(await preview.getAttribute('data-revealed')).toBe('false');
    expect(await preview.locator('img').getAttribute('class')).toContain('sensitive-blur');
    await page.getByTestId('tab-metadata').click();
    await page.getByTestId('color-scheme-toggle').click();
    await expect.poll(() => page.locator('html').getAttribute('data-mantine-color-scheme')).toBe('dark');
    await screenshot(page, 'evidence-item-dark');
    await page.getByTestId('color-scheme-toggle').click();

    // Classification: a violation and an evidence role, picked by code; saved as a custody event.
    await page.getByTestId('tab-classification').click();
    await page.getByTestId('taxonomy-violation').click();
    await page.getByTestId('taxonomy-violation').fill('BY.V.TORTURE');
    await page.getByRole('option', { name: /BY\.V\.TORTURE/ }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('taxonomy-role').click();
    await page.getByTestId('taxonomy-role').fill('ROLE.CRIMEBASE');
    await page.getByRole('option', { name: /ROLE\.CRIMEBASE/ }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('classify-save').click();
    await expect.poll(() => page.getByTestId('classify-save').isDisabled()).toBe(true);
    await page.getByTestId('tab-custody').click();
    const timeline = page.getByTestId('custody-timeline');
    await expect.poll(() => timeline.textContent()).toContain('Класіфікаваны');
    await page.getByTestId('verify-item').click();
    await expect
      .poll(() => page.getByTestId('verify-result').textContent())
      .toContain('ланцужок захоўвання цэлы');
    const itemUrl = page.url();

    // An incident, then the item linked to it from the incident page.
    await nav.getByRole('link', { name: 'Інцыдэнты' }).click();
    await page.getByTestId('incidents-table').waitFor();
    await page.getByRole('link', { name: 'Новы інцыдэнт' }).click();
    await page.locator('input[name="title"]').fill('Затрыманне на праспекце, 9 жніўня');
    await page.locator('textarea[name="description"]').fill('Збіццё затрыманых пры пасадцы ў аўтазак.');
    await page.locator('input[name="occurredFrom"]').fill('2024-08-09T21:00');
    await page.locator('input[name="place"]').fill('Мінск, праспект Незалежнасці');
    await page.locator('input[name="responsibleUnit"]').fill('Тэставае падраздзяленне');
    await page.getByTestId('incident-submit').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Затрыманне на праспекце, 9 жніўня');
    await page.getByTestId('link-item-select').click();
    await page.getByRole('option', { name: /photo\.jpg/ }).click();
    await page.getByTestId('link-item-submit').click();
    const linked = page.getByTestId('incident-items');
    await expect.poll(() => linked.textContent()).toContain('photo.jpg');
    await closeNotifications(page);
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, 'incidents-page-be');

    // Export the incident: a zip saved by the browser from a local blob, with the manifest inside.
    await page.getByTestId('incident-export').click();
    await page.locator('input[name="purpose"]').fill('Падача ў УВКПЧ ААН (тэст)');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-submit').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^evidence-.+\.zip$/);
    const saved = join(downloads, download.suggestedFilename());
    await download.saveAs(saved);
    const entries = zipEntries(await readFile(saved));
    const manifestName = [...entries.keys()].find((name) => name.endsWith('manifest-sha256.txt'));
    expect(manifestName).toBeDefined();
    expect(
      entries
        .get(manifestName ?? '')?.()
        .toString('utf8'),
    ).toContain(photoHash);
    await page.getByTestId('export-done').waitFor();
    await page.getByRole('button', { name: 'Гатова' }).click();

    // The export is in the item's chain of custody.
    await page.goto(`${itemUrl.split('?')[0]}?tab=custody`);
    await expect.poll(() => page.getByTestId('custody-timeline').textContent()).toContain('Экспартаваны');

    // The list: filters live in the URL; the classified photo is found by its code, not by a video filter.
    await nav.getByRole('link', { name: 'Доказы' }).click();
    const table = page.getByTestId('evidence-table');
    await table.locator('tr', { hasText: 'photo.jpg' }).waitFor();
    await page.goto('/evidence?code=BY.V.TORTURE');
    await table.locator('tr', { hasText: 'photo.jpg' }).waitFor();
    await page.goto('/evidence?kind=video');
    await expect.poll(() => table.textContent()).toContain('Няма доказаў з такімі фільтрамі');
    await page.goBack();
    await table.locator('tr', { hasText: 'photo.jpg' }).waitFor();
    expect(await table.locator('img.sensitive-blur').count()).toBeGreaterThan(0);
    await closeNotifications(page);
    await screenshot(page, 'evidence-list-light');

    watchdog.assertClean();
  });

  it('the citizen page sends files resumably with its script and shows the receipt code', async () => {
    const { page, watchdog } = await openContext(browser, server.baseUrl);
    await page.goto('/submit?lang=en');
    await page.locator('textarea[name="note"]').fill('Test note from the browser');
    await page.locator('input[name="files"]').setInputFiles([fixtures.png, fixtures.jpeg]);
    await page.getByRole('button', { name: 'Send' }).click();
    const receipt = page.locator('#receipt-code');
    await receipt.waitFor({ timeout: 60_000 });
    expect((await receipt.textContent())?.trim()).toMatch(/^[A-Z0-9]{5}(-[A-Z0-9]{5}){3}$/);
    expect(await page.locator('body').textContent()).toContain('Thank you. Files received: 2.');
    expect(await page.locator('#uploads li').allTextContents()).toEqual([
      expect.stringContaining('Received'),
      expect.stringContaining('Received'),
    ]);
    // Sent by the script over tus (no form post), and nothing kept on the device.
    expect(
      watchdog.requests.filter((request) => /^PATCH .*\/submit\/tus\/[0-9a-f]+$/.test(request)),
    ).toHaveLength(2);
    expect(
      watchdog.requests.some((request) => request.startsWith('POST') && request.endsWith('/submit')),
    ).toBe(false);
    expect(await page.evaluate('localStorage.length + sessionStorage.length')).toBe(0);
    expect((await page.context().cookies()).length).toBe(0);
    await screenshot(page, 'evidence-citizen-resumable-en');
    watchdog.assertClean();
  });
});
