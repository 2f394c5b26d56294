/**
 * Listing proposals: a registry entity proposed for listing to one or more governments. The content —
 * identifying information, reasons each resting on evidence items (by SHA-256, with custody),
 * incidents or source records, exculpatory information, the targets and programmes — is one document
 * whose hash the shared four-eyes review binds approvals to: the author cannot approve, an edit voids
 * the approval, and a statement without a link cannot be approved. Each jurisdiction then moves on its
 * own: approved → submitted → listed | not listed | partially listed, every step logged with its date.
 */
import { randomUUID } from 'node:crypto';
import { detectCyrillicLanguage, detectScript } from '../names/index.js';
import type { AuditService } from '../platform/audit/service.js';
import type { Principal } from '../platform/auth/model.js';
import { actorOf } from '../platform/auth/service.js';
import type { AnyTransaction } from '../platform/db/database.js';
import { includesText } from '../platform/db/like.js';
import { AppError } from '../platform/errors.js';
import { type ReviewStatus, type ReviewSubject, reviewContentHash } from '../platform/review/model.js';
import type { ReviewService } from '../platform/review/service.js';
import { type SearchSection, searchHit } from '../platform/search.js';
import { completeness } from './completeness.js';
import './errors.js'; // registers the SVD_SANCTIONS_* codes
import {
  type Identity,
  identitySchema,
  type Jurisdiction,
  type Proposal,
  type ProposalContent,
  type ProposalState,
  proposalContentSchema,
  type ReasonLink,
} from './model.js';
import type { EventRow, ProposalRow, SanctionsStore, SanctionsTrx, TargetRow } from './store.js';

/** What proposals need from the registry (the registry area's service satisfies it). */
export interface ProposalRegistry {
  visibleDatasetIds(principal: Principal): Promise<'all' | string[]>;
  getEntitiesByIds(ids: string[]): Promise<
    Map<
      string,
      {
        schema: string;
        caption: string;
        datasetId: string;
        properties: Record<string, string[]>;
        deleted: boolean;
      }
    >
  >;
}

/** What proposals need from the evidence vault (the composition root adapts the evidence service). */
export interface ProposalEvidence {
  /** An item the principal may see: its SHA-256 and a label; "not found" otherwise. */
  item(principal: Principal, id: string): Promise<{ sha256: string; label: string; custodyEvents: number }>;
  /** An incident the principal may see; "not found" otherwise. */
  incident(principal: Principal, id: string): Promise<{ label: string }>;
}

/** Which cross-referencing cluster an entity is in (the xref area's `clusters` satisfies it). */
export interface ProposalClusters {
  clustersOf(ids: string[]): Promise<Map<string, { id: string; members: string[] }>>;
}

export type ProposalReview = Pick<
  ReviewService,
  'recordEdit' | 'approve' | 'returnForChanges' | 'status' | 'requireApproved'
>;

const SUBJECT_TYPE = 'sanctions-proposal';
export const subjectOf = (id: string): ReviewSubject => ({ type: SUBJECT_TYPE, id });

const FORWARD: Record<ProposalState, ProposalState[]> = {
  draft: ['in_review'],
  in_review: ['approved', 'draft'],
  approved: ['submitted', 'draft'],
  submitted: ['listed', 'not_listed', 'partially_listed'],
  listed: [],
  not_listed: [],
  partially_listed: ['listed'],
};

function label(principal: Principal): string {
  const actor = actorOf(principal);
  return actor.type === 'system' ? (actor.label ?? 'system') : `${actor.type}:${actor.label ?? actor.id}`;
}

