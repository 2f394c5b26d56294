/**
 * Mapping a seized roster in a real browser: an administrator uploads a Windows-1251 CSV into the vault
 * from the mapping page, sees a bad mapping key reported by line as they type, previews the entities with
 * the rejected row highlighted, imports as a background job, and reads the entity's provenance.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeSingleByte, personnelCsv, personnelMapping } from '../support/datasets-fixtures.js';
import {
  callApi,
  firstLogin,
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

describe('mapped imports', () => {
  it('uploads, validates, previews, imports and records provenance', async () => {
    const { page, watchdog } = await openContext(browser, server.baseUrl);
    await firstLogin(page, 'admin', server.adminPassword, 'datasets e2e passphrase 42');
    const created = await callApi<{ dataset: { id: string } }>(page, 'POST', '/api/datasets', {
      name: 'e2e-roster',
      title: 'Спіс асабовага складу (тэст)',
      restricted: true,
    });
    expect(created.status).toBe(200);
    const dir = mkdtempSync(join(tmpdir(), 'sviedka-e2e-datasets-'));
    const csv = join(dir, 'personnel_2020.csv');
    writeFileSync(csv, encodeSingleByte(personnelCsv(['5;Ragged;row']), 'windows-1251'));

    await page.goto(`${server.baseUrl}/registry/datasets/${created.json.dataset.id}/mapping`);
    await page.locator('input[type=file]').first().setInputFiles(csv);
    await expect.poll(() => page.getByTestId('mapping-source').textContent()).toContain('personnel_2020.csv');

    const editor = page.getByTestId('mapping-editor');
    await editor.fill(
      personnelMapping('csv_url: personnel_2020.csv').replace('keys: [unit_code]', 'kyes: [unit_code]'),
    );
    await expect.poll(() => page.getByTestId('mapping-problems').textContent()).toContain('kyes');
    await editor.fill(personnelMapping('csv_url: personnel_2020.csv'));
    await expect.poll(() => page.getByTestId('mapping-problems').count()).toBe(0);

    await page.getByRole('button', { name: 'Прагляд' }).click();
    const preview = page.getByTestId('mapping-preview');
    await expect.poll(() => preview.textContent()).toContain('Ковалёв Андрей Петрович');
    expect(await preview.textContent()).toContain('3 fields where the header has 11');
    await screenshot(page, 'datasets-mapping-preview-be');

    await page.getByRole('button', { name: 'Імпартаваць' }).click();
    await expect
      .poll(() => page.getByTestId('mapping-run').textContent(), { timeout: 60_000 })
      .toContain('Гатова');
    expect(await page.getByTestId('mapping-run').textContent()).toContain('запісана: 13');

    const persons = await callApi<{ items: Array<{ id: string }> }>(
      page,
      'GET',
      '/api/entities?dataset=e2e-roster&schema=Person&q=Шчэрбач',
    );
    const provenance = await callApi<{ provenance: { source: string } | null }>(
      page,
      'GET',
      `/api/entities/${encodeURIComponent(persons.json.items[0]!.id)}/provenance`,
    );
    expect(provenance.json, JSON.stringify(provenance)).toMatchObject({
      provenance: { source: 'personnel_2020.csv' },
    });
    await screenshot(page, 'datasets-mapping-imported-be');

    // The entity page says where the person came from.
    await page.goto(`${server.baseUrl}/registry/entities/${encodeURIComponent(persons.json.items[0]!.id)}`);
    await expect
      .poll(() => page.getByTestId('entity-provenance').textContent(), { timeout: 30_000 })
      .toContain('personnel_2020.csv');
    watchdog.assertClean();
  });
});
