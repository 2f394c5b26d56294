/**
 * "Already listed?": whether the person of a proposal is on an imported official list — found by
 * screening the proposal's names and birth date against the official-list datasets — by whom and since
 * when, and which identifiers differ between our record and theirs.
 */
import type { Principal } from '../platform/auth/model.js';
import type { Identity } from './model.js';
import type { ProposalService } from './proposals.js';
import type { ListingRow, SanctionsStore } from './store.js';

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
  getEntitiesByIds(
    ids: string[],
  ): Promise<Map<string, { caption: string; properties: Record<string, string[]>; deleted: boolean }>>;
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
    return this.#screen(principal, proposal.content.identity, proposal.schema, proposal.entityId);
  }

  /**
   * The official listings of a registry entity: its own, when it is a record of an imported list, and
   * those whose person matches the identifying information the registry holds about it.
   */
  async forEntity(principal: Principal, entityId: string): Promise<OfficialListing[]> {
    const entity = await this.proposals.subject(principal, entityId, 'sanctions.listings.read');
    const own = await this.store.listingsOfEntities([entityId]);
    const matched = await this.#screen(principal, entity.identity, entity.schema, entityId);
    if (own.length === 0) return matched;
    const [lists, all] = await Promise.all([this.store.lists(), this.datasets.listDatasets()]);
    const nameOf = new Map(all.map((d) => [d.id, d.name]));
    const authorityOf = new Map(lists.map((l) => [l.dataset_id, l.authority]));
    const self = own.map((listing) =>
      this.#listing(listing, { caption: entity.caption, score: 1, differences: [] }, nameOf, authorityOf),
    );
    return [...self, ...matched.filter((m) => m.entityId !== entityId)];
  }

  #listing(
    listing: ListingRow,
    found: { caption: string; score: number; differences: IdentifierDifference[] },
    nameOf: Map<string, string>,
    authorityOf: Map<string, string>,
  ): OfficialListing {
    return {
      entityId: listing.entity_id,
      caption: found.caption,
      score: found.score,
      authority: authorityOf.get(listing.dataset_id) ?? '',
      dataset: nameOf.get(listing.dataset_id) ?? listing.dataset_id,
      listId: listing.list_id,
      listingDate: listing.listing_date,
      firstSeen: new Date(listing.first_seen).toISOString(),
      endedAt: listing.ended_at ? new Date(listing.ended_at).toISOString() : null,
      differences: found.differences,
    };
  }

  /**
   * Listings of the person: records of the official lists that cross-referencing put in the same
   * cluster as `entityId` (certain, score 1), then those that screening finds by names and birth date.
   */
  async #screen(
    principal: Principal,
    identity: Identity,
    schema: string,
    entityId: string,
  ): Promise<OfficialListing[]> {
    const [lists, all, visible, cluster] = await Promise.all([
      this.store.lists(),
      this.datasets.listDatasets(),
      this.datasets.visibleDatasetIds(principal),
      this.proposals.clusterOf(entityId),
    ]);
    const listIds = new Set(
      lists.map((l) => l.dataset_id).filter((id) => visible === 'all' || visible.includes(id)),
    );
    const names = all.filter((d) => listIds.has(d.id));
    const nameOf = new Map(all.map((d) => [d.id, d.name]));
    const authorityOf = new Map(lists.map((l) => [l.dataset_id, l.authority]));
    const members = (cluster?.members ?? []).filter((id) => id !== entityId);
    const certain = (await this.store.listingsOfEntities(members)).filter((l) => listIds.has(l.dataset_id));
    const entities = await this.datasets.getEntitiesByIds([...new Set(certain.map((l) => l.entity_id))]);
    const out = certain.flatMap((listing) => {
      const entity = entities.get(listing.entity_id);
      if (!entity || entity.deleted) return [];
      return [
        this.#listing(
          listing,
          {
            caption: entity.caption,
            score: 1,
            differences: compareIdentifiers(identity, entity.properties),
          },
          nameOf,
          authorityOf,
        ),
      ];
    });
    const queryNames = [
      identity.nameLatin,
      identity.nameBelarusian,
      identity.nameRussian,
      ...identity.otherNames,
    ].filter(Boolean);
    if (names.length === 0 || queryNames.length === 0) return out;
    const answer = await this.screening.match(
      principal,
      {
        q: {
          schema: schema === 'Person' ? 'Person' : 'Organization',
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
        excludeEntityIds: [entityId, ...members],
      },
    );
    const results = (answer.responses.q?.results ?? []).filter((r) => r.match);
    const listings = await this.store.listingsOfEntities(results.map((r) => r.id));
    for (const listing of listings) {
      const result = results.find((r) => r.id === listing.entity_id)!;
      out.push(
        this.#listing(
          listing,
          {
            caption: result.caption,
            score: result.score,
            differences: compareIdentifiers(identity, result.properties),
          },
          nameOf,
          authorityOf,
        ),
      );
    }
    return out;
  }
}
