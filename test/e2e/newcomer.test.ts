/**
 * A newcomer administrator's first session, end to end in a real browser against the real server:
 * first login with the one-time password, password change, 2FA enrolment, recovery codes, creating an
 * analyst, reading the audit log, switching language and theme, logging out and back in with a TOTP code.
 */
import * as OTPAuth from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchBrowser,
  openContext,
  type RunningServer,
  screenshot,
  startServer,
  type Watchdog,
} from './harness.js';

let server: RunningServer;
let browser: Browser;
let session: { page: Page; watchdog: Watchdog } | undefined;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

function totpFor(secret: string) {
  return new OTPAuth.TOTP({
    secret: OTPAuth.Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
  });
}

/** A code from a time step not used before, so a server that refuses replayed codes accepts it. */
async function freshCode(secret: string, usedSteps: Set<number>): Promise<string> {
  for (;;) {
    const step = Math.floor(Date.now() / 30_000);
    // Too close to the end of a step the code may expire in flight: wait for the next one.
    const msLeft = 30_000 - (Date.now() % 30_000);
    if (!usedSteps.has(step) && msLeft > 3_000) {
      usedSteps.add(step);
      return totpFor(secret).generate();
    }
    await new Promise((done) => setTimeout(done, msLeft + 250));
  }
}

/** The left navigation (its label is in Belarusian, the default language). */
function nav(page: Page) {
  return page.getByRole('navigation', { name: 'Асноўная навігацыя' });
}

async function login(page: Page, username: string, password: string) {
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.getByTestId('login-submit').click();
}

