/**
 * Verification cases: error codes, vocabularies and the Zod schemas that validate requests, type the
 * code and feed the OpenAPI document (the web app derives its types from these).
 */
import { z } from 'zod';
import { defineErrors } from '../platform/errors.js';
import { issuedReportSchema } from '../platform/reports/model.js';
import { reviewStatusSchema } from '../platform/review/model.js';

export const caseErrors = defineErrors({
  SVD_CASES_TRANSITION: { status: 409, message: 'This step is not possible in the case’s current state.' },
  SVD_CASES_ERASED: {
    status: 410,
    message: 'The subject data of this case was erased under its retention rules.',
  },
  SVD_CASES_LEGAL_HOLD: { status: 409, message: 'The case is under a legal hold: it cannot be erased.' },
  SVD_CASES_NOT_RELEASED: { status: 409, message: 'No report of this case has been released yet.' },
  SVD_CASES_HIT_UNKNOWN: { status: 404, message: 'No such screening hit in this case.' },
  SVD_CASES_REASON_REQUIRED: { status: 400, message: 'Give a reason.' },
  SVD_CASES_FINDINGS_INCOMPLETE: {
    status: 400,
    message: 'Findings need a conclusion and a narrative before review.',
  },
  SVD_CASES_HITS_PENDING: {
    status: 409,
    message: 'Every screening hit must be reviewed (confirmed, dismissed or unsure) before review.',
  },
  SVD_CASES_ASSIGNEE: {
    status: 400,
    message: 'Cases are assigned to an active analyst, reviewer or administrator.',
  },
  SVD_CASES_DATE: { status: 400, message: 'A date is not valid (use YYYY, YYYY-MM or YYYY-MM-DD).' },
});

export const caseStatuses = [
  'received',
  'accepted',
  'declined',
  'in_progress',
  'in_review',
  'released',
  'closed',
] as const;
export type CaseStatus = (typeof caseStatuses)[number];

export const retentionClasses = ['short', 'standard', 'long'] as const;
export type RetentionClass = (typeof retentionClasses)[number];
/** Days a case's subject data is kept after the case ends (declined, or closed). */
export const retentionDays: Record<RetentionClass, number> = { short: 90, standard: 365, long: 5 * 365 };

export const conclusions = [
  'no_adverse_information',
  'adverse_information_found',
  'collaboration_indicated',
  'inconclusive',
] as const;
export const confidences = ['low', 'medium', 'high'] as const;
export const hitReviews = ['pending', 'confirmed', 'dismissed', 'unsure'] as const;

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((value) => !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(value), 'contains control characters');

/** A full or partial birth date: YYYY, YYYY-MM or YYYY-MM-DD (DD.MM.YYYY is accepted and normalized). */
export const partialDateSchema = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const dotted = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value);
    const iso = dotted ? `${dotted[3]}-${dotted[2]!.padStart(2, '0')}-${dotted[1]!.padStart(2, '0')}` : value;
    const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(iso);
    const ok =
      match &&
      Number(match[1]) >= 1900 &&
      Number(match[1]) <= 2100 &&
      (!match[2] || (Number(match[2]) >= 1 && Number(match[2]) <= 12)) &&
      (!match[3] || new Date(`${iso}T00:00:00Z`).toISOString().slice(0, 10) === iso);
    if (!ok) {
      ctx.addIssue({ code: 'custom', message: 'use YYYY, YYYY-MM or YYYY-MM-DD' });
      return z.NEVER;
    }
    return iso;
  });

export const subjectSchema = z
  .object({
    names: z
      .array(text(300).pipe(z.string().min(1)))
      .min(1)
      .max(30)
      .describe('names in any script'),
    birthDate: partialDateSchema.optional(),
    birthPlace: text(300).optional(),
    nationality: z.array(text(100)).max(10).optional(),
    identifiers: z
      .array(z.object({ type: text(50), value: text(200).pipe(z.string().min(1)) }).strict())
      .max(20)
      .optional(),
    /** An evidence item (restricted collection) holding the subject's photo. */
    photoItemId: z.string().uuid().optional(),
  })
  .strict();
export type Subject = z.infer<typeof subjectSchema>;
/** The subject as answered (the request schema normalizes dates, which a response cannot do backwards). */
export const subjectViewSchema = subjectSchema.extend({ birthDate: z.string().optional() });

export const createCaseRequestSchema = z
  .object({
    requesterOrg: text(200)
      .pipe(z.string().min(1))
      .optional()
      .describe('staff intake; partners: their key’s organization'),
    requesterContact: text(500).optional(),
    purpose: text(2000).pipe(z.string().min(1)),
    legalBasis: text(500).optional(),
    dueDate: z.string().date().optional(),
    retentionClass: z.enum(retentionClasses).default('standard'),
    subject: subjectSchema,
  })
  .strict();
export type CreateCaseRequest = z.input<typeof createCaseRequestSchema>;

export const findingLinkSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('evidence'),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    note: text(500).optional(),
  }),
  z.object({ kind: z.literal('incident'), id: z.string().uuid(), note: text(500).optional() }),
  z.object({ kind: z.literal('entity'), id: text(200).pipe(z.string().min(1)), note: text(500).optional() }),
  z.object({
    kind: z.literal('record'),
    dataset: text(200).pipe(z.string().min(1)),
    id: text(200).pipe(z.string().min(1)),
    note: text(500).optional(),
  }),
]);
export type FindingLink = z.infer<typeof findingLinkSchema>;

