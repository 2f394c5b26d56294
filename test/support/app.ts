/**
 * Test helpers for services and HTTP routes: a runtime on a suite's database, the Fastify app
 * (requests through `app.inject`), and logged-in clients for each role with TOTP already enrolled.
 */
import { afterAll, beforeAll } from 'vitest';
import { currentTotp } from '../../src/platform/auth/secrets.js';
import { loadConfig } from '../../src/platform/config.js';
import type { App } from '../../src/platform/http/app.js';
import { openRuntime, type Runtime } from '../../src/runtime.js';
import { createApp } from '../../src/server.js';
import type { DatabaseContext } from './databases.js';

export interface TestApp {
  runtime: Runtime;
  app: App;
}

/** Opens a runtime and app on the suite's database; use inside `describeEachDatabase`. */
export function useTestApp(ctx: DatabaseContext, overrides: Record<string, unknown> = {}): TestApp {
  const holder = {} as TestApp;
  beforeAll(async () => {
    const config = loadConfig({
      env: {},
      flags: { dataDir: ctx.dataDir, logLevel: 'silent', demo: false, workers: false, ...overrides },
    });
    holder.runtime = await openRuntime(config, { database: ctx.database });
    holder.app = await createApp(holder.runtime, { logger: false, webDist: '/nonexistent' });
    await holder.app.ready();
  });
  afterAll(async () => {
    await holder.app?.close();
    await holder.runtime?.close();
  });
  return holder;
}

export interface Client {
  cookie: string;
  /** The trusted-device cookie this browser received at its last completed sign-in, if any. */
  device?: string;
  /** The TOTP secret a logged-in client enrolled with. */
  totpSecret?: string;
  csrf: string;
  userId: string;
  request(
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; json: any; text: string; headers: Record<string, unknown> }>;
}

function randomLoopback(): string {
  const byte = () => 1 + Math.floor(Math.random() * 254);
  return `127.${byte()}.${byte()}.${byte()}`;
}

function cookieFrom(setCookie: unknown, name: string): string | undefined {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [String(setCookie)] : [];
  for (const entry of list) {
    const match = new RegExp(`^${name}=([^;]*)`).exec(entry);
    if (match) return match[1];
  }
  return undefined;
}

/**
 * An anonymous client holding a pre-session CSRF cookie. Each client has an address of its own (in the
 * loopback range; `inject` sends nothing), so the per-client sign-in budget of one test does not spend
 * another's; pass `address` to make several clients one.
 */
export async function anonymousClient(app: App, address = randomLoopback()): Promise<Client> {
  const me = await app.inject({ method: 'GET', url: '/api/auth/me', remoteAddress: address });
  const pre = cookieFrom(me.headers['set-cookie'], 'svd_csrf')!;
  const client: Client = {
    cookie: `svd_csrf=${pre}`,
    csrf: me.json().csrfToken,
    userId: '',
    async request(method, url, body, headers = {}) {
      const response = await app.inject({
        method: method as 'GET',
        url,
        remoteAddress: address,
        headers: {
          cookie: client.device ? `${client.cookie}; svd_device=${client.device}` : client.cookie,
          'x-csrf-token': client.csrf,
          ...headers,
        },
        ...(body !== undefined ? { payload: body as object } : {}),
      });
      const session = cookieFrom(response.headers['set-cookie'], 'svd_session');
      if (session !== undefined) client.cookie = session ? `svd_session=${session}` : '';
      const device = cookieFrom(response.headers['set-cookie'], 'svd_device');
      if (device) client.device = device;
      let json: any = null;
      try {
        json = response.body ? response.json() : null;
      } catch {}
      if (json && typeof json.csrfToken === 'string') client.csrf = json.csrfToken;
      return {
        status: response.statusCode,
        json,
        text: response.body,
        headers: response.headers as Record<string, unknown>,
      };
    },
  };
  return client;
}

/** Creates a user of `role` through the service, completes password change and TOTP, returns a client. */
export async function loggedInClient(
  t: TestApp,
  role: 'admin' | 'analyst' | 'reviewer',
  username = `${role}-${Math.random().toString(36).slice(2, 8)}`,
): Promise<Client> {
  const { user, oneTimePassword } = await t.runtime.auth.createUser(
    { type: 'system', label: 'test' },
    { username, displayName: username, role },
  );
  const client = await anonymousClient(t.app);
  client.userId = user.id;
  let response = await client.request('POST', '/api/auth/login', { username, password: oneTimePassword });
  if (response.status !== 200) throw new Error(`login failed: ${JSON.stringify(response.json)}`);
  const password = 'correct horse battery staple';
  response = await client.request('POST', '/api/auth/password', {
    currentPassword: oneTimePassword,
    newPassword: password,
  });
  const enrol = await client.request('POST', '/api/auth/totp/enrol/start', {});
  response = await client.request('POST', '/api/auth/totp/enrol/confirm', {
    code: currentTotp(enrol.json.secret),
  });
  if (response.json?.stage !== 'ok') throw new Error(`enrolment failed: ${JSON.stringify(response.json)}`);
  client.totpSecret = enrol.json.secret;
  return client;
}

/** An API-key client for partner calls. */
export async function apiKeyClient(
  t: TestApp,
  scopes: Array<'screening' | 'registry:read' | 'verification' | 'evidence:submit'>,
  purpose?: string,
) {
  const { secret, apiKey } = await t.runtime.auth.createApiKey(
    { type: 'system', label: 'test' },
    { name: 'test key', organization: 'Test Partner', scopes },
  );
  return {
    apiKey,
    secret,
    async request(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
      const response = await t.app.inject({
        method: method as 'GET',
        url,
        headers: {
          authorization: `Bearer ${secret}`,
          ...(purpose ? { 'x-purpose': purpose } : {}),
          ...headers,
        },
        ...(body !== undefined ? { payload: body as object } : {}),
      });
      let json: any = null;
      try {
        json = response.body ? response.json() : null;
      } catch {}
      return { status: response.statusCode, json };
    },
  };
}
