/**
 * Issued reports: every report file the product hands out gets a version, a verification code printed
 * on it, and its SHA-256 (PDF and JSON twin) recorded in the report custody (rows hash-chained per
 * subject) and in the audit log before anyone receives it. `verify` tells whether a file is exactly
 * one we issued, claims to be one but was altered, or is not ours.
 */
import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson } from '../audit/chain.js';
import type { AuditService } from '../audit/service.js';
import type { Principal } from '../auth/model.js';
import { actorOf } from '../auth/service.js';
import { randomBytes } from '../crypto.js';
import type { AnyDb, AnyTransaction } from '../db/database.js';
import { AppError } from '../errors.js';
import { principalKey } from '../review/model.js';
// The model module also registers this module's error codes.
import type { IssuedReport, ReportStamp, ReportVerification } from './model.js';
import './model.js';
import { type ReportRow, ReportStore } from './store.js';

const GENESIS = '0'.repeat(64);
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** `SVD-XXXX-XXXX-XXXX`: 60 random bits in Crockford base32 (no I, L, O, U: easy to read out). */
export const VERIFICATION_CODE = /SVD-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}/g;

export function newVerificationCode(): string {
  const bytes = randomBytes(8);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let text = '';
  for (let i = 0; i < 12; i++) text += CROCKFORD[Number((bits >> BigInt(i * 5)) & 31n)];
  return `SVD-${text.slice(0, 4)}-${text.slice(4, 8)}-${text.slice(8, 12)}`;
}

