/**
 * Screening in a real browser against the real server: an administrator loads a few invented persons
 * through the API, screens a Latin, Russian-based spelling of a Belarusian name with a birth date, reads
 * the ranked result with the matched words marked and the explanation, and screens a CSV file in bulk.
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
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

// Invented persons (no real people): two namesakes, a relative, and a person with a patronymic-like surname.
const persons = [
  {
    id: 'e2e-scr-1',
    schema: 'Person',
    properties: {
      name: ['Навумаў Сяргей Іванавіч', 'Наумов Сергей Иванович', 'Siarhei NAVUMAU'],
      birthDate: ['1968-03-14'],
      gender: ['male'],
      nationality: ['by'],
    },
  },
  {
    id: 'e2e-scr-2',
    schema: 'Person',
    properties: { name: ['Навумаў Сяргей Пятровіч'], birthDate: ['1990-07-01'], gender: ['male'] },
  },
  {
    id: 'e2e-scr-3',
    schema: 'Person',
    properties: { name: ['Навумава Вольга Сяргееўна'], birthDate: ['1994'], gender: ['female'] },
  },
  {
    id: 'e2e-scr-4',
    schema: 'Person',
    properties: { name: ['Бабрыковіч Алег Віктаравіч'], birthDate: ['1975-11'] },
  },
];

describe('screening', () => {
  it('screens a name, explains the match, and screens a CSV file', async () => {
    const { page, watchdog } = await openContext(browser, server.baseUrl);
    const password = 'screening e2e passphrase 7';
    await firstLogin(page, 'admin', server.adminPassword, password);

    const body = persons.map((p) => JSON.stringify(p)).join('\n');
    const summary = await importDataset(
      page,
      { name: 'e2e-screening', title: 'Праверка (тэст)', licence: 'CC0' },
      body,
    );
    expect(summary.imported).toBe(persons.length);

    // Screen a Russian-based Latin spelling with the birth date in the Belarusian document format.
    const nav = page.getByRole('navigation', { name: 'Асноўная навігацыя' });
    await nav.getByRole('link', { name: 'Праверка імёнаў', exact: true }).click();
    await page.getByTestId('screening-name').fill('Sergei Ivanovich NAUMOV');
    await page.getByTestId('screening-birth-date').fill('14.03.1968');
    await page.getByTestId('screening-submit').click();
    const first = page.getByTestId('screening-result').first();
    await first.waitFor();
    expect(await first.textContent()).toContain('Навумаў Сяргей Іванавіч');
    expect(await first.textContent()).toContain('Супадзенне');
    const explanation = first.getByTestId('screening-explanation');
    expect(await explanation.textContent()).toContain('NAUMOV');
    expect(await explanation.textContent()).toContain('Прозвішча');
    expect(await first.locator('mark').count()).toBeGreaterThan(0);
    // The namesake born in 1990 is not a match.
    const second = page.getByTestId('screening-result').nth(1);
    expect(await second.textContent()).toContain('Магчыма');
    await screenshot(page, 'screening-result-be');

    // A bad date is refused with its code.
    await page.getByTestId('screening-birth-date').fill('31.02.1980');
    await page.getByTestId('screening-submit').click();
    await expect
      .poll(() => page.getByTestId('screening-query-error').textContent())
      .toContain('SVD_SCREENING_DATE_INVALID');

    // Bulk: a CSV upload gives back a results file to download.
    await nav.getByRole('link', { name: 'Масавая праверка' }).click();
    await page.locator('input[type="file"]').setInputFiles({
      name: 'list.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'id,name,birth_date,gender,nationality,ref\n1,"NAVUMAU, Siarhei",1968,male,by,A-1\n2,Oleg Bobrykovich,,,,A-2\n3,,,,,A-3\n',
      ),
    });
    await page.getByTestId('bulk-submit').click();
    await page.getByTestId('bulk-done').waitFor();
    // The page's CSP keeps fetch to 'self', so the file is read from the browser's download.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('bulk-download').click(),
    ]);
    expect(download.suggestedFilename()).toBe('list-screening.csv');
    const results = readFileSync((await download.path())!, 'utf8');
    const rows = results.trim().split('\n');
    expect(rows[0]).toContain('query_id,ref,rank,result_id');
    expect(rows.some((r) => r.startsWith('1,A-1,1,e2e-scr-1,'))).toBe(true);
    expect(rows.some((r) => r.startsWith('2,A-2,1,e2e-scr-4,'))).toBe(true);
    expect(rows.some((r) => r.startsWith('3,A-3,') && r.includes('SVD_SCREENING_NAME_EMPTY'))).toBe(true);
    await screenshot(page, 'screening-bulk-be');

    watchdog.assertClean();
  });
});
