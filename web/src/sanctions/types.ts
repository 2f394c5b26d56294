/**
 * The sanctions API shapes, derived from the server's Zod schemas (`src/sanctions/model.ts`): a change on one
 * side is a type error on the other. Only types cross over.
 */
import type { z } from 'zod';
import type { ReviewStatus } from '../../../src/platform/review/model.js';
import type {
  Identity,
  Jurisdiction,
  officialListingSchema,
  officialListSchema,
  Proposal,
  ProposalContent,
  ProposalState,
  proposalEventSchema,
  Reason,
  ReasonLink,
} from '../../../src/sanctions/model.js';

export type {
  Identity,
  Jurisdiction,
  Proposal,
  ProposalContent,
  ProposalState,
  Reason,
  ReasonLink,
  ReviewStatus,
};
export type OfficialList = z.infer<typeof officialListSchema>;
export type OfficialListing = z.infer<typeof officialListingSchema>;
export type ProposalEvent = z.infer<typeof proposalEventSchema>;
export type Target = ProposalContent['targets'][number];
export type Position = Identity['positions'][number];

/** The identifying-information checklist, in the order the server scores it. */
export { CHECKLIST as checklist } from '../../../src/sanctions/completeness.js';

export const jurisdictions = ['EU', 'US', 'UK', 'CA'] as const satisfies readonly Jurisdiction[];
export const proposalStates = [
  'draft',
  'in_review',
  'approved',
  'submitted',
  'listed',
  'not_listed',
  'partially_listed',
] as const satisfies readonly ProposalState[];
/** What a jurisdiction's state may be moved to by hand after approval (the rest follows the review). */
export const nextStates: Record<
  ProposalState,
  Array<'submitted' | 'listed' | 'not_listed' | 'partially_listed'>
> = {
  draft: [],
  in_review: [],
  approved: ['submitted'],
  submitted: ['listed', 'not_listed', 'partially_listed'],
  listed: [],
  not_listed: [],
  partially_listed: ['listed'],
};
/** The programme (regime) most proposals of this organization go under, per jurisdiction. */
export const defaultProgrammes: Record<Jurisdiction, string> = {
  EU: 'BLR',
  US: 'BELARUS-EO14038',
  UK: 'Belarus',
  CA: 'Belarus',
};
/** Export formats, as `GET /api/sanctions/exports?format=` takes them. */
export const exportFormats = [
  'eu-fsf-xml',
  'ofac-sdn-xml',
  'uk-sanctions-list-csv',
  'ftm',
  'csv',
  'dossier-pdf',
] as const;
export type ExportFormat = (typeof exportFormats)[number];