export const findingsSchema = z
  .object({
    conclusion: z.enum(conclusions).nullable().default(null),
    confidence: z.enum(confidences).nullable().default(null),
    narrative: text(50_000).default(''),
    exculpatory: text(20_000).default(''),
    items: z
      .array(
        z
          .object({
            text: text(10_000).pipe(z.string().min(1)),
            links: z.array(findingLinkSchema).max(500).default([]),
          })
          .strict(),
      )
      .max(500)
      .default([]),
  })
  .strict();
export type Findings = z.infer<typeof findingsSchema>;
export const emptyFindings: Findings = {
  conclusion: null,
  confidence: null,
  narrative: '',
  exculpatory: '',
  items: [],
};

/**
 * Where a hit came from: a registry record or cluster (datasets, imported lists), or a person an
 * incident names without a registry entity (matched on the name as written in the incident).
 */
export const hitSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('registry') }),
  z.object({
    kind: z.literal('incident'),
    incidentId: z.string(),
    incidentTitle: z.string(),
    personId: z.string(),
    role: z.enum(['victim', 'perpetrator', 'witness']),
  }),
]);
export type HitSource = z.infer<typeof hitSourceSchema>;

export const hitSchema = z.object({
  id: z.string(),
  /** The registry record (or, for an incident hit, the incident person) that matched. */
  entityId: z.string(),
  clusterId: z.string().nullable(),
  schema: z.string(),
  caption: z.string(),
  score: z.number(),
  match: z.boolean(),
  datasets: z.array(z.string()),
  properties: z.record(z.string(), z.array(z.string())),
  explanations: z.array(z.unknown()),
  source: hitSourceSchema,
  review: z.enum(hitReviews),
  reviewReason: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  /** Changed since the previous screening: new, score changed, or gone from the latest run. */
  change: z.enum(['new', 'changed', 'same', 'gone']),
});
export type Hit = z.infer<typeof hitSchema>;

export const caseSummarySchema = z.object({
  id: z.string(),
  number: z.string(),
  requesterOrg: z.string(),
  purpose: z.string(),
  status: z.enum(caseStatuses),
  dueDate: z.string().nullable(),
  overdue: z.boolean(),
  retentionClass: z.enum(retentionClasses),
  assignedTo: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  erased: z.boolean(),
  /** First subject name (staff only; null for erased cases). */
  subjectName: z.string().nullable(),
});
export type CaseSummary = z.infer<typeof caseSummarySchema>;

/** Evidence the findings cite by SHA-256, as the vault knows it (the item the reader may see, its custody). */
export const citedEvidenceSchema = z.object({
  sha256: z.string(),
  inVault: z.boolean(),
  itemId: z.string().optional(),
  mediaType: z.string().optional(),
  receivedAt: z.string().optional(),
  custodyEvents: z.number().optional(),
  custodyHead: z.string().optional(),
  /** The numbers (from 1) of the finding items that cite it. */
  findings: z.array(z.number()),
});
export type CitedEvidenceEntry = z.infer<typeof citedEvidenceSchema>;

export const caseEventSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  action: z.string(),
  actor: z.string(),
  actorLabel: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});
export type CaseEvent = z.infer<typeof caseEventSchema>;

export const caseDetailSchema = caseSummarySchema.extend({
  requesterContact: z.string().nullable(),
  legalBasis: z.string().nullable(),
  statusReason: z.string().nullable(),
  legalHold: z.boolean(),
  retentionUntil: z.string().nullable(),
  releasedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  subject: subjectViewSchema.nullable(),
  findings: findingsSchema.nullable(),
  findingsHash: z.string().nullable(),
  /** The reviewed content at the last review decision (approve or return), for a side-by-side. */
  lastReviewed: z
    .object({
      findings: findingsSchema,
      hits: z.array(z.object({ key: z.string(), review: z.string(), reason: z.string().nullable() })),
    })
    .nullable(),
  review: reviewStatusSchema.nullable(),
  hits: z.array(hitSchema),
  screenings: z.array(
    z.object({ id: z.string(), runAt: z.string(), runBy: z.string(), resultCount: z.number() }),
  ),
  reports: z.array(issuedReportSchema),
  tombstone: z.record(z.string(), z.unknown()).nullable(),
});
export type CaseDetail = z.infer<typeof caseDetailSchema>;

export const listCasesQuerySchema = z.object({
  status: z.enum(caseStatuses).optional(),
  mine: z.coerce.boolean().optional().describe('only cases assigned to me'),
  overdue: z.coerce.boolean().optional(),
  q: z
    .string()
    .trim()
    .max(300)
    .optional()
    .describe('text in the number, requester, purpose or (staff) the subject’s names'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type ListCasesQuery = z.infer<typeof listCasesQuerySchema>;

/** A partner's view: its own request and the state, never the analysts' work in progress. */
export const partnerCaseSchema = z.object({
  id: z.string(),
  number: z.string(),
  status: z.enum(caseStatuses),
  statusReason: z.string().nullable(),
  purpose: z.string(),
  dueDate: z.string().nullable(),
  createdAt: z.string(),
  releasedAt: z.string().nullable(),
  erased: z.boolean(),
  reports: z.array(
    z.object({
      id: z.string(),
      version: z.number(),
      issuedAt: z.string(),
      pdfSha256: z.string(),
      verificationCode: z.string(),
    }),
  ),
});
export type PartnerCase = z.infer<typeof partnerCaseSchema>;
