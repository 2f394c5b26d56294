/**
 * Reports: error codes, the document model every report is written in (areas describe content; the
 * renderer lays it out), and the record of an issued report.
 */
import { z } from 'zod';
import { defineErrors } from '../errors.js';

export const reportErrors = defineErrors({
  SVD_REPORT_RENDER: { status: 500, message: 'The report could not be rendered. The error was logged.' },
  SVD_REPORT_NOT_FOUND: { status: 404, message: 'No such report.' },
  SVD_REPORT_FILE: { status: 400, message: 'The file cannot be read.' },
});

/** A block of report content, laid out top to bottom. */
export type ReportBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string; muted?: boolean }
  /** Label–value rows (a case's requester, purpose, subject …). */
  | { kind: 'fields'; rows: Array<[string, string]> }
  /** A table; `widths` are relative column widths (default equal). Long cells wrap. */
  | { kind: 'table'; columns: string[]; rows: string[][]; widths?: number[] }
  | { kind: 'list'; items: string[] };

/** A whole report as content: the renderer adds page furniture (stamp, watermark, page numbers). */
export interface ReportDocument {
  title: string;
  subtitle?: string;
  /** BCP 47 language of the labels (`be`, `ru`, `en`); content may be in any language. */
  language: string;
  /** Document-information fields (author is the organization, never a person). */
  author?: string;
  subject?: string;
  blocks: ReportBlock[];
  /** Labels of the page furniture in the report's language. */
  labels?: Partial<ReportLabels>;
}

export interface ReportLabels {
  draft: string;
  verification: string;
  version: string;
  page: string;
  issued: string;
}

/** What the report service stamps on every issued report before it is rendered and hashed. */
export interface ReportStamp {
  version: number;
  verificationCode: string;
  issuedAt: Date;
  draft: boolean;
}

export const issuedReportSchema = z.object({
  id: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  kind: z.string(),
  version: z.number().int(),
  draft: z.boolean(),
  verificationCode: z.string(),
  pdfSha256: z.string(),
  pdfSize: z.number().int(),
  jsonSha256: z.string().nullable(),
  issuedAt: z.string(),
  issuedBy: z.string(),
  hash: z.string(),
});
export type IssuedReport = z.infer<typeof issuedReportSchema>;

export const reportVerificationSchema = z.object({
  /** issued: the bytes are exactly a file we issued; altered: the file names a report of ours but its
   *  bytes differ; unknown: nothing of ours. */
  status: z.enum(['issued', 'altered', 'unknown']),
  format: z.enum(['pdf', 'json']).nullable(),
  sha256: z.string(),
  report: issuedReportSchema.nullable(),
  /** The subject's report custody chain recomputes (false: a row was changed in the database). */
  custodyIntact: z.boolean().nullable(),
});
export type ReportVerification = z.infer<typeof reportVerificationSchema>;