function iso(value: Date | string): string {
  return new Date(value).toISOString();
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The identifying information the registry already holds about an entity, to start a proposal from. */
export function identityFromEntity(properties: Record<string, string[]>): Identity {
  const names = [...(properties.name ?? []), ...(properties.alias ?? [])];
  const latin = names.find((n) => detectScript(n) === 'latin') ?? '';
  const cyrillic = names.filter((n) => detectScript(n) === 'cyrillic');
  const be = cyrillic.find((n) => detectCyrillicLanguage(n) === 'be') ?? '';
  const ru = cyrillic.find((n) => detectCyrillicLanguage(n) === 'ru') ?? cyrillic.find((n) => n !== be) ?? '';
  const gender = properties.gender?.[0];
  return identitySchema.parse({
    nameLatin: latin,
    givenName: properties.firstName?.[0] ?? '',
    patronymic: properties.middleName?.[0] ?? properties.fatherName?.[0] ?? '',
    familyName: properties.lastName?.[0] ?? '',
    nameBelarusian: be,
    nameRussian: ru,
    otherNames: names.filter((n) => n !== latin && n !== be && n !== ru).slice(0, 100),
    birthDate: (properties.birthDate ?? []).find((d) => /^\d{4}(-\d{2}(-\d{2})?)?$/.test(d)) ?? '',
    birthPlace: properties.birthPlace?.[0] ?? '',
    gender: gender === 'male' || gender === 'female' ? gender : '',
    citizenship: [...new Set([...(properties.citizenship ?? []), ...(properties.nationality ?? [])])]
      .filter((c) => /^[a-z]{2}$/.test(c))
      .slice(0, 10),
    personalNumber: properties.idNumber?.[0] ?? '',
    passportNumber: properties.passportNumber?.[0] ?? '',
    positions: (properties.position ?? [])
      .slice(0, 50)
      .map((title) => ({ title: title.slice(0, 500), organization: '', from: '', to: '' })),
    unit: '',
    address: properties.address?.[0] ?? '',
  });
}

export class ProposalService {
  constructor(
    private readonly store: SanctionsStore,
    private readonly registry: ProposalRegistry,
    private readonly evidence: ProposalEvidence,
    private readonly review: ProposalReview,
    private readonly audit: AuditService,
    private readonly clusters?: ProposalClusters,
  ) {}

  /** The cluster the entity is in when it has other members; null when alone or without cross-referencing. */
  async clusterOf(entityId: string): Promise<{ id: string; members: string[] } | null> {
    const cluster = (await this.clusters?.clustersOf([entityId]))?.get(entityId);
    return cluster && cluster.members.length > 1 ? cluster : null;
  }

  async #denied(principal: Principal, action: string, id: string): Promise<never> {
    await this.audit.record({
      actor: actorOf(principal),
      action,
      outcome: 'denied',
      target: { type: SUBJECT_TYPE, id },
    });
    throw new AppError('SVD_HTTP_NOT_FOUND');
  }

  /** The subject entity if the principal may see it (not found otherwise). */
  async #subject(principal: Principal, entityId: string, action: string, id: string) {
    const [entities, visible] = await Promise.all([
      this.registry.getEntitiesByIds([entityId]),
      this.registry.visibleDatasetIds(principal),
    ]);
    const entity = entities.get(entityId);
    if (!entity || entity.deleted || (visible !== 'all' && !visible.includes(entity.datasetId)))
      return this.#denied(principal, action, id);
    return entity;
  }

  /** A registry entity the principal may see, with its identifying information (not found otherwise). */
  async subject(principal: Principal, entityId: string, action: string) {
    const entity = await this.#subject(principal, entityId, action, entityId);
    return { ...entity, identity: identityFromEntity(entity.properties) };
  }

  async #row(principal: Principal, id: string, action: string): Promise<ProposalRow> {
    const row = await this.store.proposal(this.store.db, id);
    if (!row) return this.#denied(principal, action, id);
    await this.#subject(principal, row.entity_id, action, id);
    return row;
  }

  #toProposal(row: ProposalRow, targets: TargetRow[], caption: string): Proposal {
    const content = proposalContentSchema.parse(
      typeof row.content === 'string' ? JSON.parse(row.content) : row.content,
    );
    return {
      id: row.id,
      number: Number(row.number),
      reference: `SVD-${String(row.number).padStart(4, '0')}`,
      entityId: row.entity_id,
      clusterId: row.cluster_id,
      schema: row.schema,
      caption,
      content,
      contentHash: row.content_hash,
      completeness: completeness(content.identity),
      targets: targets
        .filter((t) => t.proposal_id === row.id)
        .map((t) => ({
          jurisdiction: t.jurisdiction as Jurisdiction,
          programme: t.programme,
          state: t.state as ProposalState,
          stateChangedAt: iso(t.state_changed_at),
        })),
      createdBy: row.created_by,
      createdAt: iso(row.created_at),
      updatedBy: row.updated_by,
      updatedAt: iso(row.updated_at),
    };
  }

  /** Resolves every link of every reason: evidence items to their SHA-256, labels of all. */
  async #resolveLinks(principal: Principal, content: ProposalContent): Promise<ProposalContent> {
    const cache = new Map<string, ReasonLink>();
    const resolve = async (link: ReasonLink): Promise<ReasonLink> => {
      const key = `${link.kind}:${link.ref}`;
      const known = cache.get(key);
      if (known) return known;
      let resolved: ReasonLink;
      try {
        if (link.kind === 'evidence') {
          const item = await this.evidence.item(principal, link.ref);
          resolved = { kind: 'evidence', ref: link.ref, sha256: item.sha256, label: item.label };
        } else if (link.kind === 'incident') {
          const incident = await this.evidence.incident(principal, link.ref);
          resolved = { kind: 'incident', ref: link.ref, label: incident.label };
        } else {
          const entity = await this.#subject(principal, link.ref, 'sanctions.proposal.link', link.ref);
          resolved = { kind: 'source', ref: link.ref, label: entity.caption };
        }
      } catch (error) {
        if (error instanceof AppError && error.code === 'SVD_HTTP_NOT_FOUND')
          throw new AppError('SVD_SANCTIONS_LINK_UNKNOWN', { details: { kind: link.kind, ref: link.ref } });
        throw error;
      }
      cache.set(key, resolved);
      return resolved;
    };
    const reasons = [];
    for (const reason of content.reasons) {
      const links = [];
      for (const link of reason.links) links.push(await resolve(link));
      reasons.push({ ...reason, links });
    }
    return { ...content, reasons };
  }

  async #log(
    trx: SanctionsTrx,
    principal: Principal,
    proposalId: string,
    contentHash: string,
    change: {
      jurisdiction?: string;
      from?: string | null;
      to?: string | null;
      date?: string | null;
      note?: string | null;
    },
  ): Promise<void> {
    await this.store.insertEvent(trx, {
      id: randomUUID(),
      proposal_id: proposalId,
      jurisdiction: change.jurisdiction ?? null,
      from_state: change.from ?? null,
      to_state: change.to ?? null,
      at: new Date(),
      event_date: change.date ?? null,
      actor: label(principal),
      content_hash: contentHash,
      note: change.note ?? null,
    });
  }

  /** Starts a proposal for a registry entity, its identifying information taken from the registry. */
  async create(
    principal: Principal,
    input: {
      entityId: string;
      targets?: Array<{ jurisdiction: Jurisdiction; programme: string }>;
      content?: ProposalContent;
    },
  ): Promise<Proposal> {
    const id = randomUUID();
    const entity = await this.#subject(principal, input.entityId, 'sanctions.proposal.create', id);
    const parsed = proposalContentSchema.safeParse(
      input.content ?? { identity: identityFromEntity(entity.properties), targets: input.targets ?? [] },
    );
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new AppError('SVD_HTTP_VALIDATION', { message: `${issue.path.join('.')}: ${issue.message}` });
    }
    const content = await this.#resolveLinks(principal, parsed.data);
    const contentHash = reviewContentHash(content);
    const cluster = await this.clusterOf(input.entityId);
    await this.store.transaction(async (trx) => {
      await this.store.insertProposal(trx, {
        id,
        entity_id: input.entityId,
        cluster_id: cluster?.id ?? null,
        schema: entity.schema,
        content,
        content_hash: contentHash,
        completeness: completeness(content.identity).score,
        created_by: label(principal),
        updated_by: label(principal),
      });
      for (const target of content.targets)
        await this.store.insertTarget(trx, id, target.jurisdiction, target.programme);
      await this.#log(trx, principal, id, contentHash, { to: 'draft', note: 'created' });
      await this.review.recordEdit(trx as unknown as AnyTransaction, {
        subject: subjectOf(id),
        actor: principal,
        contentHash,
      });
      await this.audit.record(
        {
          actor: actorOf(principal),
          action: 'sanctions.proposal.create',
          target: { type: SUBJECT_TYPE, id },
          details: {
            entityId: input.entityId,
            targets: content.targets.map((t) => t.jurisdiction),
            contentHash,
          },
        },
        trx as unknown as AnyTransaction,
      );
    });
    return this.get(principal, id);
  }

  async get(principal: Principal, id: string): Promise<Proposal> {
    const row = await this.#row(principal, id, 'sanctions.proposal.read');
    const [targets, entities] = await Promise.all([
      this.store.targets(this.store.db, [id]),
      this.registry.getEntitiesByIds([row.entity_id]),
    ]);
    return this.#toProposal(row, targets, entities.get(row.entity_id)?.caption ?? row.entity_id);
  }

  /** Proposals on entities the principal may see, optionally those with a target in a state. */
  async list(
    principal: Principal,
    filter: {
      jurisdiction?: Jurisdiction | undefined;
      state?: ProposalState | undefined;
      entityId?: string | undefined;
      /** Text in the reference, the person's caption or any name in the identity. */
      text?: string | undefined;
    } = {},
  ): Promise<Proposal[]> {
    const rows = await this.store.proposals({
      ...(filter.entityId ? { entityIds: [filter.entityId] } : {}),
      ...(filter.jurisdiction ? { jurisdiction: filter.jurisdiction } : {}),
      ...(filter.state ? { state: filter.state } : {}),
    });
    const [entities, visible] = await Promise.all([
      this.registry.getEntitiesByIds([...new Set(rows.map((r) => r.entity_id))]),
      this.registry.visibleDatasetIds(principal),
    ]);
    const shown = rows.filter((row) => {
      const entity = entities.get(row.entity_id);
      return entity && !entity.deleted && (visible === 'all' || visible.includes(entity.datasetId));
    });
    const targets = await this.store.targets(
      this.store.db,
      shown.map((r) => r.id),
    );
    const proposals = shown.map((row) =>
      this.#toProposal(row, targets, entities.get(row.entity_id)!.caption),
    );
    const text = filter.text?.trim();
    return text ? proposals.filter((proposal) => proposalHolds(proposal, text)) : proposals;
  }

  /**
   * The top bar's "proposals" section: proposals on entities the principal may see whose reference,
   * person or names hold the text, with their count (the list's own filter, as "see all" shows it).
   */
  async search(principal: Principal, text: string, limit: number): Promise<SearchSection> {
    const found = await this.list(principal, { text });
    return {
      key: 'proposals',
      total: { value: found.length, relation: 'eq' },
      items: found.slice(0, limit).map((proposal) =>
        searchHit({
          id: proposal.id,
          title: proposal.reference,
          subtitle: proposal.caption,
          date: proposal.updatedAt,
        }),
      ),
    };
  }

  /**
   * Replaces the content. Approvals of the previous version are voided (by the review module) and the
   * jurisdictions in review or approved go back to draft; a jurisdiction already submitted to cannot
   * be removed. `expectedHash` guards against overwriting someone else's edit.
   */
  async update(
    principal: Principal,
    id: string,
    input: { content: ProposalContent; expectedHash?: string | undefined },
  ): Promise<Proposal> {
    const current = await this.#row(principal, id, 'sanctions.proposal.update');
    const cluster = await this.clusterOf(current.entity_id);
    const parsed = proposalContentSchema.safeParse(input.content);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new AppError('SVD_HTTP_VALIDATION', { message: `${issue.path.join('.')}: ${issue.message}` });
    }
    const content = await this.#resolveLinks(principal, parsed.data);
    const contentHash = reviewContentHash(content);
    await this.store.transaction(async (trx) => {
      const row = await this.store.proposal(trx, id, true);
      if (!row) throw new AppError('SVD_HTTP_NOT_FOUND');
      if (input.expectedHash && input.expectedHash !== row.content_hash)
        throw new AppError('SVD_SANCTIONS_PROPOSAL_STALE');
      if (row.content_hash === contentHash) return;
      const targets = await this.store.targets(trx, [id]);
      const wanted = new Map(content.targets.map((t) => [t.jurisdiction, t.programme]));
      for (const target of targets) {
        const programme = wanted.get(target.jurisdiction as Jurisdiction);
        if (programme === undefined) {
          if (!['draft', 'in_review', 'approved'].includes(target.state))
            throw new AppError('SVD_SANCTIONS_TARGET_LOCKED');
          await this.store.deleteTarget(trx, id, target.jurisdiction);
          await this.#log(trx, principal, id, contentHash, {
            jurisdiction: target.jurisdiction,
            from: target.state,
            to: null,
            note: 'target removed',
          });
          continue;
        }
        const back = target.state === 'in_review' || target.state === 'approved';
        if (back || programme !== target.programme)
          await this.store.setTarget(trx, id, target.jurisdiction, {
            programme,
            ...(back ? { state: 'draft' } : {}),
          });
        if (back)
          await this.#log(trx, principal, id, contentHash, {
            jurisdiction: target.jurisdiction,
            from: target.state,
            to: 'draft',
            note: 'content edited',
          });
      }
      for (const [jurisdiction, programme] of wanted) {
        if (targets.some((t) => t.jurisdiction === jurisdiction)) continue;
        await this.store.insertTarget(trx, id, jurisdiction, programme);
        await this.#log(trx, principal, id, contentHash, { jurisdiction, to: 'draft', note: 'target added' });
      }
      await this.store.updateProposal(trx, id, {
        content,
        content_hash: contentHash,
        completeness: completeness(content.identity).score,
        updated_by: label(principal),
        cluster_id: cluster?.id ?? null,
      });
      await this.review.recordEdit(trx as unknown as AnyTransaction, {
        subject: subjectOf(id),
        actor: principal,
        contentHash,
      });
      await this.audit.record(
        {
          actor: actorOf(principal),
          action: 'sanctions.proposal.update',
          target: { type: SUBJECT_TYPE, id },
          details: { contentHash, previousHash: row.content_hash },
        },
        trx as unknown as AnyTransaction,
      );
    });
    return this.get(principal, id);
  }

  /** Sends every draft jurisdiction to review. */
  async submitForReview(principal: Principal, id: string): Promise<Proposal> {
    await this.#row(principal, id, 'sanctions.proposal.review-request');
    await this.store.transaction(async (trx) => {
      const row = await this.store.proposal(trx, id, true);
      if (!row) throw new AppError('SVD_HTTP_NOT_FOUND');
      const drafts = (await this.store.targets(trx, [id])).filter((t) => t.state === 'draft');
      if (drafts.length === 0) throw new AppError('SVD_SANCTIONS_PROPOSAL_STATE');
      for (const target of drafts) {
        await this.store.setTarget(trx, id, target.jurisdiction, { state: 'in_review' });
        await this.#log(trx, principal, id, row.content_hash, {
          jurisdiction: target.jurisdiction,
          from: 'draft',
          to: 'in_review',
        });
      }
    });
    return this.get(principal, id);
  }

  /**
   * A second officer approves the version they read (`contentHash`). Refused while a reason has no
   * link; the review module refuses the author, an editor, or a stale version. Jurisdictions in
   * review become approved in the same transaction as the decision.
   */
  async approve(
    principal: Principal,
    id: string,
    input: { contentHash: string; comment?: string | undefined },
  ): Promise<Proposal> {
    const proposal = await this.get(principal, id);
    const unlinked = proposal.content.reasons.findIndex((reason) => reason.links.length === 0);
    if (proposal.content.reasons.length === 0 || unlinked >= 0) {
      await this.audit.record({
        actor: actorOf(principal),
        action: 'review.approve',
        outcome: 'denied',
        target: subjectOf(id),
        details: { reason: 'SVD_SANCTIONS_REASON_UNLINKED', statement: unlinked },
      });
      throw new AppError('SVD_SANCTIONS_REASON_UNLINKED', {
        ...(unlinked >= 0 ? { details: { reason: unlinked + 1 } } : {}),
      });
    }
    if (!proposal.targets.some((t) => t.state === 'in_review'))
      throw new AppError('SVD_SANCTIONS_PROPOSAL_STATE');
    await this.review.approve(principal, subjectOf(id), input, (trx, status) =>
      this.#afterDecision(trx, principal, id, status, 'approved'),
    );
    return this.get(principal, id);
  }

  /** Returns the proposal to its authors with a comment; jurisdictions in review or approved go back to draft. */
  async returnForChanges(
    principal: Principal,
    id: string,
    input: { contentHash: string; comment?: string | undefined },
  ): Promise<Proposal> {
    await this.#row(principal, id, 'review.return');
    await this.review.returnForChanges(principal, subjectOf(id), input, (trx, status) =>
      this.#afterDecision(trx, principal, id, status, 'draft'),
    );
    return this.get(principal, id);
  }

  async #afterDecision(
    anyTrx: AnyTransaction,
    principal: Principal,
    id: string,
    status: ReviewStatus,
    to: 'approved' | 'draft',
  ) {
    if (to === 'approved' && !status.approved) return;
    const trx = anyTrx as unknown as SanctionsTrx;
    const from = to === 'approved' ? ['in_review'] : ['in_review', 'approved'];
    for (const target of await this.store.targets(trx, [id])) {
      if (!from.includes(target.state)) continue;
      await this.store.setTarget(trx, id, target.jurisdiction, { state: to });
      await this.#log(trx, principal, id, status.contentHash ?? '', {
        jurisdiction: target.jurisdiction,
        from: target.state,
        to,
      });
    }
  }

  /** The review status of the proposal's current content (approvals, contributors, history). */
  async reviewStatus(principal: Principal, id: string): Promise<ReviewStatus> {
    await this.#row(principal, id, 'sanctions.proposal.read');
    return this.review.status(subjectOf(id));
  }

  /**
   * Records what happened with one jurisdiction: submitted (only with a live approval of exactly the
   * current content), then listed, not listed or partially listed, each with its date and a note.
   */
  async transition(
    principal: Principal,
    id: string,
    input: {
      jurisdiction: Jurisdiction;
      to: 'submitted' | 'listed' | 'not_listed' | 'partially_listed';
      date?: string | undefined;
      note?: string | undefined;
    },
  ): Promise<Proposal> {
    await this.#row(principal, id, 'sanctions.proposal.transition');
    await this.store.transaction(async (trx) => {
      const row = await this.store.proposal(trx, id, true);
      if (!row) throw new AppError('SVD_HTTP_NOT_FOUND');
      const target = (await this.store.targets(trx, [id])).find((t) => t.jurisdiction === input.jurisdiction);
      if (!target || !FORWARD[target.state as ProposalState].includes(input.to))
        throw new AppError('SVD_SANCTIONS_PROPOSAL_STATE', {
          message: `${input.jurisdiction}: a proposal in state ${target?.state ?? 'none'} cannot become ${input.to}.`,
        });
      if (input.to === 'submitted')
        await this.review.requireApproved(subjectOf(id), row.content_hash, trx as unknown as AnyTransaction);
      await this.store.setTarget(trx, id, input.jurisdiction, { state: input.to });
      await this.#log(trx, principal, id, row.content_hash, {
        jurisdiction: input.jurisdiction,
        from: target.state,
        to: input.to,
        date: input.date ?? today(),
        note: input.note ?? null,
      });
      await this.audit.record(
        {
          actor: actorOf(principal),
          action: 'sanctions.proposal.transition',
          target: { type: SUBJECT_TYPE, id },
          details: {
            jurisdiction: input.jurisdiction,
            from: target.state,
            to: input.to,
            contentHash: row.content_hash,
          },
        },
        trx as unknown as AnyTransaction,
      );
    });
    return this.get(principal, id);
  }

  /** The submission log: every state change with who, when, the date it happened and the content hash. */
  async events(principal: Principal, id: string) {
    await this.#row(principal, id, 'sanctions.proposal.read');
    return (await this.store.events(id)).map((row: EventRow) => ({
      jurisdiction: row.jurisdiction as Jurisdiction | null,
      fromState: row.from_state as ProposalState | null,
      toState: row.to_state as ProposalState | null,
      at: iso(row.at),
      date: row.event_date,
      actor: row.actor,
      contentHash: row.content_hash,
      note: row.note,
    }));
  }
}

/** Whether a proposal's reference, person's caption or any identity name contains the text. */
function proposalHolds(proposal: Proposal, text: string): boolean {
  const identity = proposal.content.identity;
  return [
    proposal.reference,
    proposal.caption,
    identity.nameLatin,
    identity.nameBelarusian,
    identity.nameRussian,
    [identity.givenName, identity.patronymic, identity.familyName].filter(Boolean).join(' '),
    ...identity.otherNames,
  ].some((value) => includesText(value, text));
}
