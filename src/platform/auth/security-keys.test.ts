import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { anonymousClient, type Client, loggedInClient, useTestApp } from '../../../test/support/app.js';
import { describeEachDatabase } from '../../../test/support/databases.js';
import { SoftwareAuthenticator } from '../../../test/support/software-authenticator.js';
import { currentTotp, TOTP_PERIOD } from './secrets.js';
import { relyingPartyFor } from './security-keys.js';

const ORIGIN = 'https://sviedka.test';
const PASSWORD = 'correct horse battery staple';

describe('the relying party', () => {
  it('comes from publicUrl, or is localhost only', () => {
    expect(relyingPartyFor('https://sviedka.example.org/app', 'evil.example')).toEqual({
      id: 'sviedka.example.org',
      origin: 'https://sviedka.example.org',
    });
    expect(relyingPartyFor(undefined, 'localhost:5173')).toEqual({
      id: 'localhost',
      origin: 'http://localhost:5173',
    });
    // Without publicUrl a request's Host header is not trusted as the origin (a proxy could set any).
    expect(relyingPartyFor(undefined, 'sviedka.example.org')).toBeUndefined();
    expect(relyingPartyFor(undefined, '127.0.0.1:8080')).toBeUndefined();
  });
});

/** Registers a key for a signed-in client with the software authenticator. */
async function registerKey(
  client: Client,
  authenticator: SoftwareAuthenticator,
  name: string,
  password?: string,
) {
  const options = await client.request(
    'POST',
    '/api/auth/webauthn/register/options',
    password ? { currentPassword: password } : {},
  );
  expect(options.status, JSON.stringify(options.json)).toBe(200);
  const { response } = authenticator.register(options.json.options, ORIGIN);
  return client.request('POST', '/api/auth/webauthn/register/verify', { name, response });
}

async function passwordStep(t: ReturnType<typeof useTestApp>, username: string, password = PASSWORD) {
  const client = await anonymousClient(t.app);
  const login = await client.request('POST', '/api/auth/login', { username, password });
  expect(login.status, JSON.stringify(login.json)).toBe(200);
  return { client, stage: login.json.stage as string };
}

async function signInWithKey(client: Client, authenticator: SoftwareAuthenticator) {
  const options = await client.request('POST', '/api/auth/webauthn/authenticate/options', {});
  expect(options.status, JSON.stringify(options.json)).toBe(200);
  return client.request('POST', '/api/auth/webauthn/authenticate/verify', {
    response: authenticator.assert(options.json.options, ORIGIN),
  });
}

