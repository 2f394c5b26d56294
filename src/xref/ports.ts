/**
 * What cross-referencing needs from other areas, defined here by the consumer; the composition root
 * plugs the registry and screening in (src/areas.ts).
 */
import type { Principal } from '../platform/auth/model.js';
import type { EntityDetail } from '../registry/model.js';
import type { Explanation } from '../screening/model.js';

/** An entity as xref reads it. */
export interface XrefEntity {
  id: string;
  schema: string;
  datasetId: string;
  caption: string;
  properties: Record<string, string[]>;
  changeSeq: number;
  deleted: boolean;
}

export interface XrefDataset {
  id: string;
  name: string;
  title: string;
  restricted: boolean;
}

/** The registry, as xref reads it. */
export interface XrefRegistry {
  /** Entities by id, tombstones included (marked `deleted`). */
  getEntitiesByIds(ids: string[]): Promise<Map<string, XrefEntity>>;
  /** Dataset ids a principal may see, or 'all'. */
  visibleDatasetIds(principal: Principal): Promise<'all' | string[]>;
  /** Every dataset (no compartment filter). */
  listDatasets(): Promise<XrefDataset[]>;
  /**
   * A page of a dataset's entities in id order after `afterId`; with `sinceSeq`, only those changed
   * after that change sequence (tombstones included then, marked `deleted`).
   */
  scanDataset(
    datasetId: string,
    options: { afterId?: string; sinceSeq?: number; limit: number },
  ): Promise<XrefEntity[]>;
  /** How many entities `scanDataset` would return in all. */
  countDataset(datasetId: string, sinceSeq?: number): Promise<number>;
  /**
   * An entity with everything around it (names by script, occupancies, identifications, addresses, its
   * dataset), if the principal may see it (else "not found"); reading a person is audited.
   */
  getEntityDetail(principal: Principal, id: string): Promise<EntityDetail>;
  /** Highest change sequence of the registry now (the watermark of a run). */
  lastChangeSeq(): Promise<number>;
}

/** One candidate the matcher found for an entity. */
export interface MatcherCandidate {
  id: string;
  datasetId: string;
  score: number;
  explanations: Explanation[];
}

/** The screening matcher, as xref uses it: the same index, keys and scorer as every screen. */
export interface XrefMatcher {
  /** Brings the index up to date with the registry (call before a batch of `candidates`). */
  refresh(): Promise<void>;
  /**
   * The best `limit` candidates for an entity among `datasets`, scored with identifier and date evidence;
   * null when the entity cannot be screened (no usable name or identifier).
   */
  candidates(
    entity: Pick<XrefEntity, 'id' | 'schema' | 'properties'>,
    datasets: readonly string[],
    limit: number,
  ): MatcherCandidate[] | null;
}
