/**
 * Compartments: a principal sees only the resources (collections, datasets, cases, ...) it was
 * granted, and staff also the open ones (`maySeeCompartment`, the one rule every area uses).
 * Administrators see everything. Checks take all ids a call touches, as a set; a denial
 * answers exactly like "not found" and is audited.
 */
import type { AuditService } from '../audit/service.js';
import { AppError } from '../errors.js';
import type { Grant, Principal } from './model.js';
import { actorOf, purposeOf } from './service.js';
import type { AuthStore } from './store.js';

/** A compartment: an evidence collection, a dataset, an incident… Open ones need no grant from staff. */
export interface Compartment {
  id: string;
  restricted: boolean;
}

/** Administrators and the system itself (CLI, workers) see every compartment. */
export function isAdministrator(principal: Principal): boolean {
  return principal.type === 'system' || (principal.type === 'user' && principal.role === 'admin');
}

/** Staff: signed-in users other than partners (analysts, reviewers, administrators). */
export function isStaff(principal: Principal): boolean {
  return principal.type === 'user' && principal.role !== 'partner';
}

const noGrants: ReadonlySet<string> = new Set();

/**
 * May this principal see this compartment? The rule, written once for every area: administrators and
 * the system see every compartment; staff every open one; a restricted one, and any one at all for
 * partners and API keys, only with a grant (`granted`: the principal's granted ids of that type).
 */
export function maySeeCompartment(
  principal: Principal,
  compartment: Compartment,
  granted: ReadonlySet<string> = noGrants,
): boolean {
  if (isAdministrator(principal)) return true;
  if (!compartment.restricted && isStaff(principal)) return true;
  return granted.has(compartment.id);
}

export class AccessService {
  constructor(
    private readonly store: AuthStore,
    private readonly audit: AuditService,
  ) {}

  /** The subset of `ids` the principal may access. */
  async allowed(principal: Principal, resourceType: string, ids: Iterable<string>): Promise<Set<string>> {
    const unique = [...new Set(ids)];
    if (principal.type === 'system' || isAdministrator(principal)) return new Set(unique);
    return this.store.grantedIds(principal.type, principal.id, resourceType, unique);
  }

  /** All resource ids of a type the principal may see, or 'all'. */
  async visible(principal: Principal, resourceType: string): Promise<'all' | string[]> {
    if (principal.type === 'system' || isAdministrator(principal)) return 'all';
    return this.store.allGrantedIds(principal.type, principal.id, resourceType);
  }

  /**
   * The ids of the compartments the principal may see (`maySeeCompartment`), or 'all' for those who
   * see everything (then `compartments` is not even listed).
   */
  async visibleCompartments(
    principal: Principal,
    resourceType: string,
    compartments: () => Promise<Iterable<Compartment>>,
  ): Promise<'all' | string[]> {
    const granted = await this.visible(principal, resourceType);
    if (granted === 'all') return 'all';
    const grantedIds = new Set(granted);
    return [...(await compartments())]
      .filter((compartment) => maySeeCompartment(principal, compartment, grantedIds))
      .map((compartment) => compartment.id);
  }

  /**
   * Throws the not-found error unless the principal may see every compartment a call touches
   * (`maySeeCompartment`); a denial is audited with the ids. An unknown compartment counts as restricted.
   */
  async requireCompartments(
    principal: Principal,
    resourceType: string,
    compartments: Iterable<Compartment>,
    action: string,
  ): Promise<void> {
    const needGrant = [...compartments]
      .filter((compartment) => !maySeeCompartment(principal, compartment))
      .map((compartment) => compartment.id);
    if (needGrant.length) await this.require(principal, resourceType, needGrant, action);
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
