import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { anonymousClient, apiKeyClient, loggedInClient, useTestApp } from '../../../test/support/app.js';
import { describeEachDatabase } from '../../../test/support/databases.js';
import { KeyRateLimiter } from '../http/app.js';
import { currentTotp, TOTP_PERIOD } from './secrets.js';

describeEachDatabase('accounts and sessions', (ctx) => {
  const t = useTestApp(ctx, { loginMaxFailures: 3 });

  it('walks a newcomer through one-time password, password change and 2FA enrolment', async () => {
    const { oneTimePassword } = await t.runtime.auth.createUser(
      { type: 'system', label: 'test' },
      { username: 'newcomer', displayName: 'New', role: 'analyst' },
    );
    const client = await anonymousClient(t.app);
    let response = await client.request('POST', '/api/auth/login', {
      username: 'Newcomer ',
      password: oneTimePassword,
    });
    expect(response.status).toBe(200);
    expect(response.json.stage).toBe('password_change');
    // Until the steps are done, the application is closed.
    expect((await client.request('GET', '/api/users')).json.error.code).toBe('SVD_AUTH_STAGE');
    response = await client.request('POST', '/api/auth/password', {
      currentPassword: oneTimePassword,
      newPassword: 'short',
    });
    expect(response.json.error.code).toBe('SVD_AUTH_WEAK_PASSWORD');
    response = await client.request('POST', '/api/auth/password', {
      currentPassword: oneTimePassword,
      newPassword: 'a long enough passphrase',
    });
    expect(response.json.stage).toBe('totp_enrol');
    const enrol = await client.request('POST', '/api/auth/totp/enrol/start', {});
    expect(enrol.json.qrSvg).toContain('<svg');
    expect(enrol.json.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    expect(
      (await client.request('POST', '/api/auth/totp/enrol/confirm', { code: '000000' })).json.error.code,
    ).toBe('SVD_AUTH_TOTP_INVALID');
    response = await client.request('POST', '/api/auth/totp/enrol/confirm', {
      code: currentTotp(enrol.json.secret),
    });
    expect(response.json.stage).toBe('ok');
    expect(response.json.recoveryCodes).toHaveLength(10);
    const me = await client.request('GET', '/api/auth/me');
    expect(me.json.user.username).toBe('newcomer');
    expect(me.json.stage).toBe('ok');

    // The TOTP secret is encrypted at rest, bound to its row.
    const row = await sql<{
      totp_secret: Buffer;
    }>`select totp_secret from users where username = 'newcomer'`.execute(ctx.database.db);
    expect(Buffer.from(row.rows[0]!.totp_secret).toString('latin1')).not.toContain(enrol.json.secret);

    // Next login requires the code; a recovery code works once.
    await client.request('POST', '/api/auth/logout', {});
    const second = await anonymousClient(t.app);
    response = await second.request('POST', '/api/auth/login', {
      username: 'newcomer',
      password: 'a long enough passphrase',
    });
    expect(response.json.stage).toBe('totp');
    expect((await second.request('GET', '/api/auth/me')).json.stage).toBe('totp');
    const recovery = (await client.request('GET', '/api/auth/me')).json; // logged out: anonymous
    expect(recovery.user).toBeNull();
  });

  it('rejects a reused TOTP code and accepts a recovery code once', async () => {
    const { oneTimePassword } = await t.runtime.auth.createUser(
      { type: 'system', label: 'test' },
      { username: 'replay-user', displayName: 'R', role: 'analyst' },
    );
    const client = await anonymousClient(t.app);
    await client.request('POST', '/api/auth/login', { username: 'replay-user', password: oneTimePassword });
    await client.request('POST', '/api/auth/password', {
      currentPassword: oneTimePassword,
      newPassword: 'replay passphrase 123',
    });
    const { json: enrol } = await client.request('POST', '/api/auth/totp/enrol/start', {});
    const enrolCode = currentTotp(enrol.secret);
    const { json: confirmed } = await client.request('POST', '/api/auth/totp/enrol/confirm', {
      code: enrolCode,
    });
    const recoveryCodes: string[] = confirmed.recoveryCodes;
    await client.request('POST', '/api/auth/logout', {});

    const again = await anonymousClient(t.app);
    await again.request('POST', '/api/auth/login', {
      username: 'replay-user',
      password: 'replay passphrase 123',
    });
    // The code used at enrolment cannot be replayed within its period.
    expect((await again.request('POST', '/api/auth/totp', { code: enrolCode })).json.error.code).toBe(
      'SVD_AUTH_TOTP_INVALID',
    );
    const viaRecovery = await again.request('POST', '/api/auth/totp', { code: recoveryCodes[0] });
    expect(viaRecovery.json.stage).toBe('ok');
    await again.request('POST', '/api/auth/logout', {});

    const third = await anonymousClient(t.app);
    await third.request('POST', '/api/auth/login', {
      username: 'replay-user',
      password: 'replay passphrase 123',
    });
    expect((await third.request('POST', '/api/auth/totp', { code: recoveryCodes[0] })).json.error.code).toBe(
      'SVD_AUTH_TOTP_INVALID',
    );
    const next = await third.request('POST', '/api/auth/totp', {
      code: currentTotp(enrol.secret, Date.now() + TOTP_PERIOD * 1000),
    });
    expect(next.json.stage).toBe('ok');
  });

  it('locks an account after repeated failures, without revealing whether the name exists', async () => {
    await t.runtime.auth.createUser(
      { type: 'system', label: 'test' },
      { username: 'locked-user', displayName: 'L', role: 'reviewer' },
    );
    const client = await anonymousClient(t.app);
    for (let i = 0; i < 3; i++) {
      const response = await client.request('POST', '/api/auth/login', {
        username: 'locked-user',
        password: 'wrong password',
      });
      expect(response.json.error.code).toBe('SVD_AUTH_BAD_CREDENTIALS');
    }
    const locked = await client.request('POST', '/api/auth/login', {
      username: 'locked-user',
      password: 'wrong password',
    });
    expect(locked.status).toBe(429);
    expect(locked.json.error.code).toBe('SVD_AUTH_LOCKED');
    for (let i = 0; i < 3; i++)
      await client.request('POST', '/api/auth/login', { username: 'no-such-user', password: 'x' });
    const ghost = await client.request('POST', '/api/auth/login', {
      username: 'no-such-user',
      password: 'x',
    });
    expect(ghost.json.error.code).toBe('SVD_AUTH_LOCKED');
    const failures = await t.runtime.audit.list({ action: 'auth.login', outcome: 'failed', limit: 50 });
    expect(failures.length).toBeGreaterThanOrEqual(6);
    expect(JSON.stringify(failures)).not.toMatch(/127\.0\.0\.1|remoteAddress|user-agent/i);
  });

  it('refuses changes without the CSRF token', async () => {
    const admin = await loggedInClient(t, 'admin');
    const body = { username: 'csrf-victim', displayName: 'X', role: 'analyst' };
    const noToken = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: admin.cookie },
      payload: body,
    });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.code).toBe('SVD_AUTH_CSRF');
    const wrong = await admin.request('POST', '/api/users', body, { 'x-csrf-token': 'forged' });
    expect(wrong.json.error.code).toBe('SVD_AUTH_CSRF');
    const anonymousLogin = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'x', password: 'y' },
    });
    expect(anonymousLogin.json().error.code).toBe('SVD_AUTH_CSRF');
    expect((await t.runtime.auth.listUsers()).some((u) => u.username === 'csrf-victim')).toBe(false);
  });

  it('issues a new session token at login and at every step (no fixation)', async () => {
    const { oneTimePassword } = await t.runtime.auth.createUser(
      { type: 'system', label: 'test' },
      { username: 'fixation', displayName: 'F', role: 'admin' },
    );
    const attacker = await anonymousClient(t.app);
    const planted = 'svd_session=planted-token-value';
    const withPlanted = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { cookie: `${planted}; ${attacker.cookie}`, 'x-csrf-token': attacker.csrf },
      payload: { username: 'fixation', password: oneTimePassword },
    });
    const issued = String(withPlanted.headers['set-cookie']);
    expect(issued).toMatch(/svd_session=/);
    expect(issued).not.toContain('planted-token-value');
    expect(issued).toMatch(/HttpOnly/i);
    expect(issued).toMatch(/SameSite=Strict/i);
    const first = /svd_session=([^;]+)/.exec(issued)![1]!;
    const client = await anonymousClient(t.app);
    client.cookie = `svd_session=${first}`;
    client.csrf = withPlanted.json().csrfToken;
    await client.request('POST', '/api/auth/password', {
      currentPassword: oneTimePassword,
      newPassword: 'another long passphrase',
    });
    expect(client.cookie).not.toBe(`svd_session=${first}`);
    expect(await t.runtime.auth.session(first)).toBeUndefined();
  });

  it('admins cannot skip 2FA enrolment', async () => {
    const { oneTimePassword } = await t.runtime.auth.createUser(
      { type: 'system', label: 'test' },
      { username: 'admin-no-2fa', displayName: 'A', role: 'admin' },
    );
    const client = await anonymousClient(t.app);
    await client.request('POST', '/api/auth/login', { username: 'admin-no-2fa', password: oneTimePassword });
    const after = await client.request('POST', '/api/auth/password', {
      currentPassword: oneTimePassword,
      newPassword: 'yet another passphrase',
    });
    expect(after.json.stage).toBe('totp_enrol');
    expect((await client.request('GET', '/api/audit')).json.error.code).toBe('SVD_AUTH_STAGE');
  });

  it('shows an API key secret once and stores only its hash', async () => {
    const admin = await loggedInClient(t, 'admin');
    const created = await admin.request('POST', '/api/apikeys', {
      name: 'partner',
      organization: 'Partner NGO',
      scopes: ['screening'],
    });
    expect(created.status).toBe(200);
    const secret: string = created.json.secret;
    expect(secret).toMatch(/^svd_/);
    const list = await admin.request('GET', '/api/apikeys');
    expect(JSON.stringify(list.json)).not.toContain(secret.slice(13));
    const rows = await sql<Record<string, unknown>>`select * from api_keys`.execute(ctx.database.db);
    expect(JSON.stringify(rows.rows)).not.toContain(secret.slice(13));
    const key = await apiKeyClient(t, ['screening']);
    expect((await key.request('GET', '/api/users')).status).toBe(404);
    await admin.request('POST', `/api/apikeys/${key.apiKey.id}/revoke`, {});
    expect((await key.request('GET', '/api/users')).json.error.code).toBe('SVD_AUTH_API_KEY_INVALID');
  });

  it('limits the calls of one API key, with Retry-After, and not those of another key', async () => {
    const limiter = new KeyRateLimiter(60);
    const now = 1_000_000;
    for (let i = 0; i < 6; i++) expect(limiter.take('a', now)).toBe(0);
    expect(limiter.take('a', now)).toBe(1);
    expect(limiter.take('b', now)).toBe(0);
    expect(limiter.take('a', now + 1000)).toBe(0);

    const key = await apiKeyClient(t, ['screening']);
    let limited: { status: number; json: { error: { code: string } } } | undefined;
    for (let i = 0; i < 200 && !limited; i++) {
      const answer = await key.request('GET', '/api/users');
      if (answer.status === 429) limited = answer;
    }
    expect(limited?.json.error.code).toBe('SVD_HTTP_RATE_LIMITED');
    const other = await apiKeyClient(t, ['screening']);
    expect((await other.request('GET', '/api/users')).status).toBe(404);
  });

  it('answers bad input with a coded error, no stack trace and nothing written', async () => {
    const admin = await loggedInClient(t, 'admin');
    const before = (await t.runtime.auth.listUsers()).length;
    const send = (payload: string, contentType = 'application/json') =>
      t.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf, 'content-type': contentType },
        payload,
      });
    const cases: Array<[string, string, number, string]> = [
      ['malformed JSON', '{"username": ', 400, 'SVD_HTTP_BAD_JSON'],
      [
        'wrong types',
        JSON.stringify({ username: 42, displayName: [], role: 'analyst' }),
        400,
        'SVD_HTTP_VALIDATION',
      ],
      [
        'unknown field',
        JSON.stringify({ username: 'valid-name', displayName: 'V', role: 'analyst', isRoot: true }),
        400,
        'SVD_HTTP_VALIDATION',
      ],
      [
        'unknown role',
        JSON.stringify({ username: 'valid-name', displayName: 'V', role: 'god' }),
        400,
        'SVD_HTTP_VALIDATION',
      ],
      [
        'oversized body',
        JSON.stringify({ username: 'x'.repeat(2_000_000), displayName: 'V', role: 'analyst' }),
        413,
        'SVD_HTTP_TOO_LARGE',
      ],
    ];
    for (const [, payload, status, code] of cases) {
      const response = await send(payload);
      expect(response.statusCode).toBe(status);
      expect(response.json().error.code).toBe(code);
      expect(response.body).not.toMatch(/at \w+ \(|node_modules|\.ts:\d+/);
    }
    const xml = await send('<user/>', 'application/xml');
    expect(xml.json().error.code).toBe('SVD_HTTP_UNSUPPORTED_MEDIA');
    expect((await t.runtime.auth.listUsers()).length).toBe(before);
  });

  it('sets strict security headers', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/health' });
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
  });
});

describeEachDatabase('API documentation', (ctx) => {
  const t = useTestApp(ctx);
  it('serves the OpenAPI document and a docs page without third-party origins', async () => {
    const spec = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(spec.json().paths['/api/auth/login'].post).toBeTruthy();
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(String(docs.headers['content-security-policy'])).not.toMatch(/https:|swagger\.io|unsafe/);
  });
});
