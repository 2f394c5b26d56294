/**
 * Security keys in a real browser: Chromium's virtual authenticator (DevTools `WebAuthn` domain) stands
 * in for a passkey. An administrator registers it on the account page, requires keys for their role and
 * switches app codes off, signs out, and signs in again with the password and the key. The page is opened
 * at http://localhost (a security key needs a domain: without publicUrl only localhost is a relying party).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callApi,
  closeNotifications,
  createUser,
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

describe('security keys', () => {
  it('registers a passkey, requires it for the role, and signs in with it', async () => {
    const baseUrl = server.baseUrl.replace('127.0.0.1', 'localhost');
    const { context, page, watchdog } = await openContext(browser, baseUrl);
    const devtools = await context.newCDPSession(page);
    await devtools.send('WebAuthn.enable');
    const { authenticatorId } = await devtools.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    const password = 'e2e passphrase for keys 42';
    await firstLogin(page, 'admin', server.adminPassword, password);

    // The account page, reached from the user menu: no key yet; add one (the password is asked again).
    await page.getByRole('button', { name: /Меню ўліковага запісу/ }).click();
    await page.getByTestId('account-link').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Бяспека ўваходу');
    await page.getByTestId('security-key-add').click();
    await page.locator('input[name="keyName"]').fill('Ноўтбук');
    await page.locator('input[name="currentPassword"]').fill(password);
    await page.getByTestId('security-key-register').click();
    await expect.poll(() => page.getByTestId('security-keys-table').textContent()).toContain('Ноўтбук');
    const credentials = await devtools.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials.credentials).toHaveLength(1);
    await closeNotifications(page);
    await screenshot(page, 'account-security-keys-be');

    // The sign-in policy: admins must use a key, app codes switched off.
    await page.goto('/admin/users');
    const policy = page.getByTestId('sign-in-policy');
    await policy
      .getByRole('switch', { name: /Патрабаваць ключ бяспекі: Адміністратар/ })
      .click({ force: true });
    await expect
      .poll(
        async () =>
          (
            await callApi<{ items: Array<{ role: string; requireWebauthn: boolean }> }>(
              page,
              'GET',
              '/api/auth/policy',
            )
          ).json.items.find((item) => item.role === 'admin')?.requireWebauthn,
      )
      .toBe(true);
    await policy
      .getByRole('switch', { name: /Дазволіць коды з праграмы: Адміністратар/ })
      .click({ force: true });
    await expect
      .poll(
        async () =>
          (
            await callApi<{ items: Array<{ role: string; allowTotp: boolean }> }>(
              page,
              'GET',
              '/api/auth/policy',
            )
          ).json.items.find((item) => item.role === 'admin')?.allowTotp,
      )
      .toBe(false);
    await closeNotifications(page);
    await policy.scrollIntoViewIfNeeded();
    await screenshot(page, 'sign-in-policy-be');

    // Sign out, then in: the password, then the key, offered first.
    await page.getByRole('button', { name: /Меню ўліковага запісу/ }).click();
    await page.getByTestId('logout').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Уваход');
    await page.locator('input[name="username"]').fill('admin');
    await page.locator('input[name="password"]').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('security-key-sign-in').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Ключ бяспекі');
    await screenshot(page, 'security-key-sign-in-be');
    await page.getByTestId('security-key-sign-in').click();
    // Signed in, on the page the address asked for.
    await expect.poll(() => page.locator('h1').textContent()).toBe('Карыстальнікі');

    // The key was used (its counter moved), and every step is in the audit log.
    const after = await devtools.send('WebAuthn.getCredentials', { authenticatorId });
    expect(after.credentials[0]!.signCount).toBeGreaterThan(credentials.credentials[0]!.signCount);
    const audit = await callApi<{ items: Array<{ action: string; outcome: string }> }>(
      page,
      'GET',
      '/api/audit?limit=200',
    );
    const actions = audit.json.items.map((row) => `${row.action}:${row.outcome}`);
    expect(actions).toContain('auth.webauthn.register:ok');
    expect(actions).toContain('auth.policy.change:ok');
    expect(actions).toContain('auth.webauthn:ok');
    watchdog.assertClean();

    // A newcomer analyst (keys optional for the role) sets up a passkey instead of the app.
    const oneTimePassword = await createUser(page, 'keys.analyst', 'analyst');
    await context.close();
    const newcomer = await openContext(browser, baseUrl);
    const newcomerDevtools = await newcomer.context.newCDPSession(newcomer.page);
    await newcomerDevtools.send('WebAuthn.enable');
    await newcomerDevtools.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    const analyst = newcomer.page;
    const analystPassword = 'analyst passphrase for keys 7';
    await analyst.goto('/');
    await analyst.locator('input[name="username"]').fill('keys.analyst');
    await analyst.locator('input[name="password"]').fill(oneTimePassword);
    await analyst.getByTestId('login-submit').click();
    await analyst.locator('input[name="currentPassword"]').fill(oneTimePassword);
    await analyst.locator('input[name="newPassword"]').fill(analystPassword);
    await analyst.locator('input[name="confirmPassword"]').fill(analystPassword);
    await analyst.getByTestId('password-submit').click();
    await analyst.getByTestId('enrol-with-key').click();
    await analyst.getByTestId('security-key-register').click();
    // The account had no recovery codes: they come with its first key.
    await analyst.getByTestId('recovery-codes').waitFor();
    expect(await analyst.getByTestId('recovery-codes').locator('li').count()).toBe(10);
    await analyst.getByTestId('recovery-saved').check();
    await analyst.getByTestId('recovery-continue').click();
    await expect.poll(() => analyst.locator('h1').textContent()).toContain('Вітаем');
    newcomer.watchdog.assertClean();
    await newcomer.context.close();
  });
});
