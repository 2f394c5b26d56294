/** Fixity check: re-hashes stored blobs (decrypt + SHA-256) and checks every custody chain. */
import type { AuditService } from '../platform/audit/service.js';
import { isAdministrator } from '../platform/auth/access.js';
import type { Principal } from '../platform/auth/model.js';
import { actorOf } from '../platform/auth/service.js';
import type { FsBlobStore } from '../platform/blobs/index.js';
import { AppError } from '../platform/errors.js';

import { checkCustodyChain } from './custody-chain.js';
import type { CustodyLog } from './custody-log.js';
import type { Items } from './items.js';
import type { VerifyReport } from './model.js';
import type { ItemStore } from './store/items.js';
import type { ProcessingStore } from './store/processing.js';

export class VaultVerifier {
  constructor(
    private readonly items: Items,
    private readonly itemStore: ItemStore,
    private readonly processing: ProcessingStore,
    private readonly blobs: FsBlobStore,
    private readonly custody: CustodyLog,
    private readonly audit: AuditService,
  ) {}

  /**
   * Re-hashes blobs and checks every custody chain; for one item or all. Problems are named per item,
   * e.g. "blob content does not match sha256" or "custody event #3 altered".
   */
  async verify(
    principal: Principal,
    options: { itemId?: string; onProgress?: (done: number) => void } = {},
  ): Promise<VerifyReport> {
    const problems: VerifyReport['problems'] = [];
    let count = 0;
    const check = async (item: { id: string; sha256: string; erased_at: Date | null }) => {
      // An erased item's bytes are gone on purpose: only its custody chain is left to check.
      const blob = item.erased_at ? { ok: true } : await this.blobs.verify(item.sha256);
      if (!blob.ok)
        problems.push({ itemId: item.id, problem: blob.message ?? blob.problem ?? 'blob problem' });
      const chain = checkCustodyChain(await this.custody.records(item.id));
      if (chain) problems.push({ itemId: item.id, problem: chain });
      for (const derived of await this.processing.derivatives(item.id)) {
        const result = await this.blobs.verify(derived.sha256);
        if (!result.ok)
          problems.push({ itemId: item.id, problem: `${derived.purpose} copy: ${result.message}` });
      }
      count++;
      options.onProgress?.(count);
    };
    if (options.itemId) {
      await check(await this.items.require(principal, options.itemId, 'evidence.verify'));
    } else {
      // Verifying everything reads every compartment.
      if (!isAdministrator(principal)) throw new AppError('SVD_HTTP_NOT_FOUND');
      let after: string | null = null;
      for (;;) {
        const page = await this.itemStore.allItemIds(after, 500);
        if (page.length === 0) break;
        for (const item of page) await check(item);
        after = page[page.length - 1]!.id;
      }
    }
    await this.audit.record({
      actor: actorOf(principal),
      action: 'evidence.verify',
      outcome: problems.length ? 'failed' : 'ok',
      ...(options.itemId ? { target: { type: 'evidence_item', id: options.itemId } } : {}),
      details: { items: count, problems: problems.slice(0, 100) },
    });
    return { ok: problems.length === 0, items: count, problems };
  }
}
