/**
 * The evidence area's part of the home page: how many items and incidents the caller may see, which items wait
 * for classification or verification, failed processing, and the latest items. Counted in SQL over the
 * collections the caller may see (the same rule every evidence read uses).
 */
import { type Kysely, sql } from 'kysely';
import type { Principal } from '../platform/auth/model.js';
import type { AreaSummary } from '../platform/home.js';

export interface SummarySource {
  visibleCollections(principal: Principal): Promise<'all' | readonly string[]>;
}

export function evidenceSummary(db: Kysely<unknown>, source: SummarySource) {
  return async (principal: Principal): Promise<AreaSummary | undefined> => {
    if (principal.type !== 'user') return undefined;
    const visible = await source.visibleCollections(principal);
    if (visible !== 'all' && visible.length === 0) return { counts: { items: 0, incidents: 0 } };
    const items =
      visible === 'all' ? sql`true` : sql`i.collection_id = any(${sql.val([...visible])}::uuid[])`;
    const incidents =
      visible === 'all'
        ? sql`true`
        : sql`(n.collection_id is null or n.collection_id = any(${sql.val([...visible])}::uuid[]))`;
    const [counts, recent] = await Promise.all([
      sql<{
        items: number;
        unclassified: number;
        review: number;
        failed: number;
        incidents: number;
      }>`select
          (select count(*)::int from evidence_items i where ${items}) as items,
          (select count(*)::int from evidence_items i where ${items} and i.processing_state = 'done'
             and not exists (select 1 from evidence_classifications c
                             where c.target_type = 'item' and c.target_id = i.id)) as unclassified,
          (select count(*)::int from evidence_items i where ${items}
             and i.verification_state = 'under_verification') as review,
          (select count(*)::int from evidence_items i where ${items} and i.processing_state = 'failed') as failed,
          (select count(*)::int from incidents n where ${incidents}) as incidents`.execute(db),
      sql<{ id: string; file_name: string | null; kind: string; received_at: Date }>`
        select i.id, i.file_name, i.kind, i.received_at from evidence_items i where ${items}
        order by i.received_at desc, i.id limit 5`.execute(db),
    ]);
    const row = counts.rows[0]!;
    const waiting = [
      { key: 'itemsToClassify', count: row.unclassified, path: '/evidence' },
      { key: 'itemsToVerify', count: row.review, path: '/evidence?state=under_verification' },
      { key: 'processingFailed', count: row.failed, path: '/evidence?processing=failed' },
    ];
    return {
      counts: { items: row.items, incidents: row.incidents },
      waiting: principal.role === 'reviewer' ? waiting.slice(1) : waiting,
      recent: recent.rows.map((item) => ({
        key: 'item',
        title: item.file_name ?? item.kind,
        path: `/evidence/${item.id}`,
        at: new Date(item.received_at).toISOString(),
      })),
    };
  };
}
