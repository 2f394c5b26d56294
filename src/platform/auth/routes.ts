/** HTTP routes for login steps, security keys, sign-in policy, users, API keys and grants: validate, authorize, call the service. */
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
  removeSecurityKeyRequestSchema,
  renameSecurityKeyRequestSchema,
  rolePolicySchema,
  secondFactorsSchema,
  securityKeySchema,
  setLocaleRequestSchema,
  setRolePolicyRequestSchema,
  staffRoleSchema,
  totpEnrolConfirmResponseSchema,
  totpEnrolStartResponseSchema,
  totpRequestSchema,
  updateUserRequestSchema,
  userSchema,
  webauthnAuthenticateVerifyRequestSchema,
  webauthnOptionsResponseSchema,
  webauthnRegisterOptionsRequestSchema,
  webauthnRegisterVerifyRequestSchema,
  webauthnRegisterVerifyResponseSchema,
} from './model.js';
import type { RolePolicyService } from './role-policy.js';
import type { SecurityKeyService } from './security-keys.js';
import { type AuthService, type IssuedSession, toUser } from './service.js';

const idParams = z.object({ id: z.string().uuid() }).strict();
const empty = z.object({}).strict().optional();
/** WebAuthn options go to the browser as the verifier made them. */
const asJson = (options: object) => options as Record<string, unknown>;

export function authRoutes(
  services: {
    auth: AuthService;
    access: AccessService;
    securityKeys: SecurityKeyService;
    rolePolicy: RolePolicyService;
  },
  secureCookies: boolean,
) {
  const { auth, access, securityKeys, rolePolicy } = services;
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

    // Security keys and passkeys (WebAuthn)
    app.get(
      '/api/auth/factors',
      {
        config: { access: { session: 'any' } },
        schema: { tags: ['auth'], response: { 200: secondFactorsSchema } },
      },
      async (request) => securityKeys.factors(requireSession(request), request.host),
    );
    app.post(
      '/api/auth/webauthn/register/options',
      {
        config: { access: { session: 'any' } },
        schema: {
          tags: ['auth'],
          body: webauthnRegisterOptionsRequestSchema,
          response: { 200: webauthnOptionsResponseSchema },
        },
      },
      async (request) => ({
        options: asJson(
          await securityKeys.registrationOptions(
            requireSession(request),
            request.host,
            request.body.currentPassword,
          ),
        ),
      }),
    );
    app.post(
      '/api/auth/webauthn/register/verify',
      {
        config: { access: { session: 'any' } },
        schema: {
          tags: ['auth'],
          body: webauthnRegisterVerifyRequestSchema,
          response: { 200: webauthnRegisterVerifyResponseSchema },
        },
      },
      async (request, reply) => {
        const session = requireSession(request);
        const { key, recoveryCodes, issued } = await securityKeys.register(
          session,
          request.host,
          request.body.name,
          request.body.response as unknown as Parameters<SecurityKeyService['register']>[3],
        );
        const { stage, csrfToken } = issued
          ? issue(reply, issued)
          : { stage: session.stage, csrfToken: session.csrfToken };
        return { key, ...(recoveryCodes ? { recoveryCodes } : {}), stage, csrfToken };
      },
    );
    app.post(
      '/api/auth/webauthn/authenticate/options',
      {
        config: { access: { session: 'any' } },
        schema: { tags: ['auth'], body: empty, response: { 200: webauthnOptionsResponseSchema } },
      },
      async (request) => ({
        options: asJson(await securityKeys.authenticationOptions(requireSession(request), request.host)),
      }),
    );
    app.post(
      '/api/auth/webauthn/authenticate/verify',
      {
        config: { access: { session: 'any' } },
        schema: {
          tags: ['auth'],
          body: webauthnAuthenticateVerifyRequestSchema,
          response: { 200: loginResponseSchema },
        },
      },
      async (request, reply) =>
        issue(
          reply,
          await securityKeys.authenticate(
            requireSession(request),
            request.host,
            request.body.response as unknown as Parameters<SecurityKeyService['authenticate']>[2],
            request.cookies[DEVICE_COOKIE],
          ),
        ),
    );
    app.get(
      '/api/auth/webauthn/keys',
      {
        config: { access: { session: 'any' } },
        schema: { tags: ['auth'], response: { 200: z.object({ items: z.array(securityKeySchema) }) } },
      },
      async (request) => ({ items: await securityKeys.list(requireSession(request)) }),
    );
    app.patch(
      '/api/auth/webauthn/keys/:id',
      {
        config: { access: { session: 'any' } },
        schema: {
          tags: ['auth'],
          params: idParams,
          body: renameSecurityKeyRequestSchema,
          response: { 200: z.object({ key: securityKeySchema }) },
        },
      },
      async (request) => ({
        key: await securityKeys.rename(requireSession(request), request.params.id, request.body.name),
      }),
    );
    app.post(
      '/api/auth/webauthn/keys/:id/remove',
      {
        config: { access: { session: 'any' } },
        schema: { tags: ['auth'], params: idParams, body: removeSecurityKeyRequestSchema },
      },
      async (request, reply) => {
        await securityKeys.remove(requireSession(request), request.params.id, request.body.currentPassword);
        return reply.status(204).send();
      },
    );

    // Sign-in policy per role (admin)
    app.get(
      '/api/auth/policy',
      {
        config: { access: { roles: ADMIN } },
        schema: { tags: ['auth'], response: { 200: z.object({ items: z.array(rolePolicySchema) }) } },
      },
      async (request) => ({ items: await rolePolicy.list(request.principal!) }),
    );
    app.put(
      '/api/auth/policy/:role',
      {
        config: { access: { roles: ADMIN } },
        schema: {
          tags: ['auth'],
          params: z.object({ role: staffRoleSchema }).strict(),
          body: setRolePolicyRequestSchema,
          response: { 200: z.object({ policy: rolePolicySchema }) },
        },
      },
      async (request) => ({
        policy: await rolePolicy.set(request.principal!, request.params.role, request.body),
      }),
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
