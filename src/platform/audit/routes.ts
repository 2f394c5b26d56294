/** Audit log viewer API (admin). Reading the log is itself audited. */
import { actorOf } from '../auth/service.js';
import { ADMIN } from '../http/access-rules.js';
import type { App } from '../http/app.js';
import { type AuditAnchor, formatSignedHead } from './anchor.js';
import { auditListResponseSchema, auditQuerySchema, auditVerifyResponseSchema } from './model.js';
import type { AuditService } from './service.js';

export function auditRoutes(audit: AuditService, anchor: AuditAnchor) {
  return (app: App) => {
    app.get(
      '/api/audit',
      {
        config: { access: { roles: ADMIN } },
        schema: {
          tags: ['audit'],
          querystring: auditQuerySchema,
          response: { 200: auditListResponseSchema },
        },
      },
      async (request) => {
        const q = request.query;
        const rows = await audit.list({
          actor: q.actor,
          action: q.action,
          target: q.target,
          outcome: q.outcome,
          from: q.from ? new Date(q.from) : undefined,
          to: q.to ? new Date(q.to) : undefined,
          beforeSeq: q.before,
          limit: q.limit,
        });
        if (!q.before) {
          await audit.record({
            actor: actorOf(request.principal!),
            action: 'audit.read',
            details: { filter: { ...q } },
          });
        }
        return {
          items: rows.map(({ prevHash: _prev, at, ...row }) => ({ ...row, at: at.toISOString() })),
          nextCursor: rows.length === q.limit ? rows[rows.length - 1]!.seq : null,
        };
      },
    );
    app.get(
      '/api/audit/verify',
      {
        config: { access: { roles: ADMIN } },
        schema: {
          tags: ['audit'],
          description:
            'Recomputes the chain, compares it with the head recorded earlier and, when it holds, records the current head (answered as `recorded`: keep a copy off the machine).',
          response: { 200: auditVerifyResponseSchema },
        },
      },
      async () => {
        const { recorded, ...result } = await anchor.verify(audit);
        return { ...result, ...(recorded ? { recorded: formatSignedHead(recorded) } : {}) };
      },
    );
  };
}
