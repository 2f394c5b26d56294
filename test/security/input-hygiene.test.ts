/**
 * Input that no route may store or choke on (issue 15, item 7): control characters and NUL bytes are a
 * coded 400 on every route, bidi overrides are refused in names and titles, and every error — those
 * raised before routing too — comes in the coded envelope.
 */
import { request as httpRequest } from 'node:http';
import { expect, it } from 'vitest';
import { apiRoutes } from '../../src/platform/http/app.js';
import { loggedInClient, useTestApp } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';

/** A raw HTTP exchange on a real socket (what Node's parser refuses never reaches `inject`). */
function raw(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describeEachDatabase('input hygiene', (ctx) => {
  const t = useTestApp(ctx);

  it('a NUL byte in a path, query or body field is a coded 400 on every route, never a 500', async () => {
    const admin = await loggedInClient(t, 'admin');
    const failures: string[] = [];
    let unsafe = 0;
    for (const route of apiRoutes(t.app)) {
      // The tus endpoints speak their own protocol: their envelope is tested on its own.
      if (route.url.includes('*') || route.url.endsWith('/logout') || route.url.includes('/tus')) continue;
      const url = `${route.url.replace(/:[A-Za-z]+/g, 'a%00b')}?q=a%00b`;
      const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : { name: 'a\u0000b' };
      const answer = await admin.request(route.method, url, body);
      // A route without a query schema ignores `q` and may answer 200: nothing reached storage.
      if (answer.status >= 500 || (answer.status >= 400 && !/^SVD_/.test(answer.json?.error?.code ?? '')))
        failures.push(
          `${route.method} ${route.url}: ${answer.status} ${JSON.stringify(answer.json).slice(0, 200)}`,
        );
      if (answer.json?.error?.code === 'SVD_HTTP_UNSAFE_TEXT') unsafe++;
    }
    expect(failures.join('\n')).toBe('');
    expect(unsafe).toBeGreaterThan(20);
    // The named routes of the probe, one by one.
    for (const [method, url, body] of [
      ['GET', '/api/entities?q=x%00', undefined],
      ['GET', '/api/search?q=x%00', undefined],
      ['GET', '/api/audit?actor=x%00', undefined],
      ['POST', '/api/datasets', { name: 'nul-test', title: 'x\u0000' }],
      ['POST', '/api/users', { username: 'nul-user', displayName: 'x\u0000', role: 'analyst' }],
    ] as const) {
      const answer = await admin.request(method, url, body);
      expect([url, answer.status, answer.json.error.code]).toEqual([url, 400, 'SVD_HTTP_UNSAFE_TEXT']);
    }
  });

  it('refuses bidi overrides and terminal escapes in names and titles', async () => {
    const admin = await loggedInClient(t, 'admin');
    for (const title of ['invoice\u202Efdp.exe', 'a\u2066b\u2069', 'red \u001b[31mtext', 'csi \u009b31m']) {
      const answer = await admin.request('POST', '/api/datasets', { name: 'bidi-test', title });
      expect(answer.json.error.code, JSON.stringify(title)).toBe('SVD_HTTP_UNSAFE_TEXT');
      expect(answer.json.error.message).toMatch(/body\.title .*U\+/);
    }
    const created = await admin.request('POST', '/api/datasets', { name: 'bidi-ok', title: 'Сьпіс — מסמך' });
    expect(created.status).toBe(200);
    // Imported FtM lines: the same rule, per line.
    const imported = await t.app.inject({
      method: 'POST',
      url: `/api/datasets/bidi-ok/import`,
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf, 'content-type': 'application/x-ndjson' },
      payload: `${JSON.stringify({ id: 'bidi-1', schema: 'Person', properties: { name: ['Ivan\u202EvonatePI'] } })}\n${JSON.stringify({ id: 'bidi-2', schema: 'Person', properties: { name: ['Іван Пятроў'] } })}\n`,
    });
    expect(imported.json().summary).toMatchObject({ imported: 1, rejected: 1 });
    expect(imported.json().rejects[0]).toMatchObject({ line: 1, code: 'SVD_REGISTRY_BAD_VALUE' });
  });

  it('bulk screening with a JSON body is a coded 415, not a 500', async () => {
    const analyst = await loggedInClient(t, 'analyst');
    const answer = await analyst.request('POST', '/api/screen/bulk', { queries: {} });
    expect([answer.status, answer.json.error.code]).toEqual([415, 'SVD_HTTP_UNSUPPORTED_MEDIA']);
  });

  it('a partner purpose with control characters is refused', async () => {
    const { secret } = await t.runtime.auth.createApiKey(
      { type: 'system', label: 'test' },
      { name: 'hygiene', organization: 'Partner', scopes: ['registry:read'] },
    );
    const answer = await t.app.inject({
      method: 'GET',
      url: '/api/entities',
      headers: { authorization: `Bearer ${secret}`, 'x-purpose': 'due diligence\u001b]0;owned\u0007' },
    });
    expect(answer.json().error.code).toBe('SVD_HTTP_UNSAFE_TEXT');
  });

  it('answers 414 and 431 in the coded envelope', async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (t.app.server.address() as { port: number }).port;
    const longParam = await raw(port, `/api/entities/${'a'.repeat(500)}`);
    expect(longParam.status).toBe(414);
    expect(JSON.parse(longParam.body).error.code).toBe('SVD_HTTP_URL_TOO_LONG');
    const bigHeaders = await raw(port, '/api/health', { 'x-filler': 'a'.repeat(20_000) });
    expect(bigHeaders.status).toBe(431);
    expect(bigHeaders.type).toMatch(/application\/json/);
    expect(JSON.parse(bigHeaders.body).error.code).toBe('SVD_HTTP_HEADERS_TOO_LARGE');
  });
});
