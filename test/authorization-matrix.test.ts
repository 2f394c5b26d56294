/**
 * Every registered API route, called by every role, anonymous callers and API keys: each caller the
 * route's rule excludes gets "log in" or "not found", never the resource; each caller it admits gets
 * past authorization. A route without a rule cannot even be registered (see platform/http/app.ts).
 */
import { expect, it } from 'vitest';
import { apiKeyScopes } from '../src/platform/auth/model.js';
import { roles } from '../src/platform/auth/roles.js';
import type { AccessRule } from '../src/platform/http/access-rules.js';
import { apiRoutes } from '../src/platform/http/app.js';
import { anonymousClient, apiKeyClient, type Client, loggedInClient, useTestApp } from './support/app.js';
import { describeEachDatabase } from './support/databases.js';

const AUTH_CODES = new Set([
  'SVD_AUTH_REQUIRED',
  'SVD_AUTH_STAGE',
  'SVD_AUTH_CSRF',
  'SVD_AUTH_API_KEY_INVALID',
]);
const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';

function concreteUrl(url: string): string {
  return url.replace(/:[A-Za-z]+/g, SAMPLE_ID);
}

type Caller = { name: string; role?: string; apiKey?: boolean };

function allowed(rule: AccessRule, caller: Caller): boolean {
  if ('public' in rule) return true;
  if ('session' in rule) return caller.role !== undefined;
  if (caller.apiKey) return (rule.scopes?.length ?? 0) > 0;
  return caller.role !== undefined && (rule.roles as readonly string[]).includes(caller.role);
}

describeEachDatabase('authorization matrix', (ctx) => {
  // Every route is called with the same keys: the per-key rate limit is not what this test is about.
  const t = useTestApp(ctx, { apiKeyRatePerMinute: 1_000_000 });

  it('enforces every route rule for every caller', async () => {
    const routes = apiRoutes(t.app);
    expect(routes.length).toBeGreaterThan(15);
    const staff = roles.filter((role) => role !== 'partner');
    const clients = new Map<string, Client | Awaited<ReturnType<typeof apiKeyClient>>>();
    clients.set('anonymous', await anonymousClient(t.app));
    for (const role of staff) clients.set(role, await loggedInClient(t, role));
    clients.set('apikey', await apiKeyClient(t, [...apiKeyScopes], 'authorization matrix test'));
    const callers: Caller[] = [
      { name: 'anonymous' },
      ...staff.map((role) => ({ name: role, role })),
      { name: 'apikey', apiKey: true },
    ];
    const failures: string[] = [];
    for (const route of routes) {
      // Logging out or changing credentials would end the sessions the matrix needs; the second-factor
      // steps of a sign-in answer "finish the login steps" to a session that is past them.
      if (/\/auth\/(logout|password|login|totp|webauthn\/authenticate)/.test(route.url)) continue;
      for (const caller of callers) {
        const client = clients.get(caller.name)!;
        const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : {};
        const response = await client.request(route.method, concreteUrl(route.url), body);
        const code: string | undefined = response.json?.error?.code;
        const ok = allowed(route.access, caller);
        if (ok && (response.status === 401 || (code && AUTH_CODES.has(code)))) {
          failures.push(
            `${caller.name} should pass ${route.method} ${route.url} but got ${response.status} ${code}`,
          );
        }
        if (!ok && !(response.status === 401 || response.status === 404)) {
          failures.push(
            `${caller.name} should be refused ${route.method} ${route.url} but got ${response.status} ${code}`,
          );
        }
        if (!ok && response.status === 404 && code !== 'SVD_HTTP_NOT_FOUND') {
          failures.push(
            `${caller.name} refused ${route.method} ${route.url} with a distinguishable answer ${code}`,
          );
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
