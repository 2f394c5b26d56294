/**
 * Incidents: what happened, when, where and who was responsible, documented by evidence items and
 * linked to registry entities. An incident may be restricted to an evidence collection: then only
 * those who may see that collection see it. No HTTP and no SQL here.
 */
import { randomUUID } from 'node:crypto';
import type { AuditService } from '../platform/audit/service.js';
import { maySeeCompartment } from '../platform/auth/access.js';
import type { Principal } from '../platform/auth/model.js';
import { actorOf, purposeOf } from '../platform/auth/service.js';
import type { KeyRing } from '../platform/crypto.js';
import { cursorOf, parseCursor } from '../platform/db/cursor.js';
import type { AnyTransaction } from '../platform/db/database.js';
import { includesText } from '../platform/db/like.js';
import { AppError } from '../platform/errors.js';
import { type PlaintextColumn, registerEncryptedColumn } from '../platform/keys.js';
import { type SearchSection, searchHit } from '../platform/search.js';
import type { Incident, IncidentInput, IncidentUpdate, ListIncidentsQuery } from './model.js';
import type { IncidentsEvidence } from './ports.js';
import type { IncidentRow, IncidentStore } from './store.js';

for (const column of ['description', 'place'] as const)
  registerEncryptedColumn({
    table: 'incidents',
    idColumn: 'id',
    column: `${column}_sealed`,
    aad: (id) => `incidents.${column}:${id}`,
  });

/** Descriptions and places written before they were encrypted: sealed at start-up. */
export const plaintextIncidentTexts: PlaintextColumn[] = [
  {
    table: 'incidents',
    idColumn: 'id',
    plain: 'description',
    sealed: 'description_sealed',
    aad: (id) => `incidents.description:${id}`,
    emptyValue: '',
  },
  {
    table: 'incidents',
    idColumn: 'id',
    plain: 'place',
    sealed: 'place_sealed',
    aad: (id) => `incidents.place:${id}`,
    emptyValue: null,
  },
];

registerEncryptedColumn({
  table: 'incident_persons',
  idColumn: 'id',
  column: 'name',
  aad: (id) => `incident_persons.name:${id}`,
});

/** A person an incident names without a registry entity. */
export interface NamedIncidentPerson {
  personId: string;
  incidentId: string;
  incidentTitle: string;
  role: 'victim' | 'perpetrator' | 'witness';
  name: string;
}

export type IncidentSummary = Omit<Incident, 'items' | 'persons'> & { itemCount: number };

export class IncidentsService {
  constructor(
    readonly store: IncidentStore,
    private readonly evidence: IncidentsEvidence,
    private readonly keys: KeyRing,
    private readonly audit: AuditService,
  ) {}

  /** Throws "not found" (audited) unless every incident exists and is visible to the principal. */
  async requireIncidents(principal: Principal, ids: Iterable<string>, action: string): Promise<void> {
    const unique = [...new Set(ids)];
    const found = await this.store.incidentCollections(unique);
    if (found.size !== unique.length) throw new AppError('SVD_HTTP_NOT_FOUND');
    // An incident in no collection is an open compartment of its own.
    const hidden = [...found]
      .filter(([, collection]) => collection === null)
      .map(([id]) => id)
      .filter((id) => !maySeeCompartment(principal, { id, restricted: false }));
    if (hidden.length) {
      await this.audit.record({
        actor: actorOf(principal),
        action,
        outcome: 'denied',
        target: { type: 'incident', id: hidden[0]! },
        details: { denied: hidden },
      });
      throw new AppError('SVD_HTTP_NOT_FOUND');
    }
    const restricted = [...found.values()].filter((id): id is string => id !== null);
    await this.evidence.requireCollections(principal, restricted, action);
  }

