/**
 * Verification requests: intake (partners over the API, staff in the web app or CLI), listing and
 * reading (partners only their organization's cases), and the workflow around the analysts' work:
 * received → accepted | declined → in progress → in review → released → closed. Every step and every
 * read is in the case history and the audit log, without subject data.
 */
import { randomUUID } from 'node:crypto';
import type { Principal } from '../platform/auth/model.js';
import { actorOf } from '../platform/auth/service.js';
import { randomBytes } from '../platform/crypto.js';
import { includesText } from '../platform/db/like.js';
import { AppError } from '../platform/errors.js';
import { type SearchSection, searchHit } from '../platform/search.js';
import { CASE_SUBJECT, type CaseCore, eventHash, isStaff } from './core.js';
import {
  type CaseDetail,
  type CaseStatus,
  type CaseSummary,
  type CreateCaseRequest,
  createCaseRequestSchema,
  type Hit,
  type HitSource,
  type ListCasesQuery,
  type PartnerCase,
  retentionDays,
} from './model.js';
import type { CaseRow, HitRow } from './store.js';
import type { ReviewedContent } from './work.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A case number people can read out: `VR-2026-7K3M9Q` (random, not a count of requests). */
function caseNumber(now: Date): string {
  const bytes = randomBytes(6);
  let text = '';
  for (const byte of bytes) text += CROCKFORD[byte & 31];
  return `VR-${now.getUTCFullYear()}-${text}`;
}

const iso = (value: Date | string | null) => (value ? new Date(value).toISOString() : null);
const day = (value: string | Date | null) =>
  value ? (typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10)) : null;

function requireStaff(principal: Principal): void {
  if (!isStaff(principal) || principal.type === 'apikey') throw new AppError('SVD_HTTP_NOT_FOUND');
}

export class CaseService {
  constructor(private readonly core: CaseCore) {}

  /** Files a request. A partner's key fixes the requesting organization; staff name it. */
  async create(principal: Principal, input: CreateCaseRequest): Promise<CaseDetail | PartnerCase> {
    const request = createCaseRequestSchema.parse(input);
    let org = request.requesterOrg;
    if (principal.type === 'apikey') org = principal.organization;
    else if (principal.type === 'user' && principal.role === 'partner')
      throw new AppError('SVD_HTTP_NOT_FOUND');
    if (!org)
      throw new AppError('SVD_HTTP_VALIDATION', {
        message: 'Name the requesting organization (requesterOrg).',
      });
    const now = new Date();
    const id = randomUUID();
    const { wrapped, key } = this.core.deps.keys.create(id);
    const row: CaseRow = {
      id,
      number: caseNumber(now),
      requester_org: org,
      requester_key: principal.type === 'apikey' ? principal.id : null,
      requester_contact: request.requesterContact
        ? key.seal(request.requesterContact, `cases.requester_contact:${id}`)
        : null,
      purpose: request.purpose,
      legal_basis: request.legalBasis ?? null,
      due_date: request.dueDate ?? null,
      retention_class: request.retentionClass,
      status: 'received',
      status_reason: null,
      assigned_to: null,
      created_by:
        principal.type === 'system' ? `system:${principal.label}` : `${principal.type}:${principal.id}`,
      created_at: now,
      updated_at: now,
      released_at: null,
      closed_at: null,
      retention_until: null,
      legal_hold: false,
      data_key: wrapped,
      subject: key.seal(request.subject, `cases.subject:${id}`),
      findings: null,
      last_reviewed: null,
      erased_at: null,
      tombstone: null,
    };
    await this.core.store.transaction(async (trx) => {
      await this.core.store.insertCase(trx, row);
      await this.core.event(trx, id, principal, 'created', {
        number: row.number,
        requesterOrg: org,
        retentionClass: row.retention_class,
        dueDate: row.due_date,
        subjectNames: request.subject.names.length,
        birthDate: request.subject.birthDate ? 'given' : 'none',
      });
    });
    return this.get(principal, id, { recordRead: false });
  }

