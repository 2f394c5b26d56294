/**
 * What the cases area needs from other areas, defined here and plugged in by the composition root
 * (STYLE lesson 20): screening of a subject within what the calling officer may see, and the vault's
 * record of evidence items cited by SHA-256 (and the erasure of the subject's photo).
 */
import type { AuditActor } from '../platform/audit/service.js';
import type { Principal } from '../platform/auth/model.js';
import type { AnyTransaction } from '../platform/db/database.js';
import type { HitSource } from './model.js';

/** One screening result, grouped per cluster when cross-referencing resolves one. */
export interface SubjectMatch {
  entityId: string;
  /** The canonical cluster id when the entity is part of a resolved cluster, else null. */
  clusterId: string | null;
  /** Other entities of the same cluster that also matched. */
  memberIds?: string[];
  schema: string;
  caption: string;
  score: number;
  match: boolean;
  datasets: string[];
  properties: Record<string, string[]>;
  explanations: unknown[];
  /** Where the match came from; absent means a registry record. */
  source?: HitSource;
}

export interface SubjectQuery {
  names: string[];
  birthDate?: string | undefined;
  nationality?: string[] | undefined;
  identifiers?: string[] | undefined;
}

export interface CaseScreening {
  /**
   * Screens the subject against everything `principal` may see: registry datasets and imported lists,
   * and the persons incidents name without a registry entity (those hits carry their `source`).
   * Must not write the query to the audit log: the case records its own screening without names.
   */
  screen(principal: Principal, query: SubjectQuery): Promise<SubjectMatch[]>;
}

export interface CitedEvidence {
  sha256: string;
  itemId: string;
  mediaType: string;
  receivedAt: string;
  custodyEvents: number;
  custodyHead: string;
}

export interface CaseEvidence {
  /** The vault items with these SHA-256 sums that `principal` may see (others are simply absent). */
  describe(principal: Principal, sha256s: string[]): Promise<Map<string, CitedEvidence>>;
  /**
   * Erases the subject's photo with the case, in the case's erasure transaction: its bytes and all that
   * was derived from them; the item keeps its custody chain. An item other things rely on (in an open
   * collection, linked to an incident) is kept. `afterCommit` removes the files once the erasure commits.
   */
  erasePhoto(
    trx: AnyTransaction,
    itemId: string,
    actor: AuditActor,
  ): Promise<{ outcome: 'erased' | 'kept' | 'absent'; kept?: string; afterCommit(): Promise<void> }>;
}