export function sha256Hex(data: Buffer | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function rowHash(row: Omit<ReportRow, 'hash'>): string {
  return createHash('sha256')
    .update(canonicalJson({ ...row, issued_at: new Date(row.issued_at).toISOString() }))
    .digest('hex');
}

function toReport(row: ReportRow): IssuedReport {
  return {
    id: row.id,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    kind: row.kind,
    version: Number(row.version),
    draft: row.draft,
    verificationCode: row.verification_code,
    pdfSha256: row.pdf_sha256,
    pdfSize: Number(row.pdf_size),
    jsonSha256: row.json_sha256,
    issuedAt: new Date(row.issued_at).toISOString(),
    issuedBy: row.issued_by,
    hash: row.hash,
  };
}

export interface IssueInput {
  subject: { type: string; id: string };
  /** What kind of report (`case-report`, `sanctions-dossier` …), recorded and shown by verify. */
  kind: string;
  draft: boolean;
  /** Renders the files for this stamp. Runs inside the issuing transaction: no database calls. */
  build: (stamp: ReportStamp) => Promise<{ pdf: Buffer; json?: Buffer }>;
}

export class ReportService {
  readonly #store: ReportStore;

  constructor(
    db: AnyDb,
    private readonly audit: AuditService,
  ) {
    this.#store = new ReportStore(db);
  }

  /**
   * Issues a report: allocates the next version and a verification code, renders, hashes, records
   * the custody row and the audit event, all in one transaction; `then` adds the owner's own record
   * (its case history) to the same transaction. Returns the exact bytes that were hashed.
   */
  async issue(
    actor: Principal,
    input: IssueInput,
    then?: (trx: AnyTransaction, report: IssuedReport) => Promise<void>,
  ): Promise<{ report: IssuedReport; pdf: Buffer; json: Buffer | null }> {
    return this.#store.transaction(async (trx) => {
      await this.#store.lockSubject(trx, input.subject.type, input.subject.id);
      const last = await this.#store.last(trx, input.subject.type, input.subject.id);
      const stamp: ReportStamp = {
        version: (last ? Number(last.version) : 0) + 1,
        verificationCode: newVerificationCode(),
        issuedAt: new Date(Math.floor(Date.now() / 1000) * 1000),
        draft: input.draft,
      };
      const files = await input.build(stamp);
      const base: Omit<ReportRow, 'hash'> = {
        id: randomUUID(),
        subject_type: input.subject.type,
        subject_id: input.subject.id,
        kind: input.kind,
        version: stamp.version,
        draft: stamp.draft,
        verification_code: stamp.verificationCode,
        pdf_sha256: sha256Hex(files.pdf),
        pdf_size: files.pdf.length,
        json_sha256: files.json ? sha256Hex(files.json) : null,
        issued_at: stamp.issuedAt,
        issued_by: principalKey(actor),
        prev_hash: last?.hash ?? GENESIS,
      };
      const row: ReportRow = { ...base, hash: rowHash(base) };
      await this.#store.insert(trx, row);
      const report = toReport(row);
      if (then) await then(trx, report);
      await this.audit.record(
        {
          actor: actorOf(actor),
          action: 'report.issue',
          target: input.subject,
          details: {
            reportId: row.id,
            kind: row.kind,
            version: row.version,
            draft: row.draft,
            verificationCode: row.verification_code,
            pdfSha256: row.pdf_sha256,
            jsonSha256: row.json_sha256,
          },
        },
        trx,
      );
      return { report, pdf: files.pdf, json: files.json ?? null };
    });
  }

  /** All reports issued for a subject, oldest first. */
  async list(subject: { type: string; id: string }): Promise<IssuedReport[]> {
    return (await this.#store.list(subject.type, subject.id)).map(toReport);
  }

  async get(id: string): Promise<IssuedReport> {
    const row = /^[0-9a-f-]{36}$/i.test(id) ? await this.#store.get(id) : undefined;
    if (!row) throw new AppError('SVD_REPORT_NOT_FOUND');
    return toReport(row);
  }

  /**
   * Checks a file: exactly issued (by SHA-256 of the PDF or the JSON twin), altered (it carries one of
   * our verification codes but not the bytes issued under it), or unknown. Audited with the hash.
   */
  async verify(actor: Principal, bytes: Buffer): Promise<ReportVerification> {
    const sha256 = sha256Hex(bytes);
    let result: ReportVerification;
    const found = await this.#store.findByHash(sha256);
    if (found) {
      result = {
        status: 'issued',
        format: found.format,
        sha256,
        report: toReport(found.row),
        custodyIntact: await this.#custodyIntact(found.row),
      };
    } else {
      const codes = [...new Set(bytes.toString('latin1').match(VERIFICATION_CODE) ?? [])].slice(0, 20);
      const claimed = await this.#store.findByCode(codes);
      result = claimed
        ? {
            status: 'altered',
            format: null,
            sha256,
            report: toReport(claimed),
            custodyIntact: await this.#custodyIntact(claimed),
          }
        : { status: 'unknown', format: null, sha256, report: null, custodyIntact: null };
    }
    await this.audit.record({
      actor: actorOf(actor),
      action: 'report.verify',
      outcome: result.status === 'issued' ? 'ok' : 'failed',
      target: result.report ? { type: result.report.subjectType, id: result.report.subjectId } : null,
      details: { sha256, status: result.status, reportId: result.report?.id ?? null },
    });
    return result;
  }

  async #custodyIntact(row: ReportRow): Promise<boolean> {
    let prev = GENESIS;
    for (const r of await this.#store.list(row.subject_type, row.subject_id)) {
      const { hash, ...rest } = r;
      if (r.prev_hash !== prev || rowHash(rest) !== hash) return false;
      prev = hash;
    }
    return true;
  }

  /** Records a delivery of an issued report (a partner's download, a hand-over); audited. */
  async recordDelivery(
    actor: Principal,
    reportId: string,
    delivery: { recipient: string; channel: string },
    trx?: AnyTransaction,
  ): Promise<void> {
    // Read through the caller's transaction when there is one (the embedded database has one connection).
    const row = /^[0-9a-f-]{36}$/i.test(reportId) ? await this.#store.get(reportId, trx) : undefined;
    if (!row) throw new AppError('SVD_REPORT_NOT_FOUND');
    const report = toReport(row);
    const write = async (executor: AnyTransaction) => {
      await this.#store.insertDelivery(executor, {
        id: randomUUID(),
        report_id: report.id,
        delivered_at: new Date(),
        recipient: delivery.recipient.slice(0, 300),
        channel: delivery.channel.slice(0, 50),
      });
      await this.audit.record(
        {
          actor: actorOf(actor),
          action: 'report.deliver',
          target: { type: report.subjectType, id: report.subjectId },
          details: { reportId: report.id, version: report.version, pdfSha256: report.pdfSha256, ...delivery },
        },
        executor,
      );
    };
    if (trx) await write(trx);
    else await this.#store.db.transaction().execute(write);
  }

  /** Deliveries of the given reports, newest first. */
  async deliveries(reportIds: string[]) {
    return (await this.#store.deliveries(reportIds)).map((d) => ({
      id: d.id,
      reportId: d.report_id,
      deliveredAt: new Date(d.delivered_at).toISOString(),
      recipient: d.recipient,
      channel: d.channel,
    }));
  }
}
