/**
 * The sign-in policy per staff role: whether a security key (WebAuthn) is required, and whether
 * authenticator-app codes still sign in as a fallback. Administrators set it; every change is audited.
 * It applies at each role member's next sign-in (sessions already open run to their end).
 */
import type { AuditService } from '../audit/service.js';
import { AppError } from '../errors.js';
import {
  type EffectivePolicy,
  type Principal,
  policyOf,
  type Role,
  type RolePolicy,
  staffRoles,
} from './model.js';
import { actorOf, purposeOf } from './service.js';
import type { AuthStore } from './store.js';

export class RolePolicyService {
  constructor(
    private readonly store: AuthStore,
    private readonly audit: AuditService,
  ) {}

  /** The policy of every staff role. */
  async list(principal: Principal): Promise<RolePolicy[]> {
    const rows = new Map((await this.store.rolePolicies()).map((row) => [row.role, row]));
    await this.audit.record({
      actor: actorOf(principal),
      action: 'auth.policy.list',
      purpose: purposeOf(principal),
    });
    return staffRoles.map((role) => ({ role, ...policyOf(role, rows.get(role)) }));
  }

  async set(principal: Principal, role: Role, policy: EffectivePolicy): Promise<RolePolicy> {
    if (!(staffRoles as readonly Role[]).includes(role)) throw new AppError('SVD_HTTP_NOT_FOUND');
    if (!policy.allowTotp && !policy.requireWebauthn)
      throw new AppError('SVD_HTTP_VALIDATION', {
        message: 'Authenticator-app codes can be switched off only where a security key is required.',
      });
    return this.store.transaction(async (trx) => {
      const before = policyOf(role, await this.store.rolePolicy(role, trx));
      await this.store.setRolePolicy(trx, {
        role,
        require_webauthn: policy.requireWebauthn,
        allow_totp: policy.allowTotp,
        updated_by: principal.type === 'user' ? principal.id : null,
      });
      await this.audit.record(
        {
          actor: actorOf(principal),
          action: 'auth.policy.change',
          target: { type: 'role', id: role },
          details: { before, after: policy },
        },
        trx,
      );
      return { role: role as RolePolicy['role'], ...policy };
    });
  }
}