describeEachDatabase('security keys (WebAuthn)', (ctx) => {
  // Sign-in attempts left waiting at the key step count against the account until they succeed.
  const t = useTestApp(ctx, { publicUrl: ORIGIN, loginMaxFailures: 20 });
  const username = () => `key-${Math.random().toString(36).slice(2, 8)}`;

  it('registers a key after the password is given again, and signs in with it first', async () => {
    const name = username();
    const client = await loggedInClient(t, 'analyst', name);
    const authenticator = new SoftwareAuthenticator();

    // Signed in, adding a key needs the password again.
    const bare = await client.request('POST', '/api/auth/webauthn/register/options', {});
    expect(bare.json.error.code).toBe('SVD_HTTP_VALIDATION');
    const options = await client.request('POST', '/api/auth/webauthn/register/options', {
      currentPassword: PASSWORD,
    });
    expect(options.json.options.rp).toEqual({ id: 'sviedka.test', name: 'Sviedka' });
    const { response, credential } = authenticator.register(options.json.options, ORIGIN);
    const registered = await client.request('POST', '/api/auth/webauthn/register/verify', {
      name: 'Blue key',
      response,
    });
    expect(registered.status, JSON.stringify(registered.json)).toBe(200);
    expect(registered.json.key).toMatchObject({ name: 'Blue key', transports: ['usb'], passkey: false });
    // The account had recovery codes from its app enrolment: none are replaced.
    expect(registered.json.recoveryCodes).toBeUndefined();
    // The challenge was single use.
    const replay = await client.request('POST', '/api/auth/webauthn/register/verify', {
      name: 'again',
      response,
    });
    expect(replay.json.error.code).toBe('SVD_AUTH_WEBAUTHN_CHALLENGE');

    // Encrypted at rest: neither the credential id, the public key nor the name appear in the row.
    const rows = await sql<Record<string, unknown>>`select * from webauthn_credentials`.execute(
      ctx.database.db,
    );
    const stored = JSON.stringify(
      rows.rows.map((row) =>
        Object.values(row).map((v) =>
          Buffer.isBuffer(v) || v instanceof Uint8Array ? Buffer.from(v as Uint8Array).toString('latin1') : v,
        ),
      ),
    );
    expect(stored).not.toContain('Blue key');
    expect(stored).not.toContain(credential.id.toString('latin1'));
    expect(stored).not.toContain(credential.id.toString('base64url'));

    const list = await client.request('GET', '/api/auth/webauthn/keys');
    expect(list.json.items.map((key: { name: string }) => key.name)).toEqual(['Blue key']);
    await client.request('POST', '/api/auth/logout', {});

    // Next sign-in offers the key first; the app stays closed until it answers.
    const { client: next, stage } = await passwordStep(t, name);
    expect(stage).toBe('webauthn');
    const factors = await next.request('GET', '/api/auth/factors');
    expect(factors.json).toMatchObject({
      securityKeys: 1,
      webauthnAvailable: true,
      totpEnrolled: true,
      totpAllowed: true,
    });
    expect((await next.request('GET', '/api/users')).json.error.code).toBe('SVD_AUTH_STAGE');
    const signedIn = await signInWithKey(next, authenticator);
    expect(signedIn.json.stage).toBe('ok');
    const keys = await next.request('GET', '/api/auth/webauthn/keys');
    expect(keys.json.items[0].lastUsedAt).not.toBeNull();

    const audit = await t.runtime.audit.list({ limit: 200 });
    const actions = audit
      .filter((row) => row.actorId === client.userId)
      .map((row) => `${row.action}:${row.outcome}`);
    expect(actions).toContain('auth.webauthn.register:ok');
    expect(actions).toContain('auth.webauthn:ok');
  });

  it('refuses answers for another origin, a foreign challenge, an expired challenge and a cloned key', async () => {
    const name = username();
    const client = await loggedInClient(t, 'reviewer', name);
    const authenticator = new SoftwareAuthenticator();
    expect((await registerKey(client, authenticator, 'Key', PASSWORD)).status).toBe(200);

    // A phishing page proxying our sign-in gets an answer for its own origin (and relying party).
    const { client: phished } = await passwordStep(t, name);
    let options = await phished.request('POST', '/api/auth/webauthn/authenticate/options', {});
    const forged = authenticator.assert(
      { ...options.json.options, rpId: 'sviedka-login.example' },
      'https://sviedka-login.example',
    );
    let answer = await phished.request('POST', '/api/auth/webauthn/authenticate/verify', {
      response: forged,
    });
    expect(answer.json.error.code).toBe('SVD_AUTH_WEBAUTHN_FAILED');
    options = await phished.request('POST', '/api/auth/webauthn/authenticate/options', {});
    answer = await phished.request('POST', '/api/auth/webauthn/authenticate/verify', {
      response: authenticator.assert(options.json.options, 'https://sviedka-login.example'),
    });
    expect(answer.json.error.code).toBe('SVD_AUTH_WEBAUTHN_FAILED');

    // A challenge belongs to the sign-in attempt that asked for it.
    const { client: first } = await passwordStep(t, name);
    const { client: second } = await passwordStep(t, name);
    options = await first.request('POST', '/api/auth/webauthn/authenticate/options', {});
    const signedForFirst = authenticator.assert(options.json.options, ORIGIN);
    answer = await second.request('POST', '/api/auth/webauthn/authenticate/verify', {
      response: signedForFirst,
    });
    expect(answer.json.error.code).toBe('SVD_AUTH_WEBAUTHN_CHALLENGE');

    // An expired challenge is refused.
    await sql`update webauthn_challenges set expires_at = now() - interval '1 second'`.execute(
      ctx.database.db,
    );
    answer = await first.request('POST', '/api/auth/webauthn/authenticate/verify', {
      response: signedForFirst,
    });
    expect(answer.json.error.code).toBe('SVD_AUTH_WEBAUTHN_CHALLENGE');

    // A good answer signs in; then a copy of the key whose counter lags behind is refused and audited.
    expect((await signInWithKey(first, authenticator)).json.stage).toBe('ok');
    const { client: clone } = await passwordStep(t, name);
    options = await clone.request('POST', '/api/auth/webauthn/authenticate/options', {});
    answer = await clone.request('POST', '/api/auth/webauthn/authenticate/verify', {
      response: authenticator.assert(options.json.options, ORIGIN, { counter: 1 }),
    });
    expect(answer.json.error.code).toBe('SVD_AUTH_WEBAUTHN_FAILED');
    const denied = await t.runtime.audit.list({ action: 'auth.webauthn', outcome: 'denied', limit: 20 });
    expect(JSON.stringify(denied)).toContain('cloned');

    // Another user's key does not answer for this account.
    const other = await loggedInClient(t, 'analyst');
    const otherKey = new SoftwareAuthenticator();
    await registerKey(other, otherKey, 'Other', PASSWORD);
    options = await clone.request('POST', '/api/auth/webauthn/authenticate/options', {});
    answer = await clone.request('POST', '/api/auth/webauthn/authenticate/verify', {
      response: otherKey.assert(options.json.options, ORIGIN, { credential: otherKey.credentials[0] }),
    });
    expect(answer.json.error.code).toBe('SVD_AUTH_WEBAUTHN_FAILED');
  });

  it('renames and removes keys: the password again, never the last factor the role needs', async () => {
    const name = username();
    const client = await loggedInClient(t, 'analyst', name);
    const authenticator = new SoftwareAuthenticator();
    const first = (await registerKey(client, authenticator, 'First', PASSWORD)).json.key;
    const renamed = await client.request('PATCH', `/api/auth/webauthn/keys/${first.id}`, {
      name: 'Office key',
    });
    expect(renamed.json.key.name).toBe('Office key');

    const wrong = await client.request('POST', `/api/auth/webauthn/keys/${first.id}/remove`, {
      currentPassword: 'not my password',
    });
    expect(wrong.json.error.code).toBe('SVD_AUTH_BAD_CREDENTIALS');
    // The app remains a second factor, so the last key may go while keys are optional.
    const removed = await client.request('POST', `/api/auth/webauthn/keys/${first.id}/remove`, {
      currentPassword: PASSWORD,
    });
    expect(removed.status).toBe(204);
    expect((await client.request('GET', '/api/auth/webauthn/keys')).json.items).toEqual([]);

    // Someone else's key is not found.
    const other = await loggedInClient(t, 'analyst');
    const otherKey = (await registerKey(other, new SoftwareAuthenticator(), 'Theirs', PASSWORD)).json.key;
    const foreign = await client.request('POST', `/api/auth/webauthn/keys/${otherKey.id}/remove`, {
      currentPassword: PASSWORD,
    });
    expect(foreign.status).toBe(404);

    const audit = await t.runtime.audit.list({ action: 'auth.webauthn.remove', limit: 10 });
    expect(audit.some((row) => row.actorId === client.userId)).toBe(true);
  });
});

