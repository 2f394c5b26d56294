/** HTTP routes of the sanctions area: validate, authorize, call the services. */
import { z } from 'zod';
import type { App } from '../platform/http/app.js';
import type { ListImportService } from './list-import.js';
import { officialListSchema } from './model.js';

// List descriptions hold no personal data.
const LISTS_READ = { roles: ['admin', 'analyst', 'reviewer'], scopes: ['registry:read'] } as const;

export function sanctionsRoutes(services: { lists: ListImportService }) {
  return async (app: App) => {
    app.get(
      '/api/sanctions/lists',
      {
        config: { access: LISTS_READ },
        schema: { tags: ['sanctions'], response: { 200: z.object({ items: z.array(officialListSchema) }) } },
      },
      async (request) => ({ items: await services.lists.officialLists(request.principal!) }),
    );
  };
}
