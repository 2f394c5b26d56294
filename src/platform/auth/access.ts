/**
 * Compartments: a principal sees only the resources (collections, datasets, cases, ...) it was
 * granted. Administrators see everything. Checks take all ids a call touches, as a set; a denial
 * answers exactly like "not found" and is audited.
 */
import type { AuditService } from '../audit/service.js';
import { AppError } from '../errors.js';
import type { Grant, Principal } from './model.js';
import { actorOf, purposeOf } from './service.js';
import type { AuthStore } from './store.js';

export class AccessService {
  constructor(
    private readonly store: AuthStore,
    private readonly audit: AuditService,
  ) {}

  /** The subset of `ids` the principal may access. */
  async allowed(principal: Principal, resourceType: string, ids: Iterable<string>): Promise<Set<string>> {
    const unique = [...new Set(ids)];
    if (principal.type === 'system' || (principal.type === 'user' && principal.role === 'admin'))
      return new Set(unique);
    return this.store.grantedIds(principal.type, principal.id, resourceType, unique);
  }

  /** All resource ids of a type the principal may see, or 'all'. */
  async visible(principal: Principal, resourceType: string): Promise<'all' | string[]> {
    if (principal.type === 'system' || (principal.type === 'user' && principal.role === 'admin'))
      return 'all';
    return this.store.allGrantedIds(principal.type, principal.id, resourceType);
  }

  /** Throws the not-found error unless every id is allowed; the denial is audited with the ids. */
  async require(
    principal: Principal,
    resourceType: string,
    ids: Iterable<string>,
    action: string,
  ): Promise<void> {
    const wanted = [...new Set(ids)];
    const granted = await this.allowed(principal, resourceType, wanted);
    const denied = wanted.filter((id) => !granted.has(id));
    if (denied.length === 0) return;
    await this.audit.record({
      actor: actorOf(principal),
      action,
      outcome: 'denied',
      target: { type: resourceType, id: denied[0]! },
      details: { denied },
    });
    throw new AppError('SVD_HTTP_NOT_FOUND');
  }

  async grant(principal: Principal, grant: Grant): Promise<void> {
    await this.store.transaction(async (trx) => {
      await this.store.insertGrant(trx, {
        principal_type: grant.principalType,
        principal_id: grant.principalId,
        resource_type: grant.resourceType,
        resource_id: grant.resourceId,
        granted_by: principal.type === 'user' ? principal.id : null,
        granted_at: new Date(),
      });
      await this.audit.record(
        {
          actor: actorOf(principal),
          action: 'access.grant',
          target: { type: grant.resourceType, id: grant.resourceId },
          details: { ...grant },
        },
        trx,
      );
    });
  }

  async revoke(principal: Principal, grant: Grant): Promise<boolean> {
    return this.store.transaction(async (trx) => {
      const removed = await this.store.deleteGrant(trx, {
        principal_type: grant.principalType,
        principal_id: grant.principalId,
        resource_type: grant.resourceType,
        resource_id: grant.resourceId,
      });
      await this.audit.record(
        {
          actor: actorOf(principal),
          action: 'access.revoke',
          target: { type: grant.resourceType, id: grant.resourceId },
          details: { ...grant, removed },
        },
        trx,
      );
      return removed;
    });
  }

  /** Grants, filtered; who may see which compartment is itself sensitive, so the read is audited. */
  async list(principal: Principal, resourceType?: string, resourceId?: string): Promise<Grant[]> {
    const rows = await this.store.listGrants(resourceType, resourceId);
    await this.audit.record({
      actor: actorOf(principal),
      action: 'access.list',
      purpose: purposeOf(principal),
      details: { resourceType: resourceType ?? null, resourceId: resourceId ?? null, count: rows.length },
    });
    return rows.map((row) => ({
      principalType: row.principal_type,
      principalId: row.principal_id,
      resourceType: row.resource_type,
      resourceId: row.resource_id,
    }));
  }
}
