/** Typed calls to the sanctions API, on the app's one JSON client (same-origin, CSRF token, coded errors). */
import { id, query, request } from '../api/client.js';
import type {
  ExportFormat,
  Jurisdiction,
  OfficialList,
  OfficialListing,
  Proposal,
  ProposalContent,
  ProposalEvent,
  ProposalState,
  ReviewStatus,
  Target,
} from './types.js';

const one = (proposalId: string) => `/api/sanctions/proposals/${id(proposalId)}`;

export const sanctionsApi = {
  lists: () => request<{ items: OfficialList[] }>('GET', '/api/sanctions/lists'),
  proposals: (
    filters: { jurisdiction?: Jurisdiction; state?: ProposalState; entity?: string; q?: string } = {},
  ) => request<{ items: Proposal[] }>('GET', `/api/sanctions/proposals${query(filters)}`),
  proposal: (proposalId: string) => request<{ proposal: Proposal }>('GET', one(proposalId)),
  create: (entityId: string, targets: Target[]) =>
    request<{ proposal: Proposal }>('POST', '/api/sanctions/proposals', { entityId, targets }),
  update: (proposalId: string, content: ProposalContent, expectedHash: string) =>
    request<{ proposal: Proposal }>('PUT', one(proposalId), { content, expectedHash }),
  requestReview: (proposalId: string) =>
    request<{ proposal: Proposal }>('POST', `${one(proposalId)}/review-request`, {}),
  review: (proposalId: string) => request<{ review: ReviewStatus }>('GET', `${one(proposalId)}/review`),
  approve: (proposalId: string, contentHash: string, comment?: string) =>
    request<{ proposal: Proposal }>('POST', `${one(proposalId)}/approve`, {
      contentHash,
      ...(comment ? { comment } : {}),
    }),
  returnForChanges: (proposalId: string, contentHash: string, comment: string) =>
    request<{ proposal: Proposal }>('POST', `${one(proposalId)}/return`, { contentHash, comment }),
  transition: (
    proposalId: string,
    input: { jurisdiction: Jurisdiction; to: string; date?: string; note?: string },
  ) => request<{ proposal: Proposal }>('POST', `${one(proposalId)}/transitions`, input),
  events: (proposalId: string) => request<{ items: ProposalEvent[] }>('GET', `${one(proposalId)}/events`),
  listings: (proposalId: string) =>
    request<{ items: OfficialListing[] }>('GET', `${one(proposalId)}/listings`),
  entityListings: (entityId: string) =>
    request<{ items: OfficialListing[] }>('GET', `/api/sanctions/entities/${id(entityId)}/listings`),
  /** A download link (a plain same-origin GET with the session cookie; the server names the file). */
  exportUrl: (format: ExportFormat, filters: { status?: ProposalState; proposal?: string } = {}) =>
    `/api/sanctions/exports${query({ format, ...filters })}`,
};
