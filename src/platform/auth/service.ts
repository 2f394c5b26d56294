/**
 * Accounts and sessions: login with lockout, first-login password change, TOTP enrolment and
 * verification, the second-factor step shared with security keys (security-keys.ts), server-side
 * sessions with idle and absolute timeouts, user administration, API keys for partner organizations.
 * Every decision that matters is audited.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Transaction, Updateable } from 'kysely';
import type { AuditService } from '../audit/service.js';
import type { Config } from '../config.js';
import { constantTimeEqual, type KeyRing, randomToken } from '../crypto.js';
import { AppError } from '../errors.js';
import {
  type ApiKey,
  type ApiKeyScope,
  type EffectivePolicy,
  type Locale,
  type Principal,
  policyOf,
  type Role,
  rolesRequiringTotp,
  type SessionStage,
  type User,
} from './model.js';
import {
  checkTotp,
  generateOneTimePassword,
  generateRecoveryCodes,
  generateTotpSecret,
  hashPassword,
  hashRecoveryCode,
  totpEnrolment,
  verifyDummy,
  verifyPassword,
} from './secrets.js';
import type { SignInGuard } from './sign-in-guard.js';
import type { ApiKeyRow, AuthStore, AuthTables, UserRow, UsersTable } from './store.js';

/** How a second factor was proven (audited). */
export type SecondFactorMethod = 'totp' | 'recovery' | 'webauthn';

export const MIN_PASSWORD_LENGTH = 12;

type AuthConfig = Pick<
  Config,
  'sessionIdleMinutes' | 'sessionAbsoluteHours' | 'loginMaxFailures' | 'lockoutMinutes'
>;

export interface SessionInfo {
  tokenHash: string;
  stage: SessionStage;
  csrfToken: string;
  user: UserRow;
}

/** Where a sign-in comes from: the client's opaque key (see SignInGuard) and its device cookie, if any. */
export interface SignInContext {
  client: string;
  deviceCookie?: string | undefined;
}

export interface IssuedSession {
  token: string;
  stage: SessionStage;
  csrfToken: string;
  user: User;
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Public shape of a user row. */
export function toUser(row: UserRow & { security_keys?: string | number | null }): User {
  return {
    ...(row.security_keys !== undefined ? { securityKeys: Number(row.security_keys ?? 0) } : {}),
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    locale: row.locale,
    totpEnabled: row.totp_enabled,
    mustChangePassword: row.must_change_password,
    disabled: row.disabled_at !== null,
    lockedUntil: row.locked_until && row.locked_until > new Date() ? row.locked_until.toISOString() : null,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

function toApiKey(row: ApiKeyRow): ApiKey {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    id: row.id,
    name: row.name,
    organization: row.organization,
    prefix: row.prefix,
    scopes: row.scopes,
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: iso(row.expires_at),
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
  };
}

function actorOf(principal: Principal) {
  if (principal.type === 'user')
    return { type: 'user' as const, id: principal.id, label: principal.username };
  if (principal.type === 'apikey')
    return {
      type: 'apikey' as const,
      id: principal.id,
      label: `${principal.organization}/${principal.name}`,
    };
  return { type: 'system' as const, label: principal.label };
}

export { actorOf };

/** The purpose a principal gave for this request (API keys must give one for personal data), or null. */
export function purposeOf(principal: Principal): string | null {
  return principal.type === 'system' ? null : (principal.purpose ?? null);
}

/**
 * The stage a user must complete next after proving their password (or changing it): the second factor
 * they have — security keys first —, or enrolment when their role needs one and they have none.
 */
function stageAfterPassword(user: UserRow, securityKeys: number, policy: EffectivePolicy): SessionStage {
  if (user.must_change_password) return 'password_change';
  return stageOfSecondFactor(user, securityKeys, policy);
}

// An enrolled user still proves the second factor after a password change: a one-time password from an
// admin reset alone must never open a full session.
function stageOfSecondFactor(user: UserRow, securityKeys: number, policy: EffectivePolicy): SessionStage {
  if (securityKeys > 0) return 'webauthn';
  if (user.totp_enabled) return 'totp';
  if (rolesRequiringTotp.includes(user.role)) return policy.requireWebauthn ? 'webauthn_enrol' : 'totp_enrol';
  return 'ok';
}

export class AuthService {
  constructor(
    private readonly store: AuthStore,
    private readonly audit: AuditService,
    private readonly keys: KeyRing,
    private readonly config: AuthConfig,
    private readonly guard: SignInGuard,
  ) {}

  // Trusted devices (see SignInGuard)

  /** The sign-in context of a request: its address only as an in-memory opaque key, and its device cookie. */
  signInContext(address: string, deviceCookie: string | undefined): SignInContext {
    return { client: this.guard.clientKey(address), deviceCookie };
  }

  /** A device cookie for a user who completed sign-in in this browser: `<user id>.<nonce>.<mac>`. */
  deviceToken(userId: string): string {
    const nonce = randomToken(16);
    return `${userId}.${nonce}.${this.#deviceMac(userId, nonce)}`;
  }

  #deviceMac(userId: string, nonce: string): string {
    return this.keys.lookupHash('lookup', `device:${userId}:${nonce}`).slice(0, 43);
  }

  /** The device id (nonce) when `cookie` is a good device cookie of `user` that may still skip budgets. */
  #trustedDevice(user: UserRow, cookie: string | undefined): string | undefined {
    if (!cookie || cookie.length > 200) return undefined;
    const [userId, nonce, mac] = cookie.split('.');
    if (userId !== user.id || !nonce || !mac || !constantTimeEqual(mac, this.#deviceMac(userId, nonce)))
      return undefined;
    return this.guard.deviceMayBypass(nonce) ? nonce : undefined;
  }

  /** Refuses a sign-in from a client whose budget (or the global one) is spent; the password is not checked. */
  #throttle(context: SignInContext): void {
    const throttled = this.guard.check(context.client);
    if (throttled)
      throw new AppError('SVD_AUTH_THROTTLED', {
        details: { retryAfterSeconds: throttled.retryAfterSeconds },
      });
  }

  /** Counts a failed sign-in against the budgets; the moment one runs out is audited (once, not per request). */
  async #countFailure(context: SignInContext): Promise<void> {
    const exhausted = this.guard.failed(context.client);
    if (exhausted)
      await this.audit.record({
        actor: { type: 'anonymous' },
        action: 'auth.throttle',
        outcome: 'denied',
        details: { budget: exhausted },
      });
  }

