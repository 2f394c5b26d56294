/**
 * "Already listed?": whether the person of a proposal is on an imported official list — found by
 * screening the proposal's names and birth date against the official-list datasets — by whom and since
 * when, and which identifiers differ between our record and theirs.
 */
import type { Principal } from '../platform/auth/model.js';
import type { Identity } from './model.js';
import type { ProposalService } from './proposals.js';
import type { SanctionsStore } from './store.js';

/** What this needs from screening (the screening service satisfies it). */
export interface ListingScreening {
  match(
    principal: Principal,
    queries: Record<string, unknown>,
    params: { datasets: string[]; threshold: number; limit: number; excludeEntityIds: string[] },
  ): Promise<{
    responses: Record<
      string,
      {
        results: Array<{
          id: string;
          caption: string;
          score: number;
          match: boolean;
          properties: Record<string, string[]>;
        }>;
      }
    >;
  }>;
}

export interface ListingDatasets {
  listDatasets(): Promise<Array<{ id: string; name: string }>>;
  visibleDatasetIds(principal: Principal): Promise<'all' | string[]>;
}

export interface IdentifierDifference {
  field: 'birthDate' | 'citizenship' | 'passportNumber' | 'personalNumber' | 'nameBelarusian' | 'nameRussian';
  ours: string[];
  theirs: string[];
}

export interface OfficialListing {
  entityId: string;
  caption: string;
  score: number;
  authority: string;
  dataset: string;
  listId: string;
  listingDate: string | null;
  firstSeen: string;
  endedAt: string | null;
  differences: IdentifierDifference[];
}

const norm = (value: string) => value.toUpperCase().replace(/[^0-9A-ZА-ЯЁІЎ]/g, '');

/** Identifiers present on both sides that do not agree, or present on one side only. */
export function compareIdentifiers(
  identity: Identity,
  theirs: Record<string, string[]>,
): IdentifierDifference[] {
  const pairs: Array<[IdentifierDifference['field'], string[], string[]]> = [
    ['birthDate', identity.birthDate ? [identity.birthDate] : [], theirs.birthDate ?? []],
    ['citizenship', identity.citizenship, [...(theirs.citizenship ?? []), ...(theirs.nationality ?? [])]],
    ['passportNumber', identity.passportNumber ? [identity.passportNumber] : [], theirs.passportNumber ?? []],
    ['personalNumber', identity.personalNumber ? [identity.personalNumber] : [], theirs.idNumber ?? []],
  ];
  const out: IdentifierDifference[] = [];
  for (const [field, ours, other] of pairs) {
    if (ours.length === 0 && other.length === 0) continue;
    const a = new Set(ours.map(norm));
    const agree =
      field === 'birthDate'
        ? ours.some((o) => other.some((t) => o.startsWith(t) || t.startsWith(o)))
        : other.some((t) => a.has(norm(t)));
    if (!agree) out.push({ field, ours: [...new Set(ours)], theirs: [...new Set(other)] });
  }
  const names = [...(theirs.name ?? []), ...(theirs.alias ?? [])].map(norm);
  for (const field of ['nameBelarusian', 'nameRussian'] as const) {
    if (identity[field] && !names.includes(norm(identity[field])))
      out.push({ field, ours: [identity[field]], theirs: [] });
  }
  return out;
}

export class AlreadyListedService {
  constructor(
    private readonly store: SanctionsStore,
    private readonly proposals: ProposalService,
    private readonly screening: ListingScreening,
    private readonly datasets: ListingDatasets,
  ) {}

  /** The official listings that match the proposal's person, with the identifiers that differ. */
  async forProposal(principal: Principal, proposalId: string): Promise<OfficialListing[]> {
    const proposal = await this.proposals.get(principal, proposalId);
    const [lists, all, visible] = await Promise.all([
      this.store.lists(),
      this.datasets.listDatasets(),
      this.datasets.visibleDatasetIds(principal),
    ]);
    const listIds = new Set(
      lists.map((l) => l.dataset_id).filter((id) => visible === 'all' || visible.includes(id)),
    );
    const names = all.filter((d) => listIds.has(d.id));
    const identity = proposal.content.identity;
    const queryNames = [
      identity.nameLatin,
      identity.nameBelarusian,
      identity.nameRussian,
      ...identity.otherNames,
    ].filter(Boolean);
    if (names.length === 0 || queryNames.length === 0) return [];
    const answer = await this.screening.match(
      principal,
      {
        q: {
          schema: proposal.schema === 'Person' ? 'Person' : 'Organization',
          properties: {
            name: queryNames,
            ...(identity.birthDate ? { birthDate: [identity.birthDate] } : {}),
          },
        },
      },
      {
        datasets: names.map((d) => d.name),
        threshold: 0.7,
        limit: 10,
        excludeEntityIds: [proposal.entityId],
      },
    );
    const results = (answer.responses.q?.results ?? []).filter((r) => r.match);
    const listings = await this.store.listingsOfEntities(results.map((r) => r.id));
    const nameOf = new Map(all.map((d) => [d.id, d.name]));
    const authorityOf = new Map(lists.map((l) => [l.dataset_id, l.authority]));
    return listings.map((listing) => {
      const result = results.find((r) => r.id === listing.entity_id)!;
      return {
        entityId: listing.entity_id,
        caption: result.caption,
        score: result.score,
        authority: authorityOf.get(listing.dataset_id) ?? '',
        dataset: nameOf.get(listing.dataset_id) ?? listing.dataset_id,
        listId: listing.list_id,
        listingDate: listing.listing_date,
        firstSeen: new Date(listing.first_seen).toISOString(),
        endedAt: listing.ended_at ? new Date(listing.ended_at).toISOString() : null,
        differences: compareIdentifiers(identity, result.properties),
      };
    });
  }
}