  /** Cases the principal may see, newest first: a partner's own organization's, or all for staff. */
  async list(principal: Principal, query: ListCasesQuery): Promise<CaseSummary[]> {
    return (await this.#list(principal, query)).cases;
  }

  /**
   * The top bar's "cases" section: cases the principal may see whose number, requester, purpose or (for
   * staff) subject's names hold the text, newest first, with their count (the list's own filter).
   */
  async search(principal: Principal, text: string, limit: number): Promise<SearchSection> {
    const { cases, total } = await this.#list(principal, { q: text, limit });
    return {
      key: 'cases',
      total: { value: total, relation: 'eq' },
      items: cases.map((c) =>
        searchHit({
          id: c.id,
          title: c.number,
          subtitle: [c.subjectName, c.requesterOrg].filter(Boolean).join(' · ') || null,
          date: c.createdAt,
          tag: c.status,
        }),
      ),
    };
  }

  async #list(principal: Principal, query: ListCasesQuery): Promise<{ cases: CaseSummary[]; total: number }> {
    if (principal.type === 'user' && principal.role === 'partner') return { cases: [], total: 0 };
    const today = new Date().toISOString().slice(0, 10);
    const text = query.q?.trim() || undefined;
    const rows = await this.core.store.listCases({
      org: principal.type === 'apikey' ? principal.organization : undefined,
      status: query.status,
      assignedTo: query.mine && principal.type === 'user' ? principal.id : undefined,
      dueBefore: query.overdue ? today : undefined,
      // The subject's names are encrypted under each case's key: a text search reads every case and opens them.
      limit: text ? undefined : query.limit,
    });
    const staff = principal.type !== 'apikey';
    const matching = text ? rows.filter((row) => this.#holds(row, text, staff)) : rows;
    const summaries = matching.slice(0, query.limit).map((row) => this.#summary(row, staff, today));
    await this.core.deps.audit.record({
      actor: actorOf(principal),
      action: 'cases.list',
      ...(text ? { sealed: { q: text } } : {}),
      details: { count: summaries.length, status: query.status ?? null, mine: query.mine ?? false },
    });
    return { cases: summaries, total: matching.length };
  }

  /** Whether the case's number, requester, purpose or (for staff) subject's names contain the text. */
  #holds(row: CaseRow, text: string, staff: boolean): boolean {
    if ([row.number, row.requester_org, row.purpose].some((value) => includesText(value, text))) return true;
    if (!staff || row.erased_at || !row.subject) return false;
    return this.core.subject(row).names.some((name) => includesText(name, text));
  }

  #summary(row: CaseRow, staff: boolean, today: string): CaseSummary {
    let subjectName: string | null = null;
    if (staff && !row.erased_at) subjectName = this.core.subject(row).names[0] ?? null;
    return {
      id: row.id,
      number: row.number,
      requesterOrg: row.requester_org,
      purpose: row.purpose,
      status: row.status,
      dueDate: day(row.due_date),
      overdue:
        !!row.due_date &&
        day(row.due_date)! < today &&
        !['declined', 'released', 'closed'].includes(row.status),
      retentionClass: row.retention_class,
      assignedTo: row.assigned_to,
      createdAt: iso(row.created_at)!,
      updatedAt: iso(row.updated_at)!,
      erased: !!row.erased_at,
      subjectName,
    };
  }

  /** One case: the whole file for staff, the request and its released reports for the partner. */
  async get(
    principal: Principal,
    id: string,
    options: { recordRead?: boolean } = {},
  ): Promise<CaseDetail | PartnerCase> {
    const row = await this.core.load(principal, id, 'cases.read');
    if (options.recordRead !== false)
      await this.core.store.transaction((trx) => this.core.event(trx, id, principal, 'read'));
    const reports = await this.core.deps.reports.list({ type: CASE_SUBJECT, id });
    if (principal.type === 'apikey') {
      return {
        id: row.id,
        number: row.number,
        status: row.status,
        statusReason: row.status === 'declined' ? row.status_reason : null,
        purpose: row.purpose,
        dueDate: day(row.due_date),
        createdAt: iso(row.created_at)!,
        releasedAt: iso(row.released_at),
        erased: !!row.erased_at,
        reports: reports
          .filter((r) => !r.draft)
          .map((r) => ({
            id: r.id,
            version: r.version,
            issuedAt: r.issuedAt,
            pdfSha256: r.pdfSha256,
            verificationCode: r.verificationCode,
          })),
      };
    }
    const today = new Date().toISOString().slice(0, 10);
    const erased = !!row.erased_at;
    const key = erased ? null : this.core.key(row);
    const findings = key && row.findings ? this.core.findings(row, key) : null;
    const hits = key ? await this.hits(row) : [];
    const review = await this.core.deps.review.status({ type: CASE_SUBJECT, id });
    return {
      ...this.#summary(row, true, today),
      requesterContact:
        key && row.requester_contact
          ? key.open<string>(row.requester_contact, `cases.requester_contact:${row.id}`)
          : null,
      legalBasis: row.legal_basis,
      statusReason: row.status_reason,
      legalHold: row.legal_hold,
      retentionUntil: iso(row.retention_until),
      releasedAt: iso(row.released_at),
      closedAt: iso(row.closed_at),
      subject: key ? this.core.subject(row, key) : null,
      findings,
      findingsHash: review.contentHash,
      lastReviewed:
        key && row.last_reviewed
          ? key.open<ReviewedContent>(row.last_reviewed, `cases.last_reviewed:${row.id}`)
          : null,
      review: review.contentHash ? review : null,
      hits,
      screenings: (await this.core.store.screenings(id)).map((s) => ({
        id: s.id,
        runAt: iso(s.run_at)!,
        runBy: s.run_by,
        resultCount: Number(s.result_count),
      })),
      reports,
      tombstone: row.tombstone,
    };
  }

