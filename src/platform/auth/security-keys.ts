/**
 * Security keys and passkeys (WebAuthn): registration and sign-in ceremonies, and a user's own list
 * of keys. The verifier is `@simplewebauthn/server`, loaded on first use (no start-up pays for it).
 *
 * - Challenges live on the server (webauthn_challenges), one per session and purpose, taken by their
 *   first use and refused after CHALLENGE_SECONDS. They are bound to the session that asked: the
 *   sign-in attempt (stage `webauthn`) or the signed-in session adding a key.
 * - The relying party is the server's public address (setting publicUrl): its host name is the rpID
 *   and its origin the only origin a key's answer may come from, which is what defeats phishing
 *   proxies. Without publicUrl, only http://localhost works (development and browser tests).
 * - Credential ids, public keys and names are encrypted at rest, bound to their row; a keyed hash of
 *   the credential id finds the row.
 */
import { randomUUID } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  AuthenticatorTransport,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { AuditService } from '../audit/service.js';
import type { KeyRing } from '../crypto.js';
import { AppError } from '../errors.js';
import { rolesRequiringTotp, type SecondFactors, type SecurityKey, type SessionStage } from './model.js';
import { generateRecoveryCodes, hashRecoveryCode } from './secrets.js';
import type { AuthService, IssuedSession, SessionInfo } from './service.js';
import type { AuthStore, CredentialRow, WebauthnChallengePurpose } from './store.js';

const CHALLENGE_SECONDS = 300;
const RP_NAME = 'Sviedka';

export interface RelyingParty {
  id: string;
  origin: string;
}

/**
 * The relying party for a request: from publicUrl when set; otherwise only a request addressed to
 * `localhost` (whose origin no other site can take), else undefined.
 */
export function relyingPartyFor(
  publicUrl: string | undefined,
  host: string | undefined,
): RelyingParty | undefined {
  if (publicUrl) {
    const url = new URL(publicUrl);
    return { id: url.hostname, origin: url.origin };
  }
  const local = /^localhost(:\d{1,5})?$/i.exec(host ?? '');
  return local ? { id: 'localhost', origin: `http://localhost${local[1] ?? ''}` } : undefined;
}

const loadVerifier = () => import('@simplewebauthn/server');

export class SecurityKeyService {
  constructor(
    private readonly store: AuthStore,
    private readonly audit: AuditService,
    private readonly keys: KeyRing,
    private readonly auth: AuthService,
    private readonly publicUrl: string | undefined,
  ) {}

