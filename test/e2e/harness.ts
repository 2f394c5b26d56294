/**
 * The browser-test harness: starts the real server on a free port with a fresh data directory, opens
 * Chromium, and records every request the page makes. A request to any origin other than the server's,
 * a CSP violation or an uncaught page error fails the test: the app must work with nothing from outside.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as OTPAuth from 'otpauth';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Screenshots for the documentation; `SVIEDKA_SCREENSHOTS=DIR` puts them elsewhere. */
export const screenshotDir = process.env.SVIEDKA_SCREENSHOTS
  ? resolve(process.env.SVIEDKA_SCREENSHOTS)
  : join(repoRoot, 'docs/screenshots');

const listeningLine = /Listening on (http:\/\/127\.0\.0\.1:\d+)/;
const adminPasswordLine = /One-time admin password for 'admin': (\S+)/;

export interface RunningServer {
  baseUrl: string;
  adminPassword: string;
  dataDir: string;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts `node bin/sviedka.js --data <tmp> serve --port 0 --no-demo` with the embedded database and waits
 * for the lines announcing the address and the admin's one-time password. `SVIEDKA_E2E_BIN` may point at
 * another entry script (for example a build under test elsewhere).
 */
export async function startServer(timeoutMs = 90_000): Promise<RunningServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sviedka-e2e-'));
  const entry = process.env.SVIEDKA_E2E_BIN ?? join(repoRoot, 'bin/sviedka.js');
  if (!existsSync(join(repoRoot, 'web/dist/index.html'))) {
    throw new Error('web/dist is missing: run `npm run build` before the browser tests');
  }
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, [entry, '--data', dataDir, 'serve', '--port', '0', '--no-demo'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let baseUrl: string | undefined;
  let adminPassword: string | undefined;

  const ready = new Promise<void>((resolvePromise, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start in ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      baseUrl ??= listeningLine.exec(output)?.[1];
      adminPassword ??= adminPasswordLine.exec(output)?.[1];
      if (baseUrl && adminPassword) {
        clearTimeout(timer);
        resolvePromise();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited early (code ${code}, signal ${signal}):\n${output}`));
    });
  });
  try {
    await ready;
  } catch (error) {
    await stopChild(child);
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    baseUrl: baseUrl!,
    adminPassword: adminPassword!,
    dataDir,
    output: () => output,
    stop: async () => {
      await stopChild(child);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Chromium from the system (scripts/setup-system.sh), with everything that phones home switched off. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

export interface Watchdog {
  /** Every URL requested, in order. */
  requests: string[];
  /** Requests to any origin but the server's (data: and blob: URLs are local and allowed). */
  foreign: string[];
  /** CSP violations and uncaught errors reported by the page. */
  problems: string[];
  /** Throws when anything above went wrong. */
  assertClean: () => void;
}

/**
 * A browser context at 1280×800 that records every request. Requests elsewhere are recorded and aborted,
 * so a leak fails the test instead of reaching the network.
 */
export async function openContext(
  browser: Browser,
  baseUrl: string,
  options: { colorScheme?: 'light' | 'dark' } = {},
): Promise<{ context: BrowserContext; page: Page; watchdog: Watchdog }> {
  const origin = new URL(baseUrl).origin;
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const watchdog: Watchdog = {
    requests: [],
    foreign: [],
    problems: [],
    assertClean: () => {
      if (watchdog.foreign.length > 0)
        throw new Error(`requests to other origins:\n${watchdog.foreign.join('\n')}`);
      if (watchdog.problems.length > 0) throw new Error(`page problems:\n${watchdog.problems.join('\n')}`);
    },
  };
  const isLocal = (url: string) =>
    url.startsWith('data:') || url.startsWith('blob:') || new URL(url).origin === origin;
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (isLocal(url)) await route.continue();
    else await route.abort('blockedbyclient');
  });
  context.on('request', (request) => {
    const url = request.url();
    watchdog.requests.push(`${request.method()} ${url}`);
    if (!isLocal(url)) watchdog.foreign.push(url);
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    const text = message.text();
    if (/Content[- ]Security[- ]Policy/i.test(text)) watchdog.problems.push(`CSP: ${text}`);
  });
  page.on('pageerror', (error) => watchdog.problems.push(`page error: ${error.message}`));
  // The console message names no culprit; the DOM event says which element and code caused a violation.
  await page.exposeFunction('__reportCspViolation', (text: string) =>
    watchdog.problems.push(`CSP detail: ${text}`),
  );
  // A string, not a function: this file is type-checked without the DOM library.
  await page.addInitScript(`
    document.addEventListener('securitypolicyviolation', (event) => {
      const target = event.target;
      const where = target && target.outerHTML ? String(target.outerHTML).slice(0, 200) : String(target);
      window.__reportCspViolation(
        event.violatedDirective + ' at ' + event.sourceFile + ':' + event.lineNumber + ':' + event.columnNumber +
        ' sample=' + event.sample + ' on ' + where,
      );
    });
  `);
  return { context, page, watchdog };
}

/** Saves a 1280×800 PNG under `screenshotDir`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  // No hover tooltips in the picture; let transitions (modals, notifications) settle.
  await page.mouse.move(1, 799);
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: false });
}

/**
 * A TOTP code from a time step not used before in this test (the server refuses a replayed step), with
 * at least 3 s left in its step.
 */
export async function freshCode(secret: string, used: Set<number>): Promise<string> {
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 });
  for (;;) {
    const step = Math.floor(Date.now() / 30_000);
    const msLeft = 30_000 - (Date.now() % 30_000);
    if (!used.has(step) && msLeft > 3_000) {
      used.add(step);
      return totp.generate();
    }
    await new Promise((done) => setTimeout(done, msLeft + 250));
  }
}

/**
 * A first login on a fresh account: one-time password, own password, 2FA enrolment and recovery codes,
 * ending on the home page in Belarusian (the default language). Returns the TOTP secret.
 */
export async function firstLogin(
  page: Page,
  username: string,
  oneTimePassword: string,
  password = `e2e passphrase 42 ${username}`,
): Promise<string> {
  await page.goto('/');
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(oneTimePassword);
  await page.getByTestId('login-submit').click();
  await page.locator('input[name="currentPassword"]').fill(oneTimePassword);
  await page.locator('input[name="newPassword"]').fill(password);
  await page.locator('input[name="confirmPassword"]').fill(password);
  await page.getByTestId('password-submit').click();
  const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').trim();
  await page.locator('input[name="code"]').fill(await freshCode(secret, new Set()));
  await page.getByTestId('totp-enrol-submit').click();
  await page.getByLabel('Коды аднаўлення захаваныя ў надзейным месцы').check();
  await page.getByTestId('recovery-continue').click();
  await expect.poll(() => page.locator('h1').textContent()).toContain('Вітаем');
  return secret;
}

/** Waits for the confirmation toasts to close on their own, so they do not cover a screenshot. */
export async function closeNotifications(page: Page): Promise<void> {
  await expect.poll(() => page.locator('.mantine-Notification-root').count(), { timeout: 15_000 }).toBe(0);
}

/**
 * Calls the API from inside the page, with its session cookie and CSRF token, as the web app does.
 * `body` goes as JSON unless it is a string (sent as it is, with `contentType`).
 */
export async function callApi<T = unknown>(
  page: Page,
  method: string,
  url: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<{ status: number; json: T }> {
  return page.evaluate(
    async ({ method, url, payload, contentType }) => {
      const me = (await (await fetch('/api/auth/me')).json()) as { csrfToken: string };
      const response = await fetch(url, {
        method,
        headers: {
          'x-csrf-token': me.csrfToken,
          ...(payload === undefined ? {} : { 'content-type': contentType }),
        },
        ...(payload === undefined ? {} : { body: payload }),
      });
      const text = await response.text();
      return { status: response.status, json: (text ? JSON.parse(text) : null) as T };
    },
    {
      method,
      url,
      payload: typeof body === 'string' || body === undefined ? body : JSON.stringify(body),
      contentType,
    },
  );
}

/** Creates a dataset and imports FtM lines into it through the API; returns the import summary. */
export async function importDataset(
  page: Page,
  dataset: { name: string; title: string; source?: string; licence?: string },
  lines: string,
): Promise<{ imported: number; rejected: number }> {
  const created = await callApi<{ dataset: { id: string } }>(page, 'POST', '/api/datasets', dataset);
  expect(created.status).toBe(200);
  const imported = await callApi<{ summary: { imported: number; rejected: number } }>(
    page,
    'POST',
    `/api/datasets/${created.json.dataset.id}/import`,
    lines,
    'application/x-ndjson',
  );
  expect(imported.status).toBe(200);
  return imported.json.summary;
}

/** Uploads a small text file to the vault as the page's user; returns the item id and SHA-256. */
export async function uploadEvidence(page: Page, fileName: string, text: string) {
  return page.evaluate(
    async ({ fileName, text }) => {
      const me = (await (await fetch('/api/auth/me')).json()) as { csrfToken: string };
      const form = new FormData();
      form.append('source', 'synthetic e2e statement');
      form.append('files', new Blob([text], { type: 'text/plain' }), fileName);
      const response = await fetch('/api/evidence/upload', {
        method: 'POST',
        headers: { 'x-csrf-token': me.csrfToken },
        body: form,
      });
      return ((await response.json()) as { items: Array<{ itemId: string; sha256: string }> }).items[0]!;
    },
    { fileName, text },
  );
}

/** Creates a staff account as the page's administrator; returns its one-time password. */
export async function createUser(page: Page, username: string, role: string): Promise<string> {
  const created = await callApi<{ oneTimePassword: string }>(page, 'POST', '/api/users', {
    username,
    displayName: `E2E ${role}`,
    role,
  });
  expect(created.status, JSON.stringify(created.json)).toBe(200);
  return created.json.oneTimePassword;
}
