/**
 * The cases area's part of the home page, counted in SQL without reading any sealed column: open
 * requests and those in review; waiting for this officer — new requests to accept, their own cases in
 * work, overdue cases (analysts and administrators), cases in review (reviewers and administrators);
 * the latest requests by number and requester only (no subject data on the home page).
 */
import { type Kysely, sql } from 'kysely';
import type { Principal } from '../platform/auth/model.js';
import type { AreaSummary } from '../platform/home.js';

const OPEN = sql`status not in ('declined', 'released', 'closed')`;

export function casesSummary(db: Kysely<unknown>) {
  return async (principal: Principal): Promise<AreaSummary | undefined> => {
    if (principal.type !== 'user' || !['admin', 'analyst', 'reviewer'].includes(principal.role))
      return undefined;
    const today = new Date().toISOString().slice(0, 10);
    const [counts, recent] = await Promise.all([
      sql<{ open: number; in_review: number; received: number; mine: number; overdue: number }>`select
          (select count(*)::int from cases where ${OPEN}) as open,
          (select count(*)::int from cases where status = 'in_review') as in_review,
          (select count(*)::int from cases where status = 'received') as received,
          (select count(*)::int from cases where assigned_to = ${principal.id}::uuid
             and status in ('accepted', 'in_progress')) as mine,
          (select count(*)::int from cases where ${OPEN} and due_date < ${today}::date) as overdue`.execute(
        db,
      ),
      sql<{ id: string; number: string; requester_org: string; created_at: Date }>`
        select id, number, requester_org, created_at from cases
        order by created_at desc, id limit 5`.execute(db),
    ]);
    const row = counts.rows[0]!;
    const analyst = principal.role !== 'reviewer';
    const reviewer = principal.role !== 'analyst';
    return {
      counts: { openCases: row.open, casesInReview: row.in_review },
      waiting: [
        ...(reviewer
          ? [{ key: 'casesToReview', count: row.in_review, path: '/cases?status=in_review' }]
          : []),
        ...(analyst
          ? [
              { key: 'casesToAccept', count: row.received, path: '/cases?status=received' },
              { key: 'myCases', count: row.mine, path: '/cases?mine=true' },
              { key: 'overdueCases', count: row.overdue, path: '/cases?overdue=true' },
            ]
          : []),
      ],
      recent: recent.rows.map((c) => ({
        key: 'case',
        title: `${c.number} · ${c.requester_org}`,
        path: `/cases/${c.id}`,
        at: new Date(c.created_at).toISOString(),
      })),
    };
  };
}
