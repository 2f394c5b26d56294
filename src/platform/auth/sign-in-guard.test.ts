import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { anonymousClient, loggedInClient, useTestApp } from '../../../test/support/app.js';
import { describeEachDatabase } from '../../../test/support/databases.js';
import { currentTotp } from './secrets.js';
import { SignInGuard } from './sign-in-guard.js';

describe('sign-in guard', () => {
  it('stops spraying spread over many clients with the global budget', () => {
    const guard = new SignInGuard({ globalBurst: 5, globalPerMinute: 1, clientBurst: 3 });
    for (let i = 0; i < 5; i++) {
      const client = guard.clientKey(`127.0.0.${i}`);
      expect(guard.check(client)).toBeUndefined();
      guard.failed(client);
    }
    expect(guard.check(guard.clientKey('127.0.0.99'))).toMatchObject({ scope: 'global' });
  });

  it('keys clients by a per-process secret, never by the address itself', () => {
    const a = new SignInGuard();
    const b = new SignInGuard();
    expect(a.clientKey('203.0.113.7')).toBe(a.clientKey('203.0.113.7'));
    expect(a.clientKey('203.0.113.7')).not.toBe(b.clientKey('203.0.113.7'));
    expect(a.clientKey('203.0.113.7')).not.toContain('203');
  });
});

describeEachDatabase('sign-in under attack', (ctx) => {
  const t = useTestApp(ctx, { loginMaxFailures: 5 });

  it('password spraying across names from one client is refused before passwords are checked; other clients are not', async () => {
    const victim = await loggedInClient(t, 'analyst', 'spray-victim');
    const sprayer = await anonymousClient(t.app, '127.9.9.9');
    const codes: string[] = [];
    for (let i = 0; i < 14; i++) {
      const answer = await sprayer.request('POST', '/api/auth/login', {
        username: i % 2 ? `staff-${i}` : 'spray-victim',
        password: 'Summer2026!',
      });
      codes.push(answer.json.error.code);
    }
    expect(codes.slice(0, 10)).not.toContain('SVD_AUTH_THROTTLED');
    expect(codes.slice(10)).toEqual(Array(4).fill('SVD_AUTH_THROTTLED'));
    // Even the right password is not checked from this client now.
    const again = await sprayer.request('POST', '/api/auth/login', {
      username: 'spray-victim',
      password: 'correct horse battery staple',
    });
    expect(again.status).toBe(429);
    expect(again.headers['retry-after']).toMatch(/^\d+$/);
    // Another client is unaffected by this client's budget.
    const other = await anonymousClient(t.app);
    const answer = await other.request('POST', '/api/auth/login', {
      username: 'spray-other',
      password: 'whatever',
    });
    expect(answer.json.error.code).toBe('SVD_AUTH_BAD_CREDENTIALS');
    expect(victim.userId).toBeTruthy();
    // Memory only: no address reaches the database.
    const stored = await sql<{ text: string }>`select
        (select coalesce(string_agg(row_to_json(a)::text, ''), '') from audit_log a) ||
        (select coalesce(string_agg(row_to_json(l)::text, ''), '') from login_throttle l) as text`.execute(
      ctx.database.db,
    );
    expect(stored.rows[0]!.text).not.toContain('127.9.9.9');
  });

  it('a lockout caused by someone else does not lock the real user out of their own browser', async () => {
    const victim = await loggedInClient(t, 'reviewer', 'lockout-victim');
    expect(victim.device).toBeTruthy();
    const attacker = await anonymousClient(t.app);
    let last = '';
    for (let i = 0; i < 6; i++) {
      const answer = await attacker.request('POST', '/api/auth/login', {
        username: 'lockout-victim',
        password: `guess ${i}`,
      });
      last = answer.json.error.code;
    }
    expect(last).toBe('SVD_AUTH_LOCKED');
    // The account is locked for a new browser…
    const stranger = await anonymousClient(t.app);
    const refused = await stranger.request('POST', '/api/auth/login', {
      username: 'lockout-victim',
      password: 'correct horse battery staple',
    });
    expect(refused.json.error.code).toBe('SVD_AUTH_LOCKED');
    // A forged device cookie gives nothing.
    const forger = await anonymousClient(t.app);
    forger.device = `${victim.userId}.AAAAAAAAAAAAAAAAAAAAAA.forged`;
    const forged = await forger.request('POST', '/api/auth/login', {
      username: 'lockout-victim',
      password: 'correct horse battery staple',
    });
    expect(forged.json.error.code).toBe('SVD_AUTH_LOCKED');
    // …but the user signs in from the browser where they signed in before, second factor included.
    await victim.request('POST', '/api/auth/logout', {});
    const fresh = await anonymousClient(t.app);
    fresh.device = victim.device!;
    const login = await fresh.request('POST', '/api/auth/login', {
      username: 'lockout-victim',
      password: 'correct horse battery staple',
    });
    expect(login.json.stage).toBe('totp');
    const totp = await fresh.request('POST', '/api/auth/totp', {
      code: currentTotp(victim.totpSecret!, Date.now() + 30_000),
    });
    expect(totp.json.stage).toBe('ok');
  });
});
