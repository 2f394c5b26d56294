/**
 * The sanctions area's part of the home page, over the proposals on persons the caller may see (the same
 * rule as the proposals list): how many proposals and official lists; waiting for reviewers the
 * proposals in review, for analysts those approved and not yet submitted; the latest proposals by
 * reference and caption.
 */
import type { Principal } from '../platform/auth/model.js';
import type { AreaSummary } from '../platform/home.js';
import type { ListImportService } from './list-import.js';
import type { ProposalService } from './proposals.js';

export function sanctionsSummary(proposals: ProposalService, lists: ListImportService) {
  return async (principal: Principal): Promise<AreaSummary | undefined> => {
    if (principal.type !== 'user' || !['admin', 'analyst', 'reviewer'].includes(principal.role))
      return undefined;
    const [all, official] = await Promise.all([proposals.list(principal), lists.officialLists(principal)]);
    const inState = (state: string) => all.filter((p) => p.targets.some((t) => t.state === state)).length;
    const reviewer = principal.role !== 'analyst';
    const editor = principal.role !== 'reviewer';
    return {
      counts: { proposals: all.length, officialLists: official.length },
      waiting: [
        ...(reviewer
          ? [
              {
                key: 'proposalsToReview',
                count: inState('in_review'),
                path: '/sanctions/proposals?state=in_review',
              },
            ]
          : []),
        ...(editor
          ? [
              {
                key: 'proposalsToSubmit',
                count: inState('approved'),
                path: '/sanctions/proposals?state=approved',
              },
            ]
          : []),
      ],
      recent: [...all]
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
        .slice(0, 5)
        .map((p) => ({
          key: 'proposal',
          title: `${p.reference} · ${p.caption}`,
          path: `/sanctions/proposals/${p.id}`,
          at: p.updatedAt,
        })),
    };
  };
}
