/**
 * What an incident is linked to: evidence items (with an evidence role; each link and unlink is a
 * custody event on the item) and persons (a registry entity, or a name kept encrypted until linked).
 */
import { randomUUID } from 'node:crypto';
import type { AuditService } from '../platform/audit/service.js';
import type { Principal } from '../platform/auth/model.js';
import { actorOf } from '../platform/auth/service.js';
import type { KeyRing } from '../platform/crypto.js';
import { AppError } from '../platform/errors.js';
import type { IncidentsEvidence } from './ports.js';
import type { IncidentsService } from './service.js';
import type { IncidentStore } from './store.js';

export class IncidentLinks {
  constructor(
    private readonly store: IncidentStore,
    private readonly incidents: IncidentsService,
    private readonly evidence: IncidentsEvidence,
    private readonly keys: KeyRing,
    private readonly audit: AuditService,
  ) {}

  /** Links an item to an incident with an evidence role (ROLE.* code); a custody event on the item. */
  async linkItem(principal: Principal, incidentId: string, itemId: string, role?: string): Promise<void> {
    await this.incidents.requireIncidents(principal, [incidentId], 'evidence.incident.link');
    await this.evidence.requireItems(principal, [itemId], 'evidence.incident.link');
    await this.store.transaction(async (trx) => {
      if (!(await this.store.incident(trx, incidentId))) throw new AppError('SVD_HTTP_NOT_FOUND');
      if (role) await this.evidence.checkCodes(trx, [role]);
      await this.store.linkItem(trx, incidentId, itemId, role ?? null);
      await this.evidence.recordCustody(trx, itemId, 'linked', actorOf(principal), {
        incidentId,
        ...(role ? { role } : {}),
      });
    });
  }

  /** Removes an item from an incident: an "unlinked" custody event on the item. */
  async unlinkItem(principal: Principal, incidentId: string, itemId: string): Promise<void> {
    await this.incidents.requireIncidents(principal, [incidentId], 'evidence.incident.unlink');
    await this.evidence.requireItems(principal, [itemId], 'evidence.incident.unlink');
    await this.store.transaction(async (trx) => {
      if (!(await this.store.unlinkItem(trx, incidentId, itemId))) throw new AppError('SVD_HTTP_NOT_FOUND');
      await this.evidence.recordCustody(trx, itemId, 'unlinked', actorOf(principal), { incidentId });
    });
  }

  /** Changes (or clears) the evidence role of a linked item: a "linked" custody event with the change. */
  async setLinkRole(
    principal: Principal,
    incidentId: string,
    itemId: string,
    role: string | null,
  ): Promise<void> {
    await this.incidents.requireIncidents(principal, [incidentId], 'evidence.incident.link');
    await this.evidence.requireItems(principal, [itemId], 'evidence.incident.link');
    await this.store.transaction(async (trx) => {
      if (role) await this.evidence.checkCodes(trx, [role]);
      const changed = await this.store.setLinkRole(trx, incidentId, itemId, role);
      if (!changed) throw new AppError('SVD_HTTP_NOT_FOUND');
      if (changed.before === role) return;
      await this.evidence.recordCustody(trx, itemId, 'linked', actorOf(principal), {
        incidentId,
        role,
        previousRole: changed.before,
      });
    });
  }

  /** Adds a person to an incident: a registry entity by id, or a name (encrypted) to link later. */
  async addPerson(
    principal: Principal,
    incidentId: string,
    input: {
      role: 'victim' | 'perpetrator' | 'witness';
      entityId?: string | undefined;
      name?: string | undefined;
    },
  ): Promise<string> {
    await this.incidents.requireIncidents(principal, [incidentId], 'evidence.incident.person');
    const id = randomUUID();
    await this.store.transaction(async (trx) => {
      if (!(await this.store.incident(trx, incidentId))) throw new AppError('SVD_HTTP_NOT_FOUND');
      await this.store.insertPerson(trx, {
        id,
        incident_id: incidentId,
        role: input.role,
        entity_id: input.entityId ?? null,
        name: input.name ? this.keys.encryptField(input.name, `incident_persons.name:${id}`) : null,
      });
      await this.audit.record(
        {
          actor: actorOf(principal),
          action: 'evidence.incident.person',
          target: { type: 'incident', id: incidentId },
          details: {
            personId: id,
            role: input.role,
            entityId: input.entityId ?? null,
            byName: Boolean(input.name),
          },
        },
        trx,
      );
    });
    return id;
  }

  /** Removes a person from an incident (the encrypted name goes with the row); audited without it. */
  async removePerson(principal: Principal, incidentId: string, personId: string): Promise<void> {
    await this.incidents.requireIncidents(principal, [incidentId], 'evidence.incident.person');
    await this.store.transaction(async (trx) => {
      const removed = await this.store.deletePerson(trx, incidentId, personId);
      if (!removed) throw new AppError('SVD_HTTP_NOT_FOUND');
      await this.audit.record(
        {
          actor: actorOf(principal),
          action: 'evidence.incident.person.remove',
          target: { type: 'incident', id: incidentId },
          details: { personId, role: removed.role, entityId: removed.entity_id },
        },
        trx,
      );
    });
  }
}
