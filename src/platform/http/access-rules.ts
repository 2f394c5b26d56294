/**
 * Every API route declares who may call it in `config.access`; a route without a rule fails at
 * registration. The authorization-matrix test enumerates routes against these rules.
 */
import type { ApiKeyScope, Role } from '../auth/model.js';

export type AccessRule =
  /** Anyone, including anonymous callers (health, login, citizen submission). */
  | { public: true; csrf?: 'presession' | 'none' }
  /** Any session, even one still completing login steps (password change, 2FA). */
  | { session: 'any' }
  /** A fully logged-in user with one of these roles, or an API key with one of these scopes. */
  | {
      roles: readonly Role[];
      scopes?: readonly ApiKeyScope[];
      /** The call reads personal data: API keys must state a purpose (`X-Purpose`). */
      personalData?: boolean;
    };

export const STAFF: readonly Role[] = ['admin', 'analyst', 'reviewer'];
export const ADMIN: readonly Role[] = ['admin'];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: AccessRule;
  }
}
