import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, NETWORK_ERROR_CODE, setCsrfToken } from './client.js';

interface Call {
  url: string;
  init: RequestInit;
}

function mockFetch(responses: Array<() => Response>): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const next = responses.shift();
    if (!next) throw new Error('unexpected request');
    return next();
  });
  return calls;
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const headers = (call: Call | undefined) => (call?.init.headers ?? {}) as Record<string, string>;

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

describe('api client', () => {
  it('sends the CSRF token from the latest /me on changes, never on reads', async () => {
    const calls = mockFetch([
      () => json({ user: null, stage: null, csrfToken: 'anonymous-token' }),
      () => json({ stage: 'ok', user: {}, csrfToken: 'session-token' }),
      () => json({ items: [] }),
      () => new Response(null, { status: 204 }),
    ]);
    await api.me();
    await api.login('admin', 'secret');
    await api.users();
    await api.logout();
    expect(headers(calls[0])['x-csrf-token']).toBeUndefined();
    expect(headers(calls[1])['x-csrf-token']).toBe('anonymous-token');
    expect(calls[1]?.init.body).toBe(JSON.stringify({ username: 'admin', password: 'secret' }));
    expect(headers(calls[2])['x-csrf-token']).toBeUndefined();
    // The login answered with a new token bound to the new session.
    expect(headers(calls[3])['x-csrf-token']).toBe('session-token');
    expect(calls.every((call) => call.init.credentials === 'same-origin')).toBe(true);
  });

  it('turns an error body into an ApiError with the server code, status and details', async () => {
    mockFetch([
      () =>
        json(
          {
            error: {
              code: 'SVD_AUTH_LOCKED',
              message: 'Too many failed attempts.',
              details: { retryAfter: 60 },
            },
          },
          429,
        ),
    ]);
    const error = await api.login('admin', 'wrong').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      code: 'SVD_AUTH_LOCKED',
      status: 429,
      message: 'Too many failed attempts.',
      details: { retryAfter: 60 },
    });
  });

  it('gives a code even when the body is not the error shape or the network is down', async () => {
    mockFetch([
      () => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
      () => {
        throw new TypeError('Failed to fetch');
      },
    ]);
    await expect(api.health()).rejects.toMatchObject({ code: 'SVD_HTTP_502', status: 502 });
    await expect(api.health()).rejects.toMatchObject({ code: NETWORK_ERROR_CODE, status: 0 });
  });

  it('puts only non-empty filters in the audit query string and escapes ids in paths', async () => {
    const calls = mockFetch([() => json({ items: [], nextCursor: null }), () => json({ user: {} })]);
    await api.audit({ action: 'user.create', actor: '', outcome: 'ok', before: 42, limit: 100 });
    await api.disableUser('a/b');
    expect(calls[0]?.url).toBe('/api/audit?action=user.create&outcome=ok&before=42&limit=100');
    expect(calls[1]?.url).toBe('/api/users/a%2Fb/disable');
  });
});
