/** HTTP route of export packages: the package streams as a ZIP (or encrypted to a recipient). */
import type { AuditService } from '../../platform/audit/service.js';
import type { Principal } from '../../platform/auth/model.js';
import { actorOf } from '../../platform/auth/service.js';
import { STAFF } from '../../platform/http/access-rules.js';
import type { App } from '../../platform/http/app.js';
import { type ExportVault, exportZipStream } from '../export/package.js';
import { exportRequestSchema } from '../model.js';

const principalOf = (request: { principal: Principal | null }) => request.principal!;

export function exportRoutes(vault: ExportVault, audit: AuditService) {
  return async (app: App) => {
    app.post(
      '/api/evidence/export',
      {
        config: { access: { roles: STAFF } },
        schema: { tags: ['evidence'], body: exportRequestSchema },
      },
      async (request, reply) => {
        const { exportId, stream, encrypted } = await exportZipStream(
          vault,
          principalOf(request),
          request.body,
        );
        await audit.record({
          actor: actorOf(principalOf(request)),
          action: 'evidence.export',
          target: { type: 'evidence_export', id: exportId },
          details: { ...request.body, encrypted },
        });
        return reply
          .header('content-type', encrypted ? 'application/octet-stream' : 'application/zip')
          .header(
            'content-disposition',
            `attachment; filename="evidence-${exportId}.${encrypted ? 'sviedka-package' : 'zip'}"`,
          )
          .send(stream);
      },
    );
  };
}
