/**
 * Case reports: drafts at any time (watermarked), the released report only for the content a second
 * officer approved; each issued through platform/reports (version, verification code, SHA-256 in the
 * report custody, the case history and the audit log). The bytes are kept encrypted under the case key
 * so the requesting partner can download exactly what was issued; every delivery is logged.
 */
import type { Principal } from '../platform/auth/model.js';
import { AppError } from '../platform/errors.js';
import type { IssuedReport, ReportVerification } from '../platform/reports/model.js';
import { renderPdf } from '../platform/reports/pdf.js';
import { CASE_SUBJECT, type CaseCore, isStaff } from './core.js';
import type { CitedEvidenceEntry } from './model.js';
import {
  type CaseReportInput,
  caseReportDocument,
  caseReportJson,
  citedSha256s,
  type ReportLanguage,
} from './report-document.js';
import type { CaseService } from './service.js';
import { CaseStore } from './store.js';
import type { CaseWork } from './work.js';

export interface IssuedCaseReport {
  report: IssuedReport;
  pdf: Buffer;
  json: Buffer;
}

export class CaseReporting {
  constructor(
    private readonly core: CaseCore,
    private readonly cases: CaseService,
    private readonly work: CaseWork,
  ) {}

  /** Issues a draft, or the released report (only for approved content of a released or closed case). */
  async issue(
    principal: Principal,
    id: string,
    options: { draft: boolean; language?: ReportLanguage },
  ): Promise<IssuedCaseReport> {
    if (!isStaff(principal) || principal.type === 'apikey') throw new AppError('SVD_HTTP_NOT_FOUND');
    const row = await this.core.load(principal, id, 'cases.report');
    if (row.erased_at) throw new AppError('SVD_CASES_ERASED');
    const subjectRef = { type: CASE_SUBJECT, id };
    const { hash } = await this.work.reviewedContent(row);
    const review = await this.core.deps.review.status(subjectRef);
    if (!options.draft) {
      if (row.status !== 'released' && row.status !== 'closed') throw new AppError('SVD_CASES_NOT_RELEASED');
      await this.core.deps.review.requireApproved(subjectRef, hash);
    }
    const key = this.core.key(row);
    const findings = this.core.findings(row, key);
    const staff = new Map((await this.core.deps.listStaff()).map((u) => [`user:${u.id}`, u]));
    // Officers by role and id; with the reportOfficerNames setting, their names too.
    const officer = (key: string) => {
      const user = staff.get(key);
      const label = `${user?.role ?? 'user'} · ${key.startsWith('user:') ? key.slice(5) : key}`;
      return this.core.deps.officerNames && user?.displayName ? `${label} · ${user.displayName}` : label;
    };
    const approvers = new Set(review.approvals.map((a) => a.reviewer));
    const input: CaseReportInput = {
      number: row.number,
      requesterOrg: row.requester_org,
      purpose: row.purpose,
      legalBasis: row.legal_basis,
      receivedAt: new Date(row.created_at).toISOString(),
      releasedAt: row.released_at ? new Date(row.released_at).toISOString() : null,
      subject: this.core.subject(row, key),
      findings,
      hits: await this.cases.hits(row),
      evidence: (await this.core.deps.evidence?.describe(principal, citedSha256s(findings))) ?? new Map(),
      review,
      authors: review.contributors.filter((c) => c.startsWith('user:') && !approvers.has(c)).map(officer),
      reviewers: Object.fromEntries(review.approvals.map((a) => [a.reviewer, officer(a.reviewer)])),
    };
    const document = caseReportDocument(input, options.language ?? 'be');
    let files: { pdf: Buffer; json: Buffer } | undefined;
    const { report } = await this.core.deps.reports.issue(
      principal,
      {
        subject: subjectRef,
        kind: 'verification-report',
        draft: options.draft,
        build: async (stamp) => {
          const json = caseReportJson(input, stamp, hash);
          const pdf = await renderPdf(document, stamp, [
            {
              name: `${row.number}-v${stamp.version}.json`,
              type: 'application/json',
              data: json,
              description: 'JSON twin',
            },
          ]);
          files = { pdf, json };
          return files;
        },
      },
      async (trx, issued) => {
        const store = CaseStore.within(trx);
        await this.core.store.insertReportBytes(store, {
          report_id: issued.id,
          case_id: id,
          pdf: key.seal(files!.pdf.toString('base64'), `cases.report_pdf:${issued.id}`),
          json: key.seal(files!.json.toString('base64'), `cases.report_json:${issued.id}`),
        });
        await this.core.event(trx, id, principal, 'report_issued', {
          reportId: issued.id,
          version: issued.version,
          draft: issued.draft,
          verificationCode: issued.verificationCode,
          pdfSha256: issued.pdfSha256,
          jsonSha256: issued.jsonSha256,
          contentHash: hash,
        });
      },
    );
    return { report, pdf: files!.pdf, json: files!.json };
  }