describe('a newcomer administrator', () => {
  it('gets from the one-time password to a working, audited account', async () => {
    const { page, watchdog } = await openContext(browser, server.baseUrl);
    const newPassword = 'correct horse battery staple 42';
    const usedSteps = new Set<number>();

    // The login page is in Belarusian by default.
    await page.goto('/');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Уваход');
    expect(await page.locator('html').getAttribute('lang')).toBe('be');
    await screenshot(page, 'login-be');

    // Keyboard first: the first Tab reaches the skip link, which is then visible on screen.
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Перайсці да зместу' });
    expect(await skip.evaluate((link) => link === link.ownerDocument.activeElement)).toBe(true);
    expect((await skip.boundingBox())?.y ?? -1).toBeGreaterThanOrEqual(0);

    // A wrong password: the error in Belarusian, with its code; what was typed stays.
    await login(page, 'admin', 'not the password');
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('Няправільнае імя карыстальніка або пароль');
    expect(await alert.textContent()).toContain('SVD_AUTH_BAD_CREDENTIALS');
    expect(await page.locator('input[name="username"]').inputValue()).toBe('admin');

    // First login with the one-time password leads to the password change.
    await login(page, 'admin', server.adminPassword);
    await page.locator('input[name="currentPassword"]').waitFor();
    await page.locator('input[name="currentPassword"]').fill(server.adminPassword);
    await page.locator('input[name="newPassword"]').fill(newPassword);
    await page.locator('input[name="confirmPassword"]').fill(newPassword);
    await page.getByTestId('password-submit').click();

    // 2FA enrolment: the QR code is drawn locally, the secret is readable for manual entry.
    const secretLocator = page.getByTestId('totp-secret');
    await secretLocator.waitFor();
    const secret = (await secretLocator.textContent())?.trim() ?? '';
    expect(secret).toMatch(/^[A-Z2-7]+=*$/);
    await page.getByTestId('totp-qr').waitFor();
    expect(
      await page
        .getByTestId('totp-qr')
        .evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth),
    ).toBeGreaterThan(0);
    await screenshot(page, '2fa-enrolment-be');
    await page.locator('input[name="code"]').fill(await freshCode(secret, usedSteps));
    await page.getByTestId('totp-enrol-submit').click();

    // Recovery codes are shown once; continuing needs the explicit confirmation.
    const codes = page.getByTestId('recovery-codes').locator('li');
    await codes.first().waitFor();
    expect(await codes.count()).toBeGreaterThanOrEqual(5);
    expect(await page.getByTestId('recovery-continue').isDisabled()).toBe(true);
    await page.getByLabel('Коды аднаўлення захаваныя ў надзейным месцы').check();
    await page.getByTestId('recovery-continue').click();

    // In the app: home, then Users.
    await expect.poll(() => page.locator('h1').textContent()).toContain('Вітаем');
    await nav(page).getByRole('link', { name: 'Карыстальнікі' }).click();
    await page.getByTestId('users-table').waitFor();
    await page.getByRole('button', { name: 'Новы карыстальнік' }).click();
    await page.locator('input[name="username"]').fill('alesia.test');
    await page.locator('input[name="displayName"]').fill('Алеся Тэставая');
    await page.getByTestId('create-user-submit').click();
    const oneTimePassword = page.getByTestId('one-time-password');
    await oneTimePassword.waitFor();
    expect((await oneTimePassword.textContent())?.trim().length).toBeGreaterThanOrEqual(12);
    await page.getByTestId('dialog-done').click();
    const analystRow = page.getByTestId('users-table').locator('tr', { hasText: 'alesia.test' });
    await analystRow.waitFor();
    expect(await analystRow.textContent()).toContain('Аналітык');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await screenshot(page, 'users-light-be');

    // The audit log shows both the login and the user creation, and the chain verifies.
    await nav(page).getByRole('link', { name: 'Журнал аўдыту' }).click();
    const auditTable = page.getByTestId('audit-table');
    await auditTable.locator('tr', { hasText: 'user.create' }).first().waitFor();
    await auditTable.locator('tr', { hasText: 'auth.login' }).first().waitFor();
    await expect.poll(() => page.getByTestId('chain-status').textContent()).toContain('Ланцужок цэлы');

    // Filters live in the URL: filtering by action narrows the table and survives a reload.
    await page.locator('input[name="action"]').fill('user.create');
    await page.getByRole('button', { name: 'Ужыць' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('action')).toBe('user.create');
    await page.reload();
    await auditTable.locator('tr', { hasText: 'user.create' }).first().waitFor();
    expect(await auditTable.locator('tr', { hasText: 'auth.login' }).count()).toBe(0);
    await page.goBack();
    await auditTable.locator('tr', { hasText: 'auth.login' }).first().waitFor();

    // Dark theme.
    await page.getByTestId('color-scheme-toggle').click();
    await expect.poll(() => page.locator('html').getAttribute('data-mantine-color-scheme')).toBe('dark');
    await screenshot(page, 'audit-log-dark-be');
    await page.getByTestId('color-scheme-toggle').click();

    // Language: to English and back to Belarusian; the choice is saved to the account.
    await page.getByTestId('language-switch').getByText('Eng').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Audit log');
    await page.getByTestId('language-switch').getByText('Бел').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Журнал аўдыту');
    expect(await nav(page).getByRole('link', { name: 'Карыстальнікі' }).isVisible()).toBe(true);
    expect(
      watchdog.requests.filter((request) => request === `POST ${server.baseUrl}/api/auth/locale`).length,
    ).toBe(2);

    // Log out, then in again: the password, then a TOTP code.
    await page.getByRole('button', { name: /Меню ўліковага запісу/ }).click();
    await page.getByTestId('logout').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Уваход');
    await login(page, 'admin', newPassword);
    await page.getByTestId('totp-submit').waitFor();
    await page.locator('input[name="code"]').fill(await freshCode(secret, usedSteps));
    await page.getByTestId('totp-submit').click();
    await expect.poll(() => page.url()).toContain('/admin/audit');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Журнал аўдыту');

    watchdog.assertClean();
    expect(watchdog.requests.length).toBeGreaterThan(0);
    session = { page, watchdog };
  });

  it('issues and revokes an API key, resets and disables an account, checks the jobs', async () => {
    if (!session) throw new Error('needs the logged-in session of the previous test');
    const { page, watchdog } = session;

    await nav(page).getByRole('link', { name: 'API-ключы' }).click();
    await page.getByTestId('api-keys-table').waitFor();
    await page.getByRole('button', { name: 'Новы ключ' }).click();
    await page.locator('input[name="name"]').fill('Праверка імёнаў, тэст');
    await page.locator('input[name="organization"]').fill('Партнёрская арганізацыя');
    await page.getByLabel('Праверка імёнаў').check();
    await page.getByRole('button', { name: 'Стварыць ключ' }).click();
    const secret = page.getByTestId('api-key-secret');
    await secret.waitFor();
    const secretText = (await secret.textContent())?.trim() ?? '';
    expect(secretText.length).toBeGreaterThanOrEqual(20);
    await page.getByRole('button', { name: 'Гатова' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const row = page.getByTestId('api-keys-table').locator('tr', { hasText: 'Праверка імёнаў, тэст' });
    await expect.poll(() => row.textContent()).toContain('Дзейны');
    // The secret is never shown again: not in the table.
    expect(await page.getByTestId('api-keys-table').textContent()).not.toContain(secretText);
    await screenshot(page, 'api-keys-light-be');

    await row.getByRole('button', { name: /Адклікаць ключ/ }).click();
    await page.getByTestId('confirm').click();
    await expect.poll(() => row.textContent()).toContain('Адкліканы');

    // Account actions from the users table: a new one-time password, then disabling the account.
    await nav(page).getByRole('link', { name: 'Карыстальнікі' }).click();
    const analyst = page.getByTestId('users-table').locator('tr', { hasText: 'alesia.test' });
    await analyst.getByRole('button', { name: 'Дзеянні для alesia.test' }).click();
    await page.getByRole('menuitem', { name: 'Скінуць пароль' }).click();
    await page.getByTestId('confirm').click();
    await page.getByTestId('one-time-password').waitFor();
    await page.getByRole('button', { name: 'Гатова' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await analyst.getByRole('button', { name: 'Дзеянні для alesia.test' }).click();
    await page.getByRole('menuitem', { name: 'Адключыць' }).click();
    await page.getByTestId('confirm').click();
    await expect.poll(() => analyst.textContent()).toContain('Адключаны');

    await nav(page).getByRole('link', { name: 'Фонавыя задачы' }).click();
    await page.getByTestId('jobs-table').waitFor();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Фонавыя задачы');

    // The home page in Russian: every label follows the language, the role is explained.
    await page.getByTestId('language-switch').getByText('Рус').click();
    await page
      .getByRole('navigation', { name: 'Основная навигация' })
      .getByRole('link', { name: 'Главная' })
      .click();
    await expect.poll(() => page.locator('h1').textContent()).toContain('Добро пожаловать');
    expect(await page.locator('main').textContent()).toContain('Администратор');
    await screenshot(page, 'home-ru');

    // The skip link moves keyboard focus past the navigation to the page itself.
    await page.reload();
    await page.locator('h1').waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect(
      await page.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement
            .id,
      ),
    ).toBe('main');
    await page.getByTestId('language-switch').getByText('Бел').click();
    await expect.poll(() => page.locator('h1').textContent()).toContain('Вітаем');

    watchdog.assertClean();
  });
});
