/** Typed calls to the cases API, on the app's one JSON client (same-origin, CSRF token, coded errors). */
import { ApiError, currentCsrfToken, id, query, request } from '../api/client.js';
import type {
  CaseDetail,
  CaseEvent,
  CaseSummary,
  CasesQuery,
  CitedEvidenceEntry,
  CreateCaseRequest,
  Findings,
  ReviewStatus,
} from './types.js';

/** Issues a report and returns the PDF (drafts are watermarked); the server records its hash first. */
async function issueReport(caseId: string, draft: boolean, language: string): Promise<Blob> {
  const response = await fetch(`/api/cases/${id(caseId)}/reports`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-csrf-token': currentCsrfToken() ?? '' },
    body: JSON.stringify({ draft, language }),
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
    throw new ApiError(body.error?.code ?? 'SVD_HTTP_INTERNAL', body.error?.message ?? '', response.status);
  }
  return response.blob();
}

export const casesApi = {
  list: (filters: CasesQuery) =>
    request<{ cases: CaseSummary[] }>(
      'GET',
      `/api/cases${query(filters as Record<string, string | number | undefined>)}`,
    ),
  get: (caseId: string) => request<CaseDetail>('GET', `/api/cases/${id(caseId)}`),
  create: (input: CreateCaseRequest) => request<CaseDetail>('POST', '/api/cases', input),
  /** The evidence the findings cite, each looked up in the vault by SHA-256. */
  evidence: (caseId: string) =>
    request<{ items: CitedEvidenceEntry[] }>('GET', `/api/cases/${id(caseId)}/evidence`),
  history: (caseId: string) =>
    request<{ intact: boolean; events: CaseEvent[] }>('GET', `/api/cases/${id(caseId)}/history`),
  step: (caseId: string, step: 'accept' | 'screen' | 'submit' | 'close', body: object = {}) =>
    request<unknown>('POST', `/api/cases/${id(caseId)}/${step}`, body),
  decline: (caseId: string, reason: string) =>
    request<unknown>('POST', `/api/cases/${id(caseId)}/decline`, { reason }),
  assign: (caseId: string, userId: string | null) =>
    request<unknown>('POST', `/api/cases/${id(caseId)}/assign`, { userId }),
  reviewHit: (caseId: string, hitId: string, review: 'confirmed' | 'dismissed' | 'unsure', reason?: string) =>
    request<unknown>('POST', `/api/cases/${id(caseId)}/hits/${id(hitId)}`, {
      review,
      ...(reason ? { reason } : {}),
    }),
  saveFindings: (caseId: string, findings: Findings) =>
    request<{ contentHash: string }>('PUT', `/api/cases/${id(caseId)}/findings`, findings),
  approve: (caseId: string, contentHash: string, comment?: string) =>
    request<ReviewStatus>('POST', `/api/cases/${id(caseId)}/approve`, {
      contentHash,
      ...(comment ? { comment } : {}),
    }),
  returnForChanges: (caseId: string, contentHash: string, comment: string) =>
    request<ReviewStatus>('POST', `/api/cases/${id(caseId)}/return`, { contentHash, comment }),
  issueReport,
  /** The released report as issued (a plain same-origin link). */
  releasedPdfUrl: (caseId: string) => `/api/cases/${id(caseId)}/report.pdf`,
};
