/**
 * Retention: when a case's retention period ends (or an administrator orders it), its subject data is
 * erased by destroying the per-case key (crypto-shredding) and deleting the derived rows (hits,
 * snapshots, report bytes, reviewers' comments) and the subject's photo (its bytes, working copies and
 * metadata, through the vault). The case keeps a tombstone with counts; its history,
 * the report custody and the audit chain stay intact (they never held subject data). A legal hold
 * blocks erasure.
 */
import type { Principal } from '../platform/auth/model.js';
import { actorOf } from '../platform/auth/service.js';
import type { AnyTransaction } from '../platform/db/database.js';
import { AppError } from '../platform/errors.js';
import { CASE_SUBJECT, type CaseCore } from './core.js';
import { CaseStore } from './store.js';

type PhotoErasure = { outcome: string; kept?: string | undefined; afterCommit(): Promise<void> };

export class CaseRetention {
  constructor(private readonly core: CaseCore) {}

  /** Erases one case's subject data now (administrators, or the retention job). */
  async erase(
    principal: Principal,
    id: string,
    reason: 'retention' | 'order',
  ): Promise<Record<string, unknown>> {
    if (!(principal.type === 'system' || (principal.type === 'user' && principal.role === 'admin')))
      throw new AppError('SVD_HTTP_NOT_FOUND');
    const { tombstone, afterCommit } = await this.core.write(principal, id, 'erased', async (trx, row) => {
      if (row.erased_at) throw new AppError('SVD_CASES_ERASED');
      if (row.legal_hold) throw new AppError('SVD_CASES_LEGAL_HOLD');
      const key = this.core.key(row);
      const subject = this.core.subject(row, key);
      const findings = this.core.findings(row, key);
      const store = CaseStore.within(trx);
      const deleted = await this.core.store.deleteDerived(store, id);
      await this.core.deps.review.eraseComments(trx, { type: CASE_SUBJECT, id });
      // The photo's bytes and derived data go in the same transaction (the files after COMMIT).
      const photo: PhotoErasure = subject.photoItemId
        ? await this.#erasePhoto(trx, subject.photoItemId, principal)
        : { outcome: 'none', afterCommit: async () => {} };
      const now = new Date();
      const tombstone = {
        erasedAt: now.toISOString(),
        reason,
        status: row.status,
        subjectNames: subject.names.length,
        birthDate: subject.birthDate ? 'given' : 'none',
        identifiers: subject.identifiers?.length ?? 0,
        findingItems: findings.items.length,
        conclusion: findings.conclusion,
        photo: photo.kept ? `kept: ${photo.kept}` : photo.outcome,
        ...deleted,
      };
      await this.core.store.updateCase(store, id, {
        data_key: null,
        subject: null,
        findings: null,
        last_reviewed: null,
        requester_contact: null,
        status_reason: null,
        erased_at: now,
        updated_at: now,
        tombstone,
      });
      await this.core.event(trx, id, principal, 'erased', tombstone);
      return { tombstone, afterCommit: photo.afterCommit };
    });
    await afterCommit();
    return tombstone;
  }

  async #erasePhoto(trx: AnyTransaction, itemId: string, principal: Principal): Promise<PhotoErasure> {
    const evidence = this.core.deps.evidence;
    if (!evidence) return { outcome: 'kept', kept: 'no vault', afterCommit: async () => {} };
    return evidence.erasePhoto(trx, itemId, actorOf(principal));
  }

  /** Erases every case whose retention period has ended (`sviedka cases purge --due`, the hourly job). */
  async purgeDue(principal: Principal, now = new Date()): Promise<{ erased: string[]; failed: string[] }> {
    const erased: string[] = [];
    const failed: string[] = [];
    for (;;) {
      const due = (await this.core.store.dueForErasure(now, 100)).filter((id) => !failed.includes(id));
      if (due.length === 0) break;
      for (const id of due) {
        try {
          await this.erase(principal, id, 'retention');
          erased.push(id);
        } catch {
          failed.push(id);
        }
      }
      if (due.every((id) => failed.includes(id))) break;
    }
    return { erased, failed };
  }
}
