/**
 * Regression tests for the findings of the security review of the platform: each test states the
 * property the platform must have.
 */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { currentTotp } from '../../src/platform/auth/secrets.js';
import { anonymousClient, loggedInClient, useTestApp } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';

describeEachDatabase('security review findings', (ctx) => {
  const t = useTestApp(ctx, { loginMaxFailures: 3 });

  it('F1: a percent-encoded "/api" prefix does not skip authentication', async () => {
    // find-my-way decodes %61 to "a" and routes to /api/users; the auth hook tests the raw URL.
    for (const url of ['/%61pi/users', '/%61pi/apikeys', '/%61pi/jobs', '/%61pi/audit/verify']) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(401);
    }
  });

  it('F2: an anonymous login with a lone surrogate in the user name does not break the audit chain', async () => {
    const client = await anonymousClient(t.app);
    await client.request('POST', '/api/auth/login', { username: '\ud800nobody', password: 'x' });
    // A 99-character name plus an emoji: slice(0, 100) splits the surrogate pair.
    await client.request('POST', '/api/auth/login', { username: `${'a'.repeat(99)}😀`, password: 'x' });
    expect((await t.runtime.audit.verify()).ok).toBe(true);
  });

  it('F3: a password reset by an admin does not let the one-time password skip enrolled TOTP', async () => {
    const client = await loggedInClient(t, 'analyst', 'reset-victim');
    const admin = await loggedInClient(t, 'admin');
    const reset = await admin.request('POST', `/api/users/${client.userId}/reset-password`, {});
    const oneTime: string = reset.json.oneTimePassword;
    const attacker = await anonymousClient(t.app);
    let response = await attacker.request('POST', '/api/auth/login', {
      username: 'reset-victim',
      password: oneTime,
    });
    expect(response.json.stage).toBe('password_change');
    response = await attacker.request('POST', '/api/auth/password', {
      currentPassword: oneTime,
      newPassword: 'attacker chosen passphrase',
    });
    // The user has TOTP enrolled: the next stage must be 'totp', not 'ok'.
    expect(response.json.stage).toBe('totp');
  });

  it('F4: parallel password guesses cannot exceed the lockout threshold', async () => {
    const { user } = await t.runtime.auth.createUser(
      { type: 'system', label: 'test' },
      { username: 'parallel-victim', displayName: 'P', role: 'reviewer' },
    );
    const client = await anonymousClient(t.app);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        client.request('POST', '/api/auth/login', { username: 'parallel-victim', password: `guess ${i}` }),
      ),
    );
    const evaluated = results.filter((r) => r.json?.error?.code === 'SVD_AUTH_BAD_CREDENTIALS').length;
    const row = await sql<{
      failed_logins: number;
    }>`select failed_logins from users where id = ${user.id}`.execute(ctx.database.db);
    // loginMaxFailures is 3: at most 3 guesses may be checked against the password before the lock.
    expect({ evaluated, counted: row.rows[0]!.failed_logins }).toEqual({ evaluated: 3, counted: 3 });
  });

  it('F5: the same TOTP code sent twice in parallel logs in only once', async () => {
    const username = 'totp-race';
    const { user, oneTimePassword } = await t.runtime.auth.createUser(
      { type: 'system', label: 'test' },
      { username, displayName: 'T', role: 'analyst' },
    );
    const first = await anonymousClient(t.app);
    await first.request('POST', '/api/auth/login', { username, password: oneTimePassword });
    await first.request('POST', '/api/auth/password', {
      currentPassword: oneTimePassword,
      newPassword: 'totp race passphrase',
    });
    const enrol = await first.request('POST', '/api/auth/totp/enrol/start', {});
    await first.request('POST', '/api/auth/totp/enrol/confirm', { code: currentTotp(enrol.json.secret) });
    // A fresh code (next period) sent by two logins at once.
    const code = currentTotp(enrol.json.secret, Date.now() + 30_000);
    const a = await anonymousClient(t.app);
    const b = await anonymousClient(t.app);
    for (const c of [a, b])
      await c.request('POST', '/api/auth/login', { username, password: 'totp race passphrase' });
    const results = await Promise.all([a, b].map((c) => c.request('POST', '/api/auth/totp', { code })));
    expect(results.filter((r) => r.json?.stage === 'ok').length, user.id).toBe(1);
  });

  it('F6: rows rewritten by someone who disabled the trigger (without the key) fail verification', async () => {
    const db = ctx.database.db;
    await t.runtime.audit.record({ actor: { type: 'system' }, action: 'test.f6' });
    const head = await t.runtime.audit.head();
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(db);
    // Rewrite the newest row and recompute its hash the way an attacker without the key would.
    await sql`update audit_log set action = 'test.innocent', hash = encode(sha256(convert_to(hash, 'UTF8')), 'hex') where seq = ${head!.seq}`.execute(
      db,
    );
    await sql`alter table audit_log enable always trigger audit_log_no_update`.execute(db);
    expect((await t.runtime.audit.verify()).firstBroken?.seq).toBe(head!.seq);
  });
});