  // Sessions

  async #issueSession(
    trx: Transaction<AuthTables>,
    user: UserRow,
    stage: SessionStage,
    replacing?: string,
  ): Promise<IssuedSession> {
    if (replacing) await this.store.deleteSession(trx, replacing);
    const token = randomToken(32);
    const now = new Date();
    await this.store.insertSession(trx, {
      token_hash: sha256(token),
      user_id: user.id,
      stage,
      csrf_token: randomToken(24),
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + this.config.sessionAbsoluteHours * 3_600_000),
    });
    const session = await trx
      .selectFrom('sessions')
      .select('csrf_token')
      .where('token_hash', '=', sha256(token))
      .executeTakeFirstOrThrow();
    return { token, stage, csrfToken: session.csrf_token, user: toUser(user) };
  }

  /** Resolves a session cookie; undefined when unknown, expired (idle or absolute) or the user is disabled. */
  async session(token: string | undefined): Promise<SessionInfo | undefined> {
    if (!token || token.length > 200) return undefined;
    const tokenHash = sha256(token);
    const row = await this.store.sessionByHash(tokenHash);
    if (!row) return undefined;
    const now = new Date();
    const idleLimit = new Date(
      new Date(row.last_seen_at).getTime() + this.config.sessionIdleMinutes * 60_000,
    );
    if (new Date(row.expires_at) <= now || idleLimit <= now) {
      await this.store.transaction((trx) => this.store.deleteSession(trx, tokenHash));
      return undefined;
    }
    const user = await this.store.userById(row.user_id);
    if (!user || user.disabled_at) return undefined;
    // Writing on every request would make reads expensive; a minute of precision is enough.
    if (now.getTime() - new Date(row.last_seen_at).getTime() > 60_000)
      await this.store.touchSession(tokenHash, now);
    return { tokenHash, stage: row.stage, csrfToken: row.csrf_token, user };
  }

  /**
   * Step 1: user name and password. Outside a trusted device, the global and per-client budgets are
   * checked first and failures lock the account (or the unknown name); a trusted device of the user
   * skips both and has a failure budget of its own, so a lockout by others does not shut the user out.
   */
  async login(usernameRaw: string, password: string, context: SignInContext): Promise<IssuedSession> {
    const username = usernameRaw.trim().toLowerCase();
    const nameHash = this.keys.lookupHash('lookup', `login:${username}`);
    const now = new Date();
    const lockUntil = new Date(now.getTime() + this.config.lockoutMinutes * 60_000);
    const user = username ? await this.store.userByName(username) : undefined;
    // A name that is no account is not written down: it may be a password typed into the wrong field,
    // or the name of someone a copy of the log should not learn was looked for.
    const anonymousActor = { type: 'anonymous' as const, label: null };
    const device = user ? this.#trustedDevice(user, context.deviceCookie) : undefined;
    if (!device) this.#throttle(context);

    if (!user) {
      const throttle = await this.store.throttleFor(nameHash);
      await verifyDummy(password);
      await this.#countFailure(context);
      if (throttle?.locked_until && new Date(throttle.locked_until) > now) {
        await this.audit.record({
          actor: anonymousActor,
          action: 'auth.login',
          outcome: 'denied',
          details: { reason: 'locked' },
        });
        throw new AppError('SVD_AUTH_LOCKED');
      }
      await this.store.recordNameFailure(nameHash, this.config.loginMaxFailures, lockUntil);
      await this.audit.record({
        actor: anonymousActor,
        action: 'auth.login',
        outcome: 'failed',
        details: { reason: 'unknown user' },
      });
      throw new AppError('SVD_AUTH_BAD_CREDENTIALS');
    }

    const actor = { type: 'user' as const, id: user.id, label: user.username };
    if (!device && !(await this.store.reserveAttempt(user.id, this.config.loginMaxFailures, lockUntil))) {
      await verifyDummy(password);
      await this.#countFailure(context);
      await this.audit.record({
        actor,
        action: 'auth.login',
        outcome: 'denied',
        details: { reason: 'locked' },
      });
      throw new AppError('SVD_AUTH_LOCKED');
    }
    const valid = user.password_hash ? await verifyPassword(user.password_hash, password) : false;
    if (!valid || user.disabled_at || user.role === 'partner') {
      if (device) this.guard.deviceFailed(device);
      else await this.#countFailure(context);
      await this.store.transaction(async (trx) => {
        // The attempt was already counted by reserveAttempt.
        const state = await this.store.userById(user.id, trx);
        const locked = !!state?.locked_until && new Date(state.locked_until) > now;
        await this.audit.record(
          {
            actor,
            action: 'auth.login',
            outcome: 'failed',
            details: {
              reason: user.disabled_at
                ? 'disabled'
                : user.role === 'partner'
                  ? 'api-only role'
                  : 'bad password',
              locked,
              ...(device ? { trustedDevice: true } : {}),
            },
          },
          trx,
        );
      });
      throw new AppError('SVD_AUTH_BAD_CREDENTIALS');
    }
    const stage = stageAfterPassword(
      user,
      await this.store.countCredentials(user.id),
      await this.policyFor(user.role),
    );
    return this.store.transaction(async (trx) => {
      // With a second factor still to come, the attempt stays counted until the code is right.
      if (stage !== 'totp' && stage !== 'webauthn')
        await this.store.updateUser(trx, user.id, { failed_logins: 0, locked_until: null });
      const issued = await this.#issueSession(trx, user, stage);
      await this.audit.record(
        { actor, action: 'auth.login', details: { stage, ...(device ? { trustedDevice: true } : {}) } },
        trx,
      );
      if (device) this.guard.deviceSucceeded(device);
      return issued;
    });
  }

  /** The sign-in policy of a role (defaults when an administrator set none). */
  async policyFor(role: Role, executor?: Transaction<AuthTables>): Promise<EffectivePolicy> {
    return policyOf(role, await this.store.rolePolicy(role, executor));
  }

  /**
   * Runs one second-factor check of a sign-in (stage `totp` or `webauthn`) under the lockout rules:
   * outside the user's trusted device the attempt is counted against the account first; on the
   * device, its own failure budget applies. `check` runs in the transaction that issues the next
   * session and answers the method that succeeded, or null (a failure, audited as `action`). After
   * the factor comes the full session, or key enrolment when the role requires a key the user lacks.
   */
  async completeSecondFactor(
    session: SessionInfo,
    action: 'auth.totp' | 'auth.webauthn',
    deviceCookie: string | undefined,
    check: (trx: Transaction<AuthTables>) => Promise<SecondFactorMethod | null>,
    failure: AppError = new AppError('SVD_AUTH_TOTP_INVALID'),
  ): Promise<IssuedSession> {
    if (session.stage !== 'totp' && session.stage !== 'webauthn') throw new AppError('SVD_AUTH_STAGE');
    const user = session.user;
    const actor = { type: 'user' as const, id: user.id, label: user.username };
    const lockUntil = new Date(Date.now() + this.config.lockoutMinutes * 60_000);
    const device = this.#trustedDevice(user, deviceCookie);
    if (!device && !(await this.store.reserveAttempt(user.id, this.config.loginMaxFailures, lockUntil))) {
      await this.audit.record({ actor, action, outcome: 'denied', details: { reason: 'locked' } });
      throw new AppError('SVD_AUTH_LOCKED');
    }
    const issued = await this.store.transaction(async (trx) => {
      const method = await check(trx);
      if (!method) {
        if (device) this.guard.deviceFailed(device);
        await this.audit.record({ actor, action, outcome: 'failed' }, trx);
        return null;
      }
      await this.store.updateUser(trx, user.id, { failed_logins: 0, locked_until: null });
      const policy = await this.policyFor(user.role, trx);
      const keys = await this.store.countCredentials(user.id, trx);
      const next = policy.requireWebauthn && keys === 0 ? 'webauthn_enrol' : 'ok';
      const result = await this.#issueSession(trx, user, next, session.tokenHash);
      await this.audit.record({ actor, action, details: { method, stage: next } }, trx);
      return result;
    });
    if (!issued) throw failure;
    return issued;
  }

  /**
   * Step 2 with a code: a TOTP code or a recovery code. Where the user also has security keys and
   * their role switched codes off, only a recovery code is accepted.
   */
  async verifyTotp(session: SessionInfo, code: string, deviceCookie?: string): Promise<IssuedSession> {
    if (session.stage !== 'totp' && session.stage !== 'webauthn') throw new AppError('SVD_AUTH_STAGE');
    const user = session.user;
    // Without security keys the code is the only factor (it then leads to key enrolment if required).
    const totpAllowed = session.stage === 'totp' || (await this.policyFor(user.role)).allowTotp;
    const secret = user.totp_secret
      ? this.keys.decryptFieldText(user.totp_secret, `users.totp_secret:${user.id}`)
      : null;
    const step = secret ? checkTotp(secret, code.trim()) : null;
    const looksLikeTotp = /^\d{6}$/.test(code.trim());
    if (looksLikeTotp && user.totp_enabled && !totpAllowed) {
      await this.audit.record({
        actor: { type: 'user', id: user.id, label: user.username },
        action: 'auth.totp',
        outcome: 'denied',
        details: { reason: 'codes switched off for the role' },
      });
      throw new AppError('SVD_AUTH_TOTP_NOT_ALLOWED');
    }
    return this.completeSecondFactor(session, 'auth.totp', deviceCookie, async (trx) => {
      if (step !== null && (await this.store.claimTotpStep(trx, user.id, step))) return 'totp';
      if (step === null && (await this.store.consumeRecoveryCode(trx, user.id, hashRecoveryCode(code))))
        return 'recovery';
      return null;
    });
  }

  /**
   * Re-authentication for a sensitive change of one's own account: the current password. A wrong one
   * counts as a failed login (and can lock the account).
   */
  async confirmPassword(session: SessionInfo, password: string): Promise<void> {
    const user = session.user;
    if (!user.password_hash || !(await verifyPassword(user.password_hash, password))) {
      const lockUntil = new Date(Date.now() + this.config.lockoutMinutes * 60_000);
      await this.store.transaction((trx) =>
        this.store.recordUserFailure(trx, user.id, this.config.loginMaxFailures, lockUntil),
      );
      throw new AppError('SVD_AUTH_BAD_CREDENTIALS', { message: 'The current password is wrong.' });
    }
  }

  /** Replaces a session by one at `stage` inside `trx` (security-key enrolment ends its stage this way). */
  replaceSession(trx: Transaction<AuthTables>, user: UserRow, stage: SessionStage, replacing: string) {
    return this.#issueSession(trx, user, stage, replacing);
  }

  /** First-login (or any) password change; needs the current password. Ends the user's other sessions. */
  async changePassword(
    session: SessionInfo,
    currentPassword: string,
    newPassword: string,
  ): Promise<IssuedSession> {
    if (session.stage !== 'password_change' && session.stage !== 'ok') throw new AppError('SVD_AUTH_STAGE');
    const user = session.user;
    await this.confirmPassword(session, currentPassword);
    if ([...newPassword].length < MIN_PASSWORD_LENGTH) throw new AppError('SVD_AUTH_WEAK_PASSWORD');
    if (newPassword === currentPassword) throw new AppError('SVD_AUTH_SAME_PASSWORD');
    const passwordHash = await hashPassword(newPassword);
    return this.store.transaction(async (trx) => {
      const updated = await this.store.updateUser(trx, user.id, {
        password_hash: passwordHash,
        must_change_password: false,
      });
      await this.store.deleteUserSessions(trx, user.id);
      const stage =
        session.stage === 'ok'
          ? 'ok'
          : stageOfSecondFactor(
              updated!,
              await this.store.countCredentials(user.id, trx),
              await this.policyFor(user.role, trx),
            );
      const issued = await this.#issueSession(trx, updated!, stage);
      await this.audit.record(
        { actor: { type: 'user', id: user.id, label: user.username }, action: 'auth.password.change' },
        trx,
      );
      return issued;
    });
  }

  /**
   * Enrolment is for users without 2FA. Replacing an enrolled factor goes through an administrator's
   * reset, so a stolen session cannot bind 2FA to another device.
   */
  async #assertMayEnrol(session: SessionInfo): Promise<void> {
    if (session.stage !== 'totp_enrol' && session.stage !== 'ok') throw new AppError('SVD_AUTH_STAGE');
    if (session.user.totp_enabled) throw new AppError('SVD_AUTH_STAGE');
    if (!(await this.policyFor(session.user.role)).allowTotp) throw new AppError('SVD_AUTH_TOTP_NOT_ALLOWED');
  }

  /** Starts TOTP enrolment: a new pending secret (encrypted at rest) and its QR code. */
  async startTotpEnrolment(session: SessionInfo) {
    await this.#assertMayEnrol(session);
    const secret = generateTotpSecret();
    await this.store.transaction((trx) =>
      this.store.updateUser(trx, session.user.id, {
        totp_pending_secret: this.keys.encryptField(secret, `users.totp_pending_secret:${session.user.id}`),
      }),
    );
    return totpEnrolment(secret, session.user.username);
  }

  /** Confirms enrolment with a code from the app; returns single-use recovery codes (shown once). */
  async confirmTotpEnrolment(session: SessionInfo, code: string) {
    await this.#assertMayEnrol(session);
    const user = (await this.store.userById(session.user.id))!;
    if (!user.totp_pending_secret) throw new AppError('SVD_AUTH_NOT_ENROLLED');
    const secret = this.keys.decryptFieldText(
      user.totp_pending_secret,
      `users.totp_pending_secret:${user.id}`,
    );
    const step = checkTotp(secret, code.trim());
    if (step === null) throw new AppError('SVD_AUTH_TOTP_INVALID');
    const recoveryCodes = generateRecoveryCodes();
    const issued = await this.store.transaction(async (trx) => {
      await this.store.updateUser(trx, user.id, {
        totp_secret: this.keys.encryptField(secret, `users.totp_secret:${user.id}`),
        totp_pending_secret: null,
        totp_enabled: true,
        totp_last_step: step,
      });
      await this.store.replaceRecoveryCodes(trx, user.id, recoveryCodes.map(hashRecoveryCode));
      const result = await this.#issueSession(trx, user, 'ok', session.tokenHash);
      await this.audit.record(
        { actor: { type: 'user', id: user.id, label: user.username }, action: 'auth.totp.enrol' },
        trx,
      );
      return result;
    });
    return { recoveryCodes, issued };
  }

  async logout(session: SessionInfo): Promise<void> {
    await this.store.transaction(async (trx) => {
      await this.store.deleteSession(trx, session.tokenHash);
      await this.audit.record(
        { actor: { type: 'user', id: session.user.id, label: session.user.username }, action: 'auth.logout' },
        trx,
      );
    });
  }

  async setLocale(session: SessionInfo, locale: Locale): Promise<void> {
    await this.store.transaction((trx) => this.store.updateUser(trx, session.user.id, { locale }));
  }

  // User administration (callers are authorized by the route layer; the principal is audited)

  listUsers(): Promise<User[]> {
    return this.store.listUsers().then((rows) => rows.map(toUser));
  }

  /** The user list as an administrator reads it: names and roles of staff, so the read is audited. */
  async listUsersFor(principal: Principal): Promise<User[]> {
    const users = await this.listUsers();
    await this.audit.record({
      actor: actorOf(principal),
      action: 'user.list',
      purpose: purposeOf(principal),
      details: { count: users.length },
    });
    return users;
  }

  /** Creates a user with a one-time password that must be changed at first login. */
  async createUser(
    principal: Principal,
    input: { username: string; displayName: string; role: Role; locale?: Locale },
  ): Promise<{ user: User; oneTimePassword: string }> {
    const oneTimePassword = generateOneTimePassword();
    const passwordHash = await hashPassword(oneTimePassword);
    return this.store.transaction(async (trx) => {
      if (await this.store.userByName(input.username, trx)) throw new AppError('SVD_AUTH_USER_EXISTS');
      const row = await this.store.insertUser(trx, {
        id: randomUUID(),
        username: input.username,
        display_name: input.displayName,
        role: input.role,
        password_hash: passwordHash,
        must_change_password: true,
        totp_secret: null,
        totp_enabled: false,
        totp_pending_secret: null,
        totp_last_step: null,
        locale: input.locale ?? 'be',
        failed_logins: 0,
        locked_until: null,
        disabled_at: null,
      });
      await this.audit.record(
        {
          actor: actorOf(principal),
          action: 'user.create',
          target: { type: 'user', id: row.id },
          details: { username: row.username, role: row.role },
        },
        trx,
      );
      return { user: toUser(row), oneTimePassword };
    });
  }

  async #changeUser(
    principal: Principal,
    id: string,
    action: string,
    changes: Updateable<UsersTable>,
    options: { endSessions?: boolean; details?: Record<string, unknown> } = {},
  ): Promise<User> {
    return this.store.transaction(async (trx) => {
      const updated = await this.store.updateUser(trx, id, changes);
      if (!updated) throw new AppError('SVD_HTTP_NOT_FOUND');
      if (options.endSessions) await this.store.deleteUserSessions(trx, id);
      await this.audit.record(
        { actor: actorOf(principal), action, target: { type: 'user', id }, details: options.details ?? {} },
        trx,
      );
      return toUser(updated);
    });
  }

  updateUser(
    principal: Principal,
    id: string,
    changes: { displayName?: string | undefined; role?: Role | undefined; locale?: Locale | undefined },
  ) {
    const set: Updateable<UsersTable> = {};
    if (changes.displayName !== undefined) set.display_name = changes.displayName;
    if (changes.role !== undefined) set.role = changes.role;
    if (changes.locale !== undefined) set.locale = changes.locale;
    return this.#changeUser(principal, id, changes.role ? 'user.role.change' : 'user.update', set, {
      endSessions: changes.role !== undefined,
      details: { ...changes },
    });
  }

  disableUser(principal: Principal, id: string) {
    if (principal.type === 'user' && principal.id === id)
      throw new AppError('SVD_HTTP_VALIDATION', { message: 'You cannot disable yourself.' });
    return this.#changeUser(
      principal,
      id,
      'user.disable',
      { disabled_at: new Date() },
      { endSessions: true },
    );
  }

  enableUser(principal: Principal, id: string) {
    return this.#changeUser(principal, id, 'user.enable', {
      disabled_at: null,
      failed_logins: 0,
      locked_until: null,
    });
  }

  /** Removes 2FA (authenticator app, security keys, recovery codes): the user enrols again at next login. */
  async resetTotp(principal: Principal, id: string) {
    return this.store.transaction(async (trx) => {
      await this.store.replaceRecoveryCodes(trx, id, []);
      await this.store.deleteCredentialsOf(trx, id);
      const updated = await this.store.updateUser(trx, id, {
        totp_enabled: false,
        totp_secret: null,
        totp_pending_secret: null,
        totp_last_step: null,
      });
      if (!updated) throw new AppError('SVD_HTTP_NOT_FOUND');
      await this.store.deleteUserSessions(trx, id);
      await this.audit.record(
        { actor: actorOf(principal), action: 'user.reset_2fa', target: { type: 'user', id } },
        trx,
      );
      return toUser(updated);
    });
  }

  async resetPassword(principal: Principal, id: string): Promise<{ user: User; oneTimePassword: string }> {
    const oneTimePassword = generateOneTimePassword();
    const passwordHash = await hashPassword(oneTimePassword);
    const user = await this.#changeUser(
      principal,
      id,
      'user.reset_password',
      { password_hash: passwordHash, must_change_password: true, failed_logins: 0, locked_until: null },
      { endSessions: true },
    );
    return { user, oneTimePassword };
  }

  /** Creates the first administrator when there is no user at all; returns its one-time password. */
  async ensureInitialAdmin(): Promise<{ username: string; oneTimePassword: string } | undefined> {
    if ((await this.store.countUsers()) > 0) return undefined;
    const { oneTimePassword } = await this.createUser(
      { type: 'system', label: 'first start' },
      { username: 'admin', displayName: 'Administrator', role: 'admin', locale: 'be' },
    );
    return { username: 'admin', oneTimePassword };
  }

  // API keys

  /** All API keys (partner organizations and what they may do); the read is audited. */
  async listApiKeys(principal: Principal): Promise<ApiKey[]> {
    const keys = (await this.store.listApiKeys()).map(toApiKey);
    await this.audit.record({
      actor: actorOf(principal),
      action: 'apikey.list',
      purpose: purposeOf(principal),
      details: { count: keys.length },
    });
    return keys;
  }

  /** Creates a key; the secret is returned once and only its hash is stored. */
  async createApiKey(
    principal: Principal,
    input: { name: string; organization: string; scopes: ApiKeyScope[]; expiresInDays?: number | undefined },
  ): Promise<{ apiKey: ApiKey; secret: string }> {
    const prefix = randomToken(6).replace(/[-_]/g, 'x').slice(0, 8);
    const secret = `svd_${prefix}_${randomToken(32)}`;
    return this.store.transaction(async (trx) => {
      const row = await this.store.insertApiKey(trx, {
        id: randomUUID(),
        name: input.name,
        organization: input.organization,
        prefix,
        secret_hash: sha256(secret),
        scopes: [...new Set(input.scopes)],
        created_by: principal.type === 'user' ? principal.id : null,
        expires_at: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
      });
      await this.audit.record(
        {
          actor: actorOf(principal),
          action: 'apikey.create',
          target: { type: 'apikey', id: row.id },
          details: { name: row.name, organization: row.organization, scopes: row.scopes },
        },
        trx,
      );
      return { apiKey: toApiKey(row), secret };
    });
  }

  async revokeApiKey(principal: Principal, id: string): Promise<ApiKey> {
    return this.store.transaction(async (trx) => {
      const row = await this.store.revokeApiKey(trx, id);
      if (!row) throw new AppError('SVD_HTTP_NOT_FOUND');
      await this.audit.record(
        { actor: actorOf(principal), action: 'apikey.revoke', target: { type: 'apikey', id } },
        trx,
      );
      return toApiKey(row);
    });
  }

  /** Resolves `Authorization: Bearer svd_<prefix>_<secret>`; throws SVD_AUTH_API_KEY_INVALID. */
  async authenticateApiKey(
    secret: string,
    purpose: string | null,
  ): Promise<Extract<Principal, { type: 'apikey' }>> {
    const match = /^svd_([A-Za-z0-9]{8})_[A-Za-z0-9_-]{20,100}$/.exec(secret);
    const row = match ? await this.store.apiKeyByPrefix(match[1]!) : undefined;
    const valid =
      !!row &&
      constantTimeEqual(row.secret_hash, sha256(secret)) &&
      !row.revoked_at &&
      (!row.expires_at || new Date(row.expires_at) > new Date());
    if (!valid || !row) throw new AppError('SVD_AUTH_API_KEY_INVALID');
    if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > 60_000)
      await this.store.touchApiKey(row.id);
    return {
      type: 'apikey',
      id: row.id,
      name: row.name,
      organization: row.organization,
      scopes: row.scopes,
      purpose,
    };
  }

  /** Housekeeping: removes expired sessions. */
  purgeExpiredSessions(): Promise<number> {
    const now = new Date();
    return this.store.deleteExpiredSessions(
      now,
      new Date(now.getTime() - this.config.sessionIdleMinutes * 60_000),
    );
  }
}