describeEachDatabase('sign-in policy per role', (ctx) => {
  const t = useTestApp(ctx, { publicUrl: ORIGIN });

  it('requires keys for a role, moves app users to key enrolment, and switches codes off', async () => {
    const admin = await loggedInClient(t, 'admin');
    const reviewer = await loggedInClient(t, 'reviewer');
    expect((await reviewer.request('GET', '/api/auth/policy')).status).toBe(404);
    const invalid = await admin.request('PUT', '/api/auth/policy/analyst', {
      requireWebauthn: false,
      allowTotp: false,
    });
    expect(invalid.json.error.code).toBe('SVD_HTTP_VALIDATION');

    // An analyst enrolled with the app only, before the policy.
    const analystName = `pol-${Math.random().toString(36).slice(2, 8)}`;
    const analyst = await loggedInClient(t, 'analyst', analystName);
    const set = await admin.request('PUT', '/api/auth/policy/analyst', {
      requireWebauthn: true,
      allowTotp: false,
    });
    expect(set.json.policy).toEqual({ role: 'analyst', requireWebauthn: true, allowTotp: false });
    const policies = await admin.request('GET', '/api/auth/policy');
    expect(policies.json.items).toContainEqual({ role: 'analyst', requireWebauthn: true, allowTotp: false });
    expect(policies.json.items).toContainEqual({ role: 'admin', requireWebauthn: false, allowTotp: true });

    // Next sign-in: the app code (the only factor the account has) leads to key enrolment, nothing else.
    const { client, stage } = await passwordStep(t, analystName);
    expect(stage).toBe('totp');
    const enrolling = await client.request('POST', '/api/auth/totp', {
      code: currentTotp(analyst.totpSecret!, Date.now() + TOTP_PERIOD * 1000),
    });
    expect(enrolling.json.stage).toBe('webauthn_enrol');
    expect((await client.request('GET', '/api/users')).json.error.code).toBe('SVD_AUTH_STAGE');
    const authenticator = new SoftwareAuthenticator();
    const enrolled = await registerKey(client, authenticator, 'Required key');
    expect(enrolled.json.stage).toBe('ok');
    expect((await client.request('GET', '/api/auth/me')).json.stage).toBe('ok');
    // Administrators see who has keys before requiring them of more roles.
    const listed = (await admin.request('GET', '/api/users')).json.items.find(
      (user: { username: string }) => user.username === analystName,
    );
    expect(listed).toMatchObject({ totpEnabled: true, securityKeys: 1 });

    // Now the key is the way in; app codes are refused, a recovery code still works.
    const { client: again, stage: keyStage } = await passwordStep(t, analystName);
    expect(keyStage).toBe('webauthn');
    const code = await again.request('POST', '/api/auth/totp', {
      code: currentTotp(analyst.totpSecret!, Date.now() + 2 * TOTP_PERIOD * 1000),
    });
    expect(code.json.error.code).toBe('SVD_AUTH_TOTP_NOT_ALLOWED');
    expect((await again.request('GET', '/api/auth/factors')).json).toMatchObject({
      totpAllowed: false,
      requireWebauthn: true,
    });
    expect((await signInWithKey(again, authenticator)).json.stage).toBe('ok');

    // The last key cannot go while the role requires one; with a second key, one may.
    const [only] = (await again.request('GET', '/api/auth/webauthn/keys')).json.items;
    const refused = await again.request('POST', `/api/auth/webauthn/keys/${only.id}/remove`, {
      currentPassword: PASSWORD,
    });
    expect(refused.json.error.code).toBe('SVD_AUTH_LAST_FACTOR');
    expect((await registerKey(again, authenticator, 'Spare key', PASSWORD)).status).toBe(200);
    const removed = await again.request('POST', `/api/auth/webauthn/keys/${only.id}/remove`, {
      currentPassword: PASSWORD,
    });
    expect(removed.status).toBe(204);

    const changes = await t.runtime.audit.list({ action: 'auth.policy.change', limit: 5 });
    expect(changes[0]?.details).toMatchObject({ after: { requireWebauthn: true, allowTotp: false } });
  });

  it('enrols a newcomer of a role that requires keys with a key, and gives recovery codes', async () => {
    const admin = await loggedInClient(t, 'admin');
    await admin.request('PUT', '/api/auth/policy/reviewer', { requireWebauthn: true, allowTotp: true });
    const { user, oneTimePassword } = await t.runtime.auth.createUser(
      { type: 'system', label: 'test' },
      { username: 'key-newcomer', displayName: 'K', role: 'reviewer' },
    );
    const client = await anonymousClient(t.app);
    await client.request('POST', '/api/auth/login', { username: 'key-newcomer', password: oneTimePassword });
    const changed = await client.request('POST', '/api/auth/password', {
      currentPassword: oneTimePassword,
      newPassword: PASSWORD,
    });
    expect(changed.json.stage).toBe('webauthn_enrol');
    const authenticator = new SoftwareAuthenticator();
    const enrolled = await registerKey(client, authenticator, 'First key');
    expect(enrolled.json.stage).toBe('ok');
    expect(enrolled.json.recoveryCodes).toHaveLength(10);

    // An administrator's 2FA reset removes the keys too: the user enrols again.
    await admin.request('POST', `/api/users/${user.id}/reset-2fa`, {});
    const keys = await sql<{
      n: number;
    }>`select count(*)::int as n from webauthn_credentials where user_id = ${user.id}`.execute(
      ctx.database.db,
    );
    expect(keys.rows[0]!.n).toBe(0);
    const { stage } = await passwordStep(t, 'key-newcomer');
    expect(stage).toBe('webauthn_enrol');
  });
});

describeEachDatabase('security keys without a public address', (ctx) => {
  const t = useTestApp(ctx);

  it('are unavailable at an address other than localhost', async () => {
    const client = await loggedInClient(t, 'analyst');
    const elsewhere = { host: 'sviedka.example.org' };
    const factors = await client.request('GET', '/api/auth/factors', undefined, elsewhere);
    expect(factors.json.webauthnAvailable).toBe(false);
    const options = await client.request(
      'POST',
      '/api/auth/webauthn/register/options',
      { currentPassword: PASSWORD },
      elsewhere,
    );
    expect(options.json.error.code).toBe('SVD_AUTH_WEBAUTHN_UNAVAILABLE');
  });
});