  #relyingParty(host: string | undefined): RelyingParty {
    const party = relyingPartyFor(this.publicUrl, host);
    if (!party) throw new AppError('SVD_AUTH_WEBAUTHN_UNAVAILABLE');
    return party;
  }

  #credentialHash(credentialId: string): string {
    return this.keys.lookupHash('lookup', `webauthn:${credentialId}`);
  }

  #credentialId(row: CredentialRow): string {
    return this.keys.decryptFieldText(row.credential_id, `webauthn_credentials.credential_id:${row.id}`);
  }

  /** A key as the browser is told of it (to exclude at registration, to allow at sign-in). */
  #descriptor(row: CredentialRow): { id: string; transports: AuthenticatorTransport[] } {
    return { id: this.#credentialId(row), transports: row.transports as AuthenticatorTransport[] };
  }

  /** The ceremony's challenge, kept server-side for this session and purpose until it expires. */
  #keepChallenge(session: SessionInfo, purpose: WebauthnChallengePurpose, challenge: string): Promise<void> {
    return this.store.putChallenge(
      session.tokenHash,
      purpose,
      challenge,
      new Date(Date.now() + CHALLENGE_SECONDS * 1000),
    );
  }

  #toKey(row: CredentialRow): SecurityKey {
    return {
      id: row.id,
      name: this.keys.decryptFieldText(row.name, `webauthn_credentials.name:${row.id}`),
      transports: row.transports,
      passkey: row.device_type === 'multiDevice',
      createdAt: new Date(row.created_at).toISOString(),
      lastUsedAt: row.last_used_at ? new Date(row.last_used_at).toISOString() : null,
    };
  }

  #actor(session: SessionInfo) {
    return { type: 'user' as const, id: session.user.id, label: session.user.username };
  }

  /** What the session's user may use as a second factor, and whether this address can use keys. */
  async factors(session: SessionInfo, host: string | undefined): Promise<SecondFactors> {
    const user = session.user;
    const policy = await this.auth.policyFor(user.role);
    return {
      securityKeys: await this.store.countCredentials(user.id),
      webauthnAvailable: relyingPartyFor(this.publicUrl, host) !== undefined,
      totpEnrolled: user.totp_enabled,
      totpAllowed: policy.allowTotp,
      requireWebauthn: policy.requireWebauthn,
      recoveryCodesLeft: await this.store.countUnusedRecoveryCodes(user.id),
    };
  }

  async list(session: SessionInfo): Promise<SecurityKey[]> {
    this.#requireStage(session, ['ok']);
    return (await this.store.credentialsOf(session.user.id)).map((row) => this.#toKey(row));
  }

  #requireStage(session: SessionInfo, stages: SessionStage[]): void {
    if (!stages.includes(session.stage)) throw new AppError('SVD_AUTH_STAGE');
  }

  // Registration

  /**
   * Starts adding a key. Signed in, the current password is asked again (a stolen session alone must
   * not bind the attacker's key to the account); during enrolment the password was just proven.
   */
  async registrationOptions(session: SessionInfo, host: string | undefined, currentPassword?: string) {
    this.#requireStage(session, ['ok', 'totp_enrol', 'webauthn_enrol']);
    const party = this.#relyingParty(host);
    if (session.stage === 'ok') {
      if (!currentPassword)
        throw new AppError('SVD_HTTP_VALIDATION', { message: 'Give your current password to add a key.' });
      await this.auth.confirmPassword(session, currentPassword);
    }
    const { generateRegistrationOptions } = await loadVerifier();
    const existing = await this.store.credentialsOf(session.user.id);
    const options = await generateRegistrationOptions({
      rpName: RP_NAME,
      rpID: party.id,
      userName: session.user.username,
      userDisplayName: session.user.display_name,
      userID: new Uint8Array(Buffer.from(session.user.id.replaceAll('-', ''), 'hex')),
      attestationType: 'none',
      excludeCredentials: existing.map((row) => this.#descriptor(row)),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
      timeout: CHALLENGE_SECONDS * 1000,
    });
    await this.#keepChallenge(session, 'register', options.challenge);
    return options;
  }

  /**
   * Finishes adding a key. An account without recovery codes gets ten (shown once). During enrolment
   * the session moves on to the application.
   */
  async register(
    session: SessionInfo,
    host: string | undefined,
    name: string,
    response: RegistrationResponseJSON,
  ): Promise<{ key: SecurityKey; recoveryCodes?: string[]; issued?: IssuedSession }> {
    this.#requireStage(session, ['ok', 'totp_enrol', 'webauthn_enrol']);
    const party = this.#relyingParty(host);
    const challenge = await this.store.takeChallenge(session.tokenHash, 'register', new Date());
    if (!challenge) throw new AppError('SVD_AUTH_WEBAUTHN_CHALLENGE');
    const { verifyRegistrationResponse } = await loadVerifier();
    const user = session.user;
    let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
    try {
      verified = await verifyRegistrationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: party.origin,
        expectedRPID: party.id,
        requireUserVerification: false,
      });
    } catch {
      verified = { verified: false };
    }
    if (!verified.verified) {
      await this.audit.record({
        actor: this.#actor(session),
        action: 'auth.webauthn.register',
        outcome: 'failed',
      });
      throw new AppError('SVD_AUTH_WEBAUTHN_FAILED');
    }
    const info = verified.registrationInfo;
    const id = randomUUID();
    return this.store.transaction(async (trx) => {
      const inserted = await this.store.insertCredential(trx, {
        id,
        user_id: user.id,
        credential_hash: this.#credentialHash(info.credential.id),
        credential_id: this.keys.encryptField(info.credential.id, `webauthn_credentials.credential_id:${id}`),
        public_key: this.keys.encryptField(
          info.credential.publicKey,
          `webauthn_credentials.public_key:${id}`,
        ),
        counter: info.credential.counter,
        transports: info.credential.transports ?? [],
        device_type: info.credentialDeviceType,
        backed_up: info.credentialBackedUp,
        name: this.keys.encryptField(name, `webauthn_credentials.name:${id}`),
      });
      if (!inserted) throw new AppError('SVD_AUTH_WEBAUTHN_REGISTERED');
      let recoveryCodes: string[] | undefined;
      if ((await this.store.countUnusedRecoveryCodes(user.id, trx)) === 0) {
        recoveryCodes = generateRecoveryCodes();
        await this.store.replaceRecoveryCodes(trx, user.id, recoveryCodes.map(hashRecoveryCode));
      }
      const issued =
        session.stage === 'ok'
          ? undefined
          : await this.auth.replaceSession(trx, user, 'ok', session.tokenHash);
      await this.audit.record(
        {
          actor: this.#actor(session),
          action: 'auth.webauthn.register',
          target: { type: 'security_key', id },
          details: {
            passkey: info.credentialDeviceType === 'multiDevice',
            transports: info.credential.transports ?? [],
            userVerified: info.userVerified,
            newRecoveryCodes: recoveryCodes !== undefined,
          },
        },
        trx,
      );
      const row = (await this.store.credentialsOf(user.id, trx)).find((candidate) => candidate.id === id)!;
      return {
        key: this.#toKey(row),
        ...(recoveryCodes ? { recoveryCodes } : {}),
        ...(issued ? { issued } : {}),
      };
    });
  }

  // Sign-in

  /** Starts the second factor with a key (stage `webauthn`): the challenge and the user's keys. */
  async authenticationOptions(session: SessionInfo, host: string | undefined) {
    this.#requireStage(session, ['webauthn']);
    const party = this.#relyingParty(host);
    const { generateAuthenticationOptions } = await loadVerifier();
    const credentials = await this.store.credentialsOf(session.user.id);
    const options = await generateAuthenticationOptions({
      rpID: party.id,
      allowCredentials: credentials.map((row) => this.#descriptor(row)),
      userVerification: 'preferred',
      timeout: CHALLENGE_SECONDS * 1000,
    });
    await this.#keepChallenge(session, 'authenticate', options.challenge);
    return options;
  }

  /**
   * Checks a key's answer and completes the sign-in. The answer must sign this session's challenge, come
   * from the relying party's origin, name one of the user's own keys, and move its signature counter
   * forward (a counter going back means a cloned key: refused and audited).
   */
  async authenticate(
    session: SessionInfo,
    host: string | undefined,
    response: AuthenticationResponseJSON,
    deviceCookie: string | undefined,
  ): Promise<IssuedSession> {
    this.#requireStage(session, ['webauthn']);
    const party = this.#relyingParty(host);
    const challenge = await this.store.takeChallenge(session.tokenHash, 'authenticate', new Date());
    if (!challenge) throw new AppError('SVD_AUTH_WEBAUTHN_CHALLENGE');
    const { verifyAuthenticationResponse } = await loadVerifier();
    const user = session.user;
    return this.auth.completeSecondFactor(
      session,
      'auth.webauthn',
      deviceCookie,
      async (trx) => {
        const row = await this.store.credentialByHash(user.id, this.#credentialHash(response.id), trx);
        if (!row) return null;
        let result: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
        try {
          result = await verifyAuthenticationResponse({
            response,
            expectedChallenge: challenge,
            expectedOrigin: party.origin,
            expectedRPID: party.id,
            requireUserVerification: false,
            credential: {
              id: this.#credentialId(row),
              publicKey: new Uint8Array(
                this.keys.decryptField(row.public_key, `webauthn_credentials.public_key:${row.id}`),
              ),
              counter: Number(row.counter),
              transports: row.transports as AuthenticatorTransport[],
            },
          });
        } catch (error) {
          if (/counter/i.test((error as Error).message)) await this.#auditClone(session, row.id, trx);
          return null;
        }
        if (!result.verified) return null;
        const moved = await this.store.recordCredentialUse(
          trx,
          row.id,
          result.authenticationInfo.newCounter,
          new Date(),
        );
        if (!moved) {
          await this.#auditClone(session, row.id, trx);
          return null;
        }
        return 'webauthn';
      },
      new AppError('SVD_AUTH_WEBAUTHN_FAILED'),
    );
  }

  async #auditClone(session: SessionInfo, keyId: string, trx: Parameters<AuditService['record']>[1]) {
    await this.audit.record(
      {
        actor: this.#actor(session),
        action: 'auth.webauthn',
        outcome: 'denied',
        target: { type: 'security_key', id: keyId },
        details: { reason: 'signature counter went back: the key may have been cloned' },
      },
      trx,
    );
  }

  // The user's own keys

  async rename(session: SessionInfo, id: string, name: string): Promise<SecurityKey> {
    this.#requireStage(session, ['ok']);
    return this.store.transaction(async (trx) => {
      const renamed = await this.store.renameCredential(
        trx,
        session.user.id,
        id,
        this.keys.encryptField(name, `webauthn_credentials.name:${id}`),
      );
      if (!renamed) throw new AppError('SVD_HTTP_NOT_FOUND');
      await this.audit.record(
        { actor: this.#actor(session), action: 'auth.webauthn.rename', target: { type: 'security_key', id } },
        trx,
      );
      const row = (await this.store.credentialsOf(session.user.id, trx)).find(
        (candidate) => candidate.id === id,
      )!;
      return this.#toKey(row);
    });
  }

  /**
   * Removes a key after the current password is given again. The last key cannot go while the role
   * requires one, nor while it is the account's only second factor.
   */
  async remove(session: SessionInfo, id: string, currentPassword: string): Promise<void> {
    this.#requireStage(session, ['ok']);
    await this.auth.confirmPassword(session, currentPassword);
    const user = session.user;
    const policy = await this.auth.policyFor(user.role);
    await this.store.transaction(async (trx) => {
      // Two removals at once must not both see "one more key left".
      await this.store.lockUser(trx, user.id);
      const keys = await this.store.credentialsOf(user.id, trx);
      if (!keys.some((row) => row.id === id)) throw new AppError('SVD_HTTP_NOT_FOUND');
      const fresh = await this.store.userById(user.id, trx);
      if (keys.length === 1) {
        if (policy.requireWebauthn) throw new AppError('SVD_AUTH_LAST_FACTOR');
        if (rolesRequiringTotp.includes(user.role) && !fresh?.totp_enabled)
          throw new AppError('SVD_AUTH_LAST_FACTOR', {
            message:
              'This key is your only second factor: set up the authenticator app or add another key first.',
          });
      }
      await this.store.deleteCredential(trx, user.id, id);
      await this.audit.record(
        {
          actor: this.#actor(session),
          action: 'auth.webauthn.remove',
          target: { type: 'security_key', id },
          details: { keysLeft: keys.length - 1 },
        },
        trx,
      );
    });
  }
}
