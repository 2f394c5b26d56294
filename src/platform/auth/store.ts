/** SQL for accounts, sessions, login throttling, security keys, role policies, API keys and access grants. */
import {
  type Generated,
  type Insertable,
  type Kysely,
  type Selectable,
  sql,
  type Transaction,
  type Updateable,
} from 'kysely';
import type { AnyDb } from '../db/database.js';
import type { ApiKeyScope, Locale, Role, SessionStage } from './model.js';

export type UsersTable = {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string | null;
  must_change_password: boolean;
  totp_secret: Buffer | null;
  totp_enabled: boolean;
  totp_pending_secret: Buffer | null;
  totp_last_step: number | null;
  locale: Locale;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  disabled_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
};

export type SessionsTable = {
  token_hash: string;
  user_id: string;
  stage: SessionStage;
  csrf_token: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
};

export type ApiKeysTable = {
  id: string;
  name: string;
  organization: string;
  prefix: string;
  secret_hash: string;
  scopes: ApiKeyScope[];
  created_by: string | null;
  created_at: Generated<Date>;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
};

export type WebauthnCredentialsTable = {
  id: string;
  user_id: string;
  credential_hash: string;
  credential_id: Buffer;
  public_key: Buffer;
  counter: Generated<string | number>;
  transports: string[];
  device_type: 'singleDevice' | 'multiDevice';
  backed_up: boolean;
  name: Buffer;
  created_at: Generated<Date>;
  last_used_at: Date | null;
};

export type WebauthnChallengePurpose = 'register' | 'authenticate';

export type AuthTables = {
  webauthn_credentials: WebauthnCredentialsTable;
  webauthn_challenges: {
    session_hash: string;
    purpose: WebauthnChallengePurpose;
    challenge: string;
    expires_at: Date;
  };
  auth_role_policy: {
    role: string;
    require_webauthn: boolean;
    allow_totp: boolean;
    updated_by: string | null;
    updated_at: Generated<Date>;
  };
  users: UsersTable;
  user_recovery_codes: { user_id: string; code_hash: string; used_at: Date | null };
  login_throttle: { name_hash: string; failures: number; locked_until: Date | null; updated_at: Date };
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  access_grants: {
    principal_type: 'user' | 'apikey';
    principal_id: string;
    resource_type: string;
    resource_id: string;
    granted_by: string | null;
    granted_at: Generated<Date>;
  };
  app_meta: { key: string; value: unknown; updated_at: Generated<Date> };
};

type Executor = Kysely<AuthTables> | Transaction<AuthTables>;

export class AuthStore {
  readonly db: Kysely<AuthTables>;
  constructor(db: AnyDb) {
    this.db = db.withTables<AuthTables>();
  }