  /** The evidence the findings cite, each looked up in the vault by SHA-256 (staff only; not recorded as custody). */
  async citedEvidence(principal: Principal, id: string): Promise<CitedEvidenceEntry[]> {
    if (!isStaff(principal) || principal.type === 'apikey') throw new AppError('SVD_HTTP_NOT_FOUND');
    const row = await this.core.load(principal, id, 'cases.evidence');
    if (row.erased_at) return [];
    const findings = this.core.findings(row);
    const cited = citedSha256s(findings);
    const described = (await this.core.deps.evidence?.describe(principal, cited)) ?? new Map();
    return cited.map((sha256) => ({
      sha256,
      ...(described.get(sha256) ?? {}),
      inVault: described.has(sha256),
      findings: findings.items.flatMap((item, index) =>
        item.links.some((link) => link.kind === 'evidence' && link.sha256 === sha256) ? [index + 1] : [],
      ),
    }));
  }

  /**
   * The latest released report (or the one asked for) as issued, for the partner or staff; the
   * delivery is logged. Partners never receive drafts.
   */
  async download(
    principal: Principal,
    id: string,
    reportId?: string,
  ): Promise<{ report: IssuedReport; pdf: Buffer; json: Buffer }> {
    const row = await this.core.load(principal, id, 'cases.report.download');
    const reports = await this.core.deps.reports.list({ type: CASE_SUBJECT, id });
    const partner = principal.type === 'apikey';
    const candidates = reports.filter(
      (r) => (reportId ? r.id === reportId : !r.draft) && (!partner || !r.draft),
    );
    const report = candidates[candidates.length - 1];
    if (!report) throw new AppError(reportId ? 'SVD_REPORT_NOT_FOUND' : 'SVD_CASES_NOT_RELEASED');
    const key = this.core.key(row);
    const stored = await this.core.store.reportBytes(report.id);
    if (!stored) throw new AppError('SVD_CASES_ERASED');
    const pdf = Buffer.from(key.open<string>(stored.pdf, `cases.report_pdf:${report.id}`), 'base64');
    const json = Buffer.from(key.open<string>(stored.json, `cases.report_json:${report.id}`), 'base64');
    await this.core.store.transaction(async (trx) => {
      await this.core.deps.reports.recordDelivery(
        principal,
        report.id,
        {
          recipient: partner
            ? `${principal.organization} (${principal.name})`
            : `staff:${'id' in principal ? principal.id : 'system'}`,
          channel: partner ? 'api' : 'staff',
        },
        trx,
      );
      await this.core.event(trx, id, principal, 'report_delivered', {
        reportId: report.id,
        version: report.version,
      });
    });
    return { report, pdf, json };
  }

  /** Whether a file is an unaltered report we issued, with its case number (or that the case was erased). */
  async verify(
    principal: Principal,
    bytes: Buffer,
  ): Promise<ReportVerification & { caseNumber: string | null; caseErased: boolean | null }> {
    const result = await this.core.deps.reports.verify(principal, bytes);
    if (result.report?.subjectType !== CASE_SUBJECT) {
      return result.report
        ? { ...result, status: 'unknown', report: null, caseNumber: null, caseErased: null }
        : { ...result, caseNumber: null, caseErased: null };
    }
    const row = await this.core.store.getCase(this.core.store.db, result.report.subjectId);
    return { ...result, caseNumber: row?.number ?? null, caseErased: row ? !!row.erased_at : null };
  }
}
