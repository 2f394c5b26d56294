/** HTTP routes for login steps, users, API keys and grants: validate, authorize, call the service. */
import { z } from 'zod';
import { randomToken } from '../crypto.js';
import { ADMIN } from '../http/access-rules.js';
import {
  type App,
  clearSessionCookie,
  DEVICE_COOKIE,
  PRESESSION_COOKIE,
  setSessionCookie,
} from '../http/app.js';
import type { AccessService } from './access.js';
import {
  apiKeySchema,
  changePasswordRequestSchema,
  createApiKeyRequestSchema,
  createApiKeyResponseSchema,
  createUserRequestSchema,
  createUserResponseSchema,
  grantSchema,
  loginRequestSchema,
  loginResponseSchema,
  meResponseSchema,
  setLocaleRequestSchema,
  totpEnrolConfirmResponseSchema,
  totpEnrolStartResponseSchema,
  totpRequestSchema,
  updateUserRequestSchema,
  userSchema,
} from './model.js';
import { type AuthService, type IssuedSession, toUser } from './service.js';

const idParams = z.object({ id: z.string().uuid() }).strict();
const empty = z.object({}).strict().optional();

export function authRoutes(auth: AuthService, access: AccessService, secureCookies: boolean) {
  return (app: App) => {
    const issue = (reply: Parameters<typeof setSessionCookie>[0], issued: IssuedSession) => {
      setSessionCookie(reply, issued.token, secureCookies);
      reply.clearCookie(PRESESSION_COOKIE, { path: '/' });
      // A completed sign-in makes this browser a trusted device of the user (sign-in routes only).
      if (issued.stage === 'ok')
        reply.setCookie(DEVICE_COOKIE, auth.deviceToken(issued.user.id), {
          httpOnly: true,
          sameSite: 'strict',
          secure: secureCookies,
          path: '/api/auth',
          maxAge: 180 * 86_400,
        });
      return { stage: issued.stage, user: issued.user, csrfToken: issued.csrfToken };
    };
    const requireSession = (request: { session: import('./service.js').SessionInfo | null }) => {
      if (!request.session) throw new Error('session rule without session');
      return request.session;
    };

    app.get(
      '/api/auth/me',
      {
        config: { access: { public: true } },
        schema: { tags: ['auth'], response: { 200: meResponseSchema } },
      },
      async (request, reply) => {
        if (request.session) {
          return {
            user: toUser(request.session.user),
            stage: request.session.stage,
            csrfToken: request.session.csrfToken,
          };
        }
        let token = request.cookies[PRESESSION_COOKIE];
        if (!token || !/^[A-Za-z0-9_-]{20,64}$/.test(token)) {
          token = randomToken(24);
          reply.setCookie(PRESESSION_COOKIE, token, {
            httpOnly: true,
            sameSite: 'strict',
            secure: secureCookies,
            path: '/',
          });
        }
        return { user: null, stage: null, csrfToken: token };
      },
    );

    app.post(
      '/api/auth/login',
      {
        config: { access: { public: true, csrf: 'presession' } },
        schema: { tags: ['auth'], body: loginRequestSchema, response: { 200: loginResponseSchema } },
      },
      async (request, reply) =>
        issue(
          reply,
          await auth.login(
            request.body.username,
            request.body.password,
            auth.signInContext(request.ip, request.cookies[DEVICE_COOKIE]),
          ),
        ),
    );

    app.post(
      '/api/auth/totp',
      {
        config: { access: { session: 'any' } },
        schema: { tags: ['auth'], body: totpRequestSchema, response: { 200: loginResponseSchema } },
      },
      async (request, reply) =>
        issue(
          reply,
          await auth.verifyTotp(requireSession(request), request.body.code, request.cookies[DEVICE_COOKIE]),
        ),
    );

    app.post(
      '/api/auth/password',
      {
        config: { access: { session: 'any' } },
        schema: { tags: ['auth'], body: changePasswordRequestSchema, response: { 200: loginResponseSchema } },
      },
      async (request, reply) =>
        issue(
          reply,
          await auth.changePassword(
            requireSession(request),
            request.body.currentPassword,
            request.body.newPassword,
          ),
        ),
    );

    app.post(
      '/api/auth/totp/enrol/start',
      {
        config: { access: { session: 'any' } },
        schema: { tags: ['auth'], body: empty, response: { 200: totpEnrolStartResponseSchema } },
      },
      async (request) => auth.startTotpEnrolment(requireSession(request)),
    );

    app.post(
      '/api/auth/totp/enrol/confirm',
      {
        config: { access: { session: 'any' } },
        schema: {
          tags: ['auth'],
          body: totpRequestSchema,
          response: { 200: totpEnrolConfirmResponseSchema.extend({ csrfToken: z.string() }) },
        },
      },
      async (request, reply) => {
        const { recoveryCodes, issued } = await auth.confirmTotpEnrolment(
          requireSession(request),
          request.body.code,
        );
        const { stage, csrfToken } = issue(reply, issued);
        return { recoveryCodes, stage, csrfToken };
      },
    );

    app.post(
      '/api/auth/logout',
      { config: { access: { session: 'any' } }, schema: { tags: ['auth'], body: empty } },
      async (request, reply) => {
        await auth.logout(requireSession(request));
        clearSessionCookie(reply);
        return reply.status(204).send();
      },
    );

    app.post(
      '/api/auth/locale',
      { config: { access: { session: 'any' } }, schema: { tags: ['auth'], body: setLocaleRequestSchema } },
      async (request, reply) => {
        await auth.setLocale(requireSession(request), request.body.locale);
        return reply.status(204).send();
      },
    );

    // Users (admin)
    const userResponse = { 200: z.object({ user: userSchema }) };
    app.get(
      '/api/users',
      {
        config: { access: { roles: ADMIN } },
        schema: { tags: ['users'], response: { 200: z.object({ items: z.array(userSchema) }) } },
      },
      async (request) => ({ items: await auth.listUsersFor(request.principal!) }),
    );
    app.post(
      '/api/users',
      {
        config: { access: { roles: ADMIN } },
        schema: {
          tags: ['users'],
          body: createUserRequestSchema,
          response: { 200: createUserResponseSchema },
        },
      },
      async (request) => auth.createUser(request.principal!, request.body),
    );
    app.patch(
      '/api/users/:id',
      {
        config: { access: { roles: ADMIN } },
        schema: { tags: ['users'], params: idParams, body: updateUserRequestSchema, response: userResponse },
      },
      async (request) => ({
        user: await auth.updateUser(request.principal!, request.params.id, request.body),
      }),
    );
    for (const [action, run] of [
      ['disable', (p: Parameters<AuthService['disableUser']>[0], id: string) => auth.disableUser(p, id)],
      ['enable', (p: Parameters<AuthService['enableUser']>[0], id: string) => auth.enableUser(p, id)],
      ['reset-2fa', (p: Parameters<AuthService['resetTotp']>[0], id: string) => auth.resetTotp(p, id)],
    ] as const) {
      app.post(
        `/api/users/:id/${action}`,
        {
          config: { access: { roles: ADMIN } },
          schema: { tags: ['users'], params: idParams, body: empty, response: userResponse },
        },
        async (request) => ({ user: await run(request.principal!, request.params.id) }),
      );
    }
    app.post(
      '/api/users/:id/reset-password',
      {
        config: { access: { roles: ADMIN } },
        schema: {
          tags: ['users'],
          params: idParams,
          body: empty,
          response: { 200: z.object({ oneTimePassword: z.string() }) },
        },
      },
      async (request) => ({
        oneTimePassword: (await auth.resetPassword(request.principal!, request.params.id)).oneTimePassword,
      }),
    );

    // API keys (admin)
    app.get(
      '/api/apikeys',
      {
        config: { access: { roles: ADMIN } },
        schema: { tags: ['apikeys'], response: { 200: z.object({ items: z.array(apiKeySchema) }) } },
      },
      async (request) => ({ items: await auth.listApiKeys(request.principal!) }),
    );
    app.post(
      '/api/apikeys',
      {
        config: { access: { roles: ADMIN } },
        schema: {
          tags: ['apikeys'],
          body: createApiKeyRequestSchema,
          response: { 200: createApiKeyResponseSchema },
        },
      },
      async (request) => auth.createApiKey(request.principal!, request.body),
    );
    app.post(
      '/api/apikeys/:id/revoke',
      {
        config: { access: { roles: ADMIN } },
        schema: {
          tags: ['apikeys'],
          params: idParams,
          body: empty,
          response: { 200: z.object({ apiKey: apiKeySchema }) },
        },
      },
      async (request) => ({ apiKey: await auth.revokeApiKey(request.principal!, request.params.id) }),
    );

    // Compartment grants (admin)
    app.get(
      '/api/grants',
      {
        config: { access: { roles: ADMIN } },
        schema: {
          tags: ['access'],
          querystring: z
            .object({
              resourceType: z.string().max(50).optional(),
              resourceId: z.string().max(200).optional(),
            })
            .strict(),
          response: { 200: z.object({ items: z.array(grantSchema) }) },
        },
      },
      async (request) => ({
        items: await access.list(request.principal!, request.query.resourceType, request.query.resourceId),
      }),
    );
    app.post(
      '/api/grants',
      { config: { access: { roles: ADMIN } }, schema: { tags: ['access'], body: grantSchema.strict() } },
      async (request, reply) => {
        await access.grant(request.principal!, request.body);
        return reply.status(204).send();
      },
    );
    app.post(
      '/api/grants/revoke',
      { config: { access: { roles: ADMIN } }, schema: { tags: ['access'], body: grantSchema.strict() } },
      async (request, reply) => {
        await access.revoke(request.principal!, request.body);
        return reply.status(204).send();
      },
    );
  };
}