  /** The case's hits, opened, with what changed in the latest screening. */
  async hits(row: CaseRow, rows?: HitRow[]): Promise<Hit[]> {
    const key = this.core.key(row);
    const hitRows = rows ?? (await this.core.store.hits(this.core.store.db, row.id));
    const screenings = await this.core.store.screenings(row.id);
    const latest = screenings[screenings.length - 1]?.id;
    return hitRows.map((hit) => {
      const data = key.open<
        Omit<Hit, 'id' | 'review' | 'reviewReason' | 'reviewedBy' | 'reviewedAt' | 'change' | 'source'> & {
          previousScore: number | null;
          source?: HitSource;
        }
      >(hit.data, `cases.hit:${hit.id}`);
      // Hits stored before incident persons were screened are registry hits.
      const { previousScore, source = { kind: 'registry' }, ...rest } = data;
      const change: Hit['change'] =
        hit.last_screening !== latest
          ? 'gone'
          : hit.first_screening === latest
            ? 'new'
            : previousScore !== null && Math.abs(previousScore - rest.score) > 1e-9
              ? 'changed'
              : 'same';
      return {
        ...rest,
        source,
        id: hit.id,
        review: hit.review,
        reviewReason: hit.review_reason
          ? key.open<string>(hit.review_reason, `cases.hit_reason:${hit.id}`)
          : null,
        reviewedBy: hit.reviewed_by,
        reviewedAt: iso(hit.reviewed_at),
        change,
      };
    });
  }

  #transition(
    principal: Principal,
    id: string,
    action: string,
    from: readonly CaseStatus[],
    to: CaseStatus,
    extra: (row: CaseRow, now: Date) => Partial<CaseRow> = () => ({}),
    details: Record<string, unknown> = {},
  ) {
    requireStaff(principal);
    return this.core.write(principal, id, action, async (trx, row) => {
      this.core.requireStatus(row, from);
      const now = new Date();
      await this.core.store.updateCase(trx, id, { status: to, updated_at: now, ...extra(row, now) });
      await this.core.event(trx, id, principal, action, { from: row.status, to, ...details });
    });
  }

  accept(principal: Principal, id: string) {
    return this.#transition(principal, id, 'accepted', ['received'], 'accepted');
  }

  decline(principal: Principal, id: string, reason: string) {
    if (!reason.trim()) throw new AppError('SVD_CASES_REASON_REQUIRED');
    return this.#transition(
      principal,
      id,
      'declined',
      ['received', 'accepted'],
      'declined',
      (row, now) => ({
        status_reason: reason.trim().slice(0, 2000),
        closed_at: now,
        retention_until: new Date(now.getTime() + retentionDays[row.retention_class] * 86_400_000),
      }),
      { reasonLength: reason.trim().length },
    );
  }

  close(principal: Principal, id: string) {
    return this.#transition(principal, id, 'closed', ['released'], 'closed', (row, now) => ({
      closed_at: now,
      retention_until: new Date(now.getTime() + retentionDays[row.retention_class] * 86_400_000),
    }));
  }

  /** Assigns the case to a staff member (or unassigns with null). */
  async assign(principal: Principal, id: string, userId: string | null): Promise<void> {
    requireStaff(principal);
    if (userId) {
      const staff = await this.core.deps.listStaff();
      const user = staff.find((u) => u.id === userId);
      if (!user || user.disabled || !['admin', 'analyst', 'reviewer'].includes(user.role))
        throw new AppError('SVD_CASES_ASSIGNEE');
    }
    await this.core.write(principal, id, 'assigned', async (trx, row) => {
      if (row.erased_at) throw new AppError('SVD_CASES_ERASED');
      await this.core.store.updateCase(trx, id, { assigned_to: userId, updated_at: new Date() });
      await this.core.event(trx, id, principal, 'assigned', { from: row.assigned_to, to: userId });
    });
  }

  /** Sets or lifts a legal hold (administrators): a held case is never erased. */
  async setLegalHold(principal: Principal, id: string, hold: boolean): Promise<void> {
    if (!(principal.type === 'system' || (principal.type === 'user' && principal.role === 'admin')))
      throw new AppError('SVD_HTTP_NOT_FOUND');
    await this.core.write(principal, id, 'legal_hold', async (trx) => {
      await this.core.store.updateCase(trx, id, { legal_hold: hold, updated_at: new Date() });
      await this.core.event(trx, id, principal, 'legal_hold', { hold });
    });
  }

  /** The case history (hash-chained), with whether the chain recomputes. */
  async history(principal: Principal, id: string) {
    requireStaff(principal);
    await this.core.load(principal, id, 'cases.history');
    const rows = await this.core.store.events(id);
    let prev = '0'.repeat(64);
    let intact = true;
    for (const row of rows) {
      const { hash, ...rest } = row;
      if (row.prev_hash !== prev || eventHash(rest) !== hash) intact = false;
      prev = hash;
    }
    return {
      intact,
      events: rows.map((row) => ({
        seq: Number(row.seq),
        at: iso(row.at)!,
        action: row.action,
        actor: row.actor,
        actorLabel: row.actor_label,
        details: row.details,
        hash: row.hash,
      })),
    };
  }
}