  transaction<T>(work: (trx: Transaction<AuthTables>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  // Users

  userById(id: string, executor: Executor = this.db) {
    return executor.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  userByName(username: string, executor: Executor = this.db) {
    return executor.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  }

  /** Every user, with how many security keys each has registered. */
  listUsers() {
    return this.db
      .selectFrom('users')
      .selectAll('users')
      .select((eb) =>
        eb
          .selectFrom('webauthn_credentials')
          .select((inner) => inner.fn.countAll<string>().as('n'))
          .whereRef('webauthn_credentials.user_id', '=', 'users.id')
          .as('security_keys'),
      )
      .orderBy('username')
      .execute();
  }

  async countUsers(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  insertUser(trx: Executor, user: Insertable<UsersTable>) {
    return trx.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow();
  }

  updateUser(trx: Executor, id: string, changes: Updateable<UsersTable>) {
    return trx
      .updateTable('users')
      .set({ ...changes, updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }

  /** Locks a user's row until the transaction ends (serializes changes to the user's factors). */
  async lockUser(trx: Transaction<AuthTables>, id: string): Promise<void> {
    await trx.selectFrom('users').select('id').where('id', '=', id).forUpdate().execute();
  }

  /**
   * Reserves one login attempt atomically: counts it as failed in advance and sets the lock when it
   * is the last allowed one. Returns false when the account is locked. Parallel guesses therefore
   * cannot exceed the limit; a success resets the count afterwards.
   */
  async reserveAttempt(id: string, max: number, lockUntil: Date): Promise<boolean> {
    const result = await sql<{ id: string }>`update users set
        failed_logins = failed_logins + 1,
        locked_until = case when failed_logins + 1 >= ${max} then ${lockUntil}::timestamptz else locked_until end,
        updated_at = now()
      where id = ${id} and (locked_until is null or locked_until <= now())
      returning id`.execute(this.db);
    return result.rows.length === 1;
  }

  /** Records a TOTP time step as used; false when it (or a later one) was already used (replay). */
  async claimTotpStep(trx: Executor, id: string, step: number): Promise<boolean> {
    const result = await trx
      .updateTable('users')
      .set({ totp_last_step: step })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Counts one failed login; locks the account once `max` is reached. Returns the new state. */
  recordUserFailure(trx: Executor, id: string, max: number, lockUntil: Date) {
    return trx
      .updateTable('users')
      .set((eb) => ({
        failed_logins: eb('failed_logins', '+', 1),
        locked_until: eb
          .case()
          .when('failed_logins', '>=', max - 1)
          .then(lockUntil)
          .else(eb.ref('locked_until'))
          .end(),
      }))
      .where('id', '=', id)
      .returning(['failed_logins', 'locked_until'])
      .executeTakeFirst();
  }

  // Throttle for unknown names

  throttleFor(nameHash: string) {
    return this.db
      .selectFrom('login_throttle')
      .selectAll()
      .where('name_hash', '=', nameHash)
      .executeTakeFirst();
  }

  async recordNameFailure(nameHash: string, max: number, lockUntil: Date): Promise<void> {
    await sql`insert into login_throttle (name_hash, failures, locked_until, updated_at)
      values (${nameHash}, 1, null, now())
      on conflict (name_hash) do update set
        failures = login_throttle.failures + 1,
        locked_until = case when login_throttle.failures + 1 >= ${max} then ${lockUntil}::timestamptz else login_throttle.locked_until end,
        updated_at = now()`.execute(this.db);
  }

  async clearNameFailures(nameHash: string): Promise<void> {
    await this.db.deleteFrom('login_throttle').where('name_hash', '=', nameHash).execute();
  }

  // Recovery codes

  async replaceRecoveryCodes(trx: Executor, userId: string, hashes: string[]): Promise<void> {
    await trx.deleteFrom('user_recovery_codes').where('user_id', '=', userId).execute();
    if (hashes.length) {
      await trx
        .insertInto('user_recovery_codes')
        .values(hashes.map((code_hash) => ({ user_id: userId, code_hash, used_at: null })))
        .execute();
    }
  }

  /** Marks an unused recovery code used; true when one was. */
  async consumeRecoveryCode(trx: Executor, userId: string, hash: string): Promise<boolean> {
    const result = await trx
      .updateTable('user_recovery_codes')
      .set({ used_at: new Date() })
      .where('user_id', '=', userId)
      .where('code_hash', '=', hash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async countUnusedRecoveryCodes(userId: string, executor: Executor = this.db): Promise<number> {
    const row = await executor
      .selectFrom('user_recovery_codes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  // Security keys (WebAuthn)

  credentialsOf(userId: string, executor: Executor = this.db) {
    return executor
      .selectFrom('webauthn_credentials')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute();
  }

  async countCredentials(userId: string, executor: Executor = this.db): Promise<number> {
    const row = await executor
      .selectFrom('webauthn_credentials')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  credentialByHash(userId: string, credentialHash: string, executor: Executor = this.db) {
    return executor
      .selectFrom('webauthn_credentials')
      .selectAll()
      .where('user_id', '=', userId)
      .where('credential_hash', '=', credentialHash)
      .executeTakeFirst();
  }

  /** Inserts a credential; false when the same credential is registered already (to anyone). */
  async insertCredential(trx: Executor, row: Insertable<WebauthnCredentialsTable>): Promise<boolean> {
    const result = await trx
      .insertInto('webauthn_credentials')
      .values({ ...row, transports: sql`${sql.val(row.transports)}::text[]` as unknown as string[] })
      .onConflict((oc) => oc.column('credential_hash').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /**
   * Records a use: the new signature counter (only forward, so two racing uses of a cloned key cannot
   * both pass) and the time. False when the counter did not move forward.
   */
  async recordCredentialUse(trx: Executor, id: string, counter: number, at: Date): Promise<boolean> {
    // Keys that keep no counter (most passkeys) always answer 0; that stays acceptable.
    const result = await sql<{ id: string }>`update webauthn_credentials
      set counter = ${counter}, last_used_at = ${at}
      where id = ${id} and (counter < ${counter} or (counter = 0 and ${counter}::bigint = 0))
      returning id`.execute(trx);
    return result.rows.length === 1;
  }

  async renameCredential(trx: Executor, userId: string, id: string, name: Buffer): Promise<boolean> {
    const result = await trx
      .updateTable('webauthn_credentials')
      .set({ name })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async deleteCredential(trx: Executor, userId: string, id: string): Promise<boolean> {
    const result = await trx
      .deleteFrom('webauthn_credentials')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  async deleteCredentialsOf(trx: Executor, userId: string): Promise<void> {
    await trx.deleteFrom('webauthn_credentials').where('user_id', '=', userId).execute();
  }

  // Ceremony challenges

  /** Stores a session's challenge for `purpose`, replacing an earlier one. */
  async putChallenge(
    sessionHash: string,
    purpose: WebauthnChallengePurpose,
    challenge: string,
    expiresAt: Date,
  ): Promise<void> {
    await this.db
      .insertInto('webauthn_challenges')
      .values({ session_hash: sessionHash, purpose, challenge, expires_at: expiresAt })
      .onConflict((oc) =>
        oc.columns(['session_hash', 'purpose']).doUpdateSet({ challenge, expires_at: expiresAt }),
      )
      .execute();
  }

  /** Takes a session's challenge (it is deleted whatever follows); undefined when none or expired. */
  async takeChallenge(sessionHash: string, purpose: WebauthnChallengePurpose, now: Date) {
    const row = await this.db
      .deleteFrom('webauthn_challenges')
      .where('session_hash', '=', sessionHash)
      .where('purpose', '=', purpose)
      .returning(['challenge', 'expires_at'])
      .executeTakeFirst();
    return row && new Date(row.expires_at) > now ? row.challenge : undefined;
  }

  // Sign-in policy per role

  rolePolicies() {
    return this.db.selectFrom('auth_role_policy').selectAll().execute();
  }

  rolePolicy(role: string, executor: Executor = this.db) {
    return executor.selectFrom('auth_role_policy').selectAll().where('role', '=', role).executeTakeFirst();
  }

  async setRolePolicy(
    trx: Executor,
    policy: { role: string; require_webauthn: boolean; allow_totp: boolean; updated_by: string | null },
  ): Promise<void> {
    await trx
      .insertInto('auth_role_policy')
      .values(policy)
      .onConflict((oc) =>
        oc.column('role').doUpdateSet({
          require_webauthn: policy.require_webauthn,
          allow_totp: policy.allow_totp,
          updated_by: policy.updated_by,
          updated_at: new Date(),
        }),
      )
      .execute();
  }

  // Sessions

  insertSession(trx: Executor, session: SessionsTable) {
    return trx.insertInto('sessions').values(session).execute();
  }

  sessionByHash(tokenHash: string) {
    return this.db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  }

  async touchSession(tokenHash: string, at: Date): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ last_seen_at: at })
      .where('token_hash', '=', tokenHash)
      .execute();
  }

  async deleteSession(trx: Executor, tokenHash: string): Promise<void> {
    await trx.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  }

  async deleteUserSessions(trx: Executor, userId: string): Promise<void> {
    await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }

  async deleteExpiredSessions(now: Date, idleCutoff: Date): Promise<number> {
    const result = await this.db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('expires_at', '<', now), eb('last_seen_at', '<', idleCutoff)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  // API keys

  insertApiKey(trx: Executor, key: Insertable<ApiKeysTable> & { scopes: ApiKeyScope[] }) {
    return trx
      .insertInto('api_keys')
      .values({ ...key, scopes: sql`${sql.val(key.scopes)}::text[]` as unknown as ApiKeyScope[] })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  apiKeyByPrefix(prefix: string) {
    return this.db.selectFrom('api_keys').selectAll().where('prefix', '=', prefix).executeTakeFirst();
  }

  listApiKeys() {
    return this.db.selectFrom('api_keys').selectAll().orderBy('created_at', 'desc').execute();
  }

  revokeApiKey(trx: Executor, id: string) {
    return trx
      .updateTable('api_keys')
      .set({ revoked_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }

  async touchApiKey(id: string): Promise<void> {
    await this.db.updateTable('api_keys').set({ last_used_at: new Date() }).where('id', '=', id).execute();
  }

  // Grants

  async grantedIds(
    principalType: 'user' | 'apikey',
    principalId: string,
    resourceType: string,
    ids: string[],
  ) {
    if (ids.length === 0) return new Set<string>();
    const rows = await this.db
      .selectFrom('access_grants')
      .select('resource_id')
      .where('principal_type', '=', principalType)
      .where('principal_id', '=', principalId)
      .where('resource_type', '=', resourceType)
      .where('resource_id', 'in', ids)
      .execute();
    return new Set(rows.map((row) => row.resource_id));
  }

  async allGrantedIds(principalType: 'user' | 'apikey', principalId: string, resourceType: string) {
    const rows = await this.db
      .selectFrom('access_grants')
      .select('resource_id')
      .where('principal_type', '=', principalType)
      .where('principal_id', '=', principalId)
      .where('resource_type', '=', resourceType)
      .execute();
    return rows.map((row) => row.resource_id);
  }

  async insertGrant(trx: Executor, grant: Insertable<AuthTables['access_grants']>): Promise<boolean> {
    const result = await trx
      .insertInto('access_grants')
      .values(grant)
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async deleteGrant(
    trx: Executor,
    grant: Omit<Selectable<AuthTables['access_grants']>, 'granted_by' | 'granted_at'>,
  ): Promise<boolean> {
    const result = await trx
      .deleteFrom('access_grants')
      .where('principal_type', '=', grant.principal_type)
      .where('principal_id', '=', grant.principal_id)
      .where('resource_type', '=', grant.resource_type)
      .where('resource_id', '=', grant.resource_id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  listGrants(resourceType?: string, resourceId?: string) {
    let query = this.db.selectFrom('access_grants').selectAll();
    if (resourceType) query = query.where('resource_type', '=', resourceType);
    if (resourceId) query = query.where('resource_id', '=', resourceId);
    return query.orderBy('granted_at').execute();
  }
}

/** A user row as read. */
export type UserRow = Selectable<UsersTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type CredentialRow = Selectable<WebauthnCredentialsTable>;