  /** A collection for an incident must exist and be visible to the principal. */
  async #collection(principal: Principal, collectionId: string | null | undefined, action: string) {
    if (!collectionId) return;
    if (!(await this.evidence.collectionExists(collectionId))) throw new AppError('SVD_HTTP_NOT_FOUND');
    await this.evidence.requireCollections(principal, [collectionId], action);
  }

  async #checkFacets(
    trx: AnyTransaction,
    input: { placeType?: string | null; responsibleInstitution?: string | null },
  ): Promise<void> {
    const facets = [input.placeType, input.responsibleInstitution].filter((code): code is string =>
      Boolean(code),
    );
    await this.evidence.checkCodes(trx, facets);
  }

  async createIncident(principal: Principal, input: IncidentInput): Promise<Incident> {
    const id = randomUUID();
    await this.#collection(principal, input.collectionId, 'evidence.incident.create');
    await this.store.transaction(async (trx) => {
      await this.#checkFacets(trx, input);
      await this.store.insertIncident(trx, {
        id,
        title: input.title,
        description: '',
        description_sealed: this.#seal(id, 'description', input.description),
        occurred_from: input.occurredFrom ? new Date(input.occurredFrom) : null,
        occurred_to: input.occurredTo
          ? new Date(input.occurredTo)
          : input.occurredFrom
            ? new Date(input.occurredFrom)
            : null,
        place: null,
        place_sealed: this.#seal(id, 'place', input.place),
        place_type: input.placeType ?? null,
        latitude: input.latitude ?? null,
        longitude: input.longitude ?? null,
        responsible_institution: input.responsibleInstitution ?? null,
        responsible_unit: input.responsibleUnit ?? null,
        created_by: actorOf(principal).label ?? null,
        collection_id: input.collectionId ?? null,
      });
      await this.audit.record(
        {
          actor: actorOf(principal),
          action: 'evidence.incident.create',
          target: { type: 'incident', id },
          ...(input.collectionId ? { details: { collectionId: input.collectionId } } : {}),
        },
        trx,
      );
    });
    return this.incident(principal, id);
  }

  /** Changes an incident: absent fields stay, null clears an optional field. */
  async updateIncident(principal: Principal, id: string, input: IncidentUpdate): Promise<Incident> {
    await this.requireIncidents(principal, [id], 'evidence.incident.update');
    if (input.collectionId !== undefined)
      await this.#collection(principal, input.collectionId, 'evidence.incident.update');
    await this.store.transaction(async (trx) => {
      const row = await this.store.incident(trx, id);
      if (!row) throw new AppError('SVD_HTTP_NOT_FOUND');
      await this.#checkFacets(trx, input);
      const set: Partial<IncidentRow> = {};
      const date = (value: string | null) => (value === null ? null : new Date(value));
      if (input.title !== undefined) set.title = input.title;
      if (input.description !== undefined) {
        set.description = '';
        set.description_sealed = this.#seal(id, 'description', input.description);
      }
      if (input.occurredFrom !== undefined) set.occurred_from = date(input.occurredFrom);
      if (input.occurredTo !== undefined) set.occurred_to = date(input.occurredTo);
      if (input.place !== undefined) {
        set.place = null;
        set.place_sealed = this.#seal(id, 'place', input.place);
      }
      if (input.placeType !== undefined) set.place_type = input.placeType;
      if (input.latitude !== undefined) set.latitude = input.latitude;
      if (input.longitude !== undefined) set.longitude = input.longitude;
      if (input.responsibleInstitution !== undefined)
        set.responsible_institution = input.responsibleInstitution;
      if (input.responsibleUnit !== undefined) set.responsible_unit = input.responsibleUnit;
      if (input.collectionId !== undefined) set.collection_id = input.collectionId;
      const from = set.occurred_from !== undefined ? set.occurred_from : row.occurred_from;
      const to = set.occurred_to !== undefined ? set.occurred_to : row.occurred_to;
      if (from && to && new Date(to) < new Date(from))
        throw new AppError('SVD_HTTP_VALIDATION', { message: 'occurredTo is before occurredFrom' });
      await this.store.updateIncident(trx, id, set);
      await this.audit.record(
        {
          actor: actorOf(principal),
          action: 'evidence.incident.update',
          target: { type: 'incident', id },
          details: {
            fields: Object.keys(set).filter((key) => !key.endsWith('_sealed')),
            cleared: Object.entries(input)
              .filter(([, value]) => value === null)
              .map(([key]) => key),
          },
        },
        trx,
      );
    });
    return this.incident(principal, id);
  }

  /** Free text that may name people or sources, encrypted and bound to its incident and field. */
  #seal(id: string, field: 'description' | 'place', text: string | null | undefined): Buffer | null {
    return text ? this.keys.encryptField(text, `incidents.${field}:${id}`) : null;
  }

  #open(id: string, field: 'description' | 'place', sealed: Buffer | null): string | null {
    return sealed ? this.keys.decryptFieldText(sealed, `incidents.${field}:${id}`) : null;
  }

  /** Incidents whose encrypted description or place contains the text, case-insensitively. */
  async #matchingSealedText(text: string): Promise<string[]> {
    return (await this.store.sealedTexts())
      .filter((row) =>
        [
          this.#open(row.id, 'description', row.description_sealed),
          this.#open(row.id, 'place', row.place_sealed),
        ].some((value) => includesText(value, text)),
      )
      .map((row) => row.id);
  }

  #incidentOf(row: IncidentRow, codes: Map<string, string[]>) {
    return {
      id: row.id,
      title: row.title,
      description: this.#open(row.id, 'description', row.description_sealed) ?? row.description,
      occurredFrom: row.occurred_from ? new Date(row.occurred_from).toISOString() : null,
      occurredTo: row.occurred_to ? new Date(row.occurred_to).toISOString() : null,
      place: this.#open(row.id, 'place', row.place_sealed) ?? row.place,
      placeType: row.place_type,
      latitude: row.latitude,
      longitude: row.longitude,
      responsibleInstitution: row.responsible_institution,
      responsibleUnit: row.responsible_unit,
      createdAt: new Date(row.created_at).toISOString(),
      collectionId: row.collection_id,
      codes: codes.get(row.id) ?? [],
    };
  }

  /** An incident as a reader opens it (the route's read): recorded with the people and items shown. */
  async readIncident(principal: Principal, id: string): Promise<Incident> {
    const incident = await this.incident(principal, id);
    await this.audit.record({
      actor: actorOf(principal),
      action: 'evidence.incident.read',
      purpose: purposeOf(principal),
      target: { type: 'incident', id },
      details: {
        persons: incident.persons.map((person) => person.entityId ?? person.id),
        items: incident.items.map((item) => item.itemId),
      },
    });
    return incident;
  }

  /** An incident with the linked items the principal may see, its persons and codes. */
  async incident(principal: Principal, id: string): Promise<Incident> {
    await this.requireIncidents(principal, [id], 'evidence.incident.read');
    const row = await this.store.incident(this.store.db, id);
    if (!row) throw new AppError('SVD_HTTP_NOT_FOUND');
    const visible = await this.evidence.visibleCollections(principal);
    const [items, persons, codes] = await Promise.all([
      this.store.incidentItems(this.store.db, id),
      this.store.persons(id),
      this.evidence.codes([id]),
    ]);
    return {
      ...this.#incidentOf(row, codes),
      items: items
        .filter((item) => visible === 'all' || visible.includes(item.collection_id))
        .map((item) => ({ itemId: item.item_id, role: item.role })),
      persons: persons.map((person) => ({
        id: person.id,
        role: person.role as 'victim',
        entityId: person.entity_id,
        name: person.name
          ? this.keys.decryptFieldText(person.name, `incident_persons.name:${person.id}`)
          : null,
      })),
    };
  }

  /**
   * The persons recorded only by name in the incidents `principal` may see (the same compartments as
   * every incident read), names opened, for screening a subject against them. Not audited here: the
   * caller records its own screening run, and nothing is shown until a match is.
   */
  async namedPersons(principal: Principal): Promise<NamedIncidentPerson[]> {
    const visible = await this.evidence.visibleCollections(principal);
    const rows = await this.store.namedPersons(visible);
    return rows
      .filter(
        (row) =>
          row.collection_id !== null ||
          maySeeCompartment(principal, { id: row.incident_id, restricted: false }),
      )
      .map((row) => ({
        personId: row.id,
        incidentId: row.incident_id,
        incidentTitle: row.title,
        role: row.role as NamedIncidentPerson['role'],
        name: this.keys.decryptFieldText(row.name!, `incident_persons.name:${row.id}`),
      }));
  }

  /** Every item linked to an incident, visible or not (export refuses unless all are visible). */
  async incidentItemIds(id: string): Promise<string[]> {
    return (await this.store.incidentItems(this.store.db, id)).map((item) => item.item_id);
  }

  /** A page of incidents the principal may see, newest first; item counts count visible items only. */
  async listIncidents(
    principal: Principal,
    query: ListIncidentsQuery = {},
  ): Promise<{ items: IncidentSummary[]; next: string | null }> {
    const limit = query.limit === undefined ? 100 : Number(query.limit);
    const visible = await this.evidence.visibleCollections(principal);
    const rows = await this.store.listIncidents(
      {
        text: query.q || undefined,
        textIds: query.q ? await this.#matchingSealedText(query.q) : undefined,
        code: query.code,
        placeType: query.placeType,
        responsibleInstitution: query.responsibleInstitution,
        collectionId: query.collectionId,
        entityId: query.entityId,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
        before: parseCursor(query.before),
        limit,
      },
      visible,
    );
    const codes = await this.evidence.codes(rows.map((row) => row.id));
    // Filtered by a person: say in which role(s) they appear, so a person page needs no second request.
    const roles = new Map<string, Array<Incident['persons'][number]['role']>>();
    if (query.entityId)
      for (const row of await this.store.entityRoles(
        rows.map((r) => r.id),
        query.entityId,
      )) {
        const list = roles.get(row.incident_id) ?? [];
        const role = row.role as Incident['persons'][number]['role'];
        if (!list.includes(role)) list.push(role);
        roles.set(row.incident_id, list);
      }
    if (rows.length > 0 || query.q || query.entityId)
      await this.audit.record({
        actor: actorOf(principal),
        action: 'evidence.incident.list',
        purpose: purposeOf(principal),
        // The words searched for may be a witness's name: kept encrypted, like screening queries.
        ...(query.q ? { sealed: { q: query.q } } : {}),
        details: {
          query: { ...query, q: undefined, before: undefined },
          incidents: rows.map((row) => row.id),
        },
      });
    const last = rows[rows.length - 1];
    return {
      items: rows.map((row) => ({
        ...this.#incidentOf(row, codes),
        itemCount: Number(row.item_count ?? 0),
        ...(query.entityId ? { entityRoles: roles.get(row.id) ?? [] } : {}),
      })),
      next: last && rows.length === limit ? cursorOf(last.created_at, last.id) : null,
    };
  }

  /**
   * The top bar's "incidents" section: incidents the principal may see whose title, description, place or
   * unit holds the text, newest first, with their count (the list's own filter, as "see all" shows it).
   */
  async search(principal: Principal, text: string, limit: number): Promise<SearchSection> {
    const q = text.slice(0, 200);
    const { items } = await this.listIncidents(principal, { q, limit });
    const total =
      items.length < limit
        ? items.length
        : await this.store.countIncidents(
            { text: q, textIds: await this.#matchingSealedText(q) },
            await this.evidence.visibleCollections(principal),
          );
    return {
      key: 'incidents',
      total: { value: total, relation: 'eq' },
      items: items.map((incident) =>
        searchHit({
          id: incident.id,
          title: incident.title,
          subtitle: incident.place,
          date: incident.occurredFrom,
        }),
      ),
    };
  }

  async classifyIncident(
    principal: Principal,
    id: string,
    add: string[],
    remove: string[],
  ): Promise<string[]> {
    await this.requireIncidents(principal, [id], 'evidence.incident.classify');
    await this.store.transaction(async (trx) => {
      if (!(await this.store.incident(trx, id))) throw new AppError('SVD_HTTP_NOT_FOUND');
      const changed = await this.evidence.classify(trx, id, {
        add,
        remove,
        by: actorOf(principal).label ?? null,
      });
      await this.audit.record(
        {
          actor: actorOf(principal),
          action: 'evidence.incident.classify',
          target: { type: 'incident', id },
          details: changed,
        },
        trx,
      );
    });
    return (await this.evidence.codes([id])).get(id) ?? [];
  }
}
