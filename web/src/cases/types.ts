/**
 * The cases API shapes, derived from the server's Zod schemas (`src/cases/model.ts`): a change on one side
 * is a type error on the other. Only types cross over.
 */
import type {
  CaseDetail,
  CaseEvent,
  CaseStatus,
  CaseSummary,
  CitedEvidenceEntry,
  CreateCaseRequest,
  FindingLink,
  Findings,
  Hit,
  ListCasesQuery,
} from '../../../src/cases/model.js';
import type { IssuedReport } from '../../../src/platform/reports/model.js';
import type { ReviewStatus } from '../../../src/platform/review/model.js';

export type {
  CaseDetail,
  CaseEvent,
  CaseStatus,
  CaseSummary,
  CitedEvidenceEntry,
  CreateCaseRequest,
  FindingLink,
  Findings,
  Hit,
  IssuedReport,
  ReviewStatus,
};
export type CasesQuery = Partial<ListCasesQuery>;

export const caseStatuses: CaseStatus[] = [
  'received',
  'accepted',
  'declined',
  'in_progress',
  'in_review',
  'released',
  'closed',
];
export const conclusions = [
  'no_adverse_information',
  'adverse_information_found',
  'collaboration_indicated',
  'inconclusive',
] as const;
export const confidences = ['low', 'medium', 'high'] as const;
