/**
 * The Fastify application factory: Zod validation and OpenAPI, the coded error envelope, strict
 * security headers, authentication (session cookie or API key), CSRF protection and per-route access
 * rules. Areas add their routes through `register` callbacks; none of them handles these concerns.
 */
import { existsSync, readFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type pino from 'pino';
import type { Principal } from '../auth/model.js';
import type { AuthService, SessionInfo } from '../auth/service.js';
import { constantTimeEqual, randomToken } from '../crypto.js';
import { AppError } from '../errors.js';
import { describeCharacter, findUnsafeText, unsafeCharacter } from '../text-safety.js';
import { TokenBuckets } from '../token-buckets.js';
import type { AccessRule } from './access-rules.js';

export const SESSION_COOKIE = 'svd_session';
/** Marks a browser where the user completed sign-in (see SignInGuard); scoped to the sign-in routes. */
export const DEVICE_COOKIE = 'svd_device';
export const PRESESSION_COOKIE = 'svd_csrf';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    session: SessionInfo | null;
  }
}

export type App = FastifyInstance<
  // biome-ignore lint/suspicious/noExplicitAny: Fastify's server generics are left at their defaults.
  any,
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  any,
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  any,
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  any,
  ZodTypeProvider
>;

export interface RegisteredRoute {
  method: string;
  url: string;
  access: AccessRule;
}
const registeredRoutes = new WeakMap<object, RegisteredRoute[]>();

/** Every API route of an app with its access rule (for the authorization-matrix test and docs). */
export function apiRoutes(app: App): RegisteredRoute[] {
  return registeredRoutes.get(app) ?? [];
}

export interface AppOptions {
  auth: AuthService;
  logger: pino.Logger | false;
  bodyLimitBytes: number;
  secureCookies: boolean;
  version: string;
  /** Calls one API key may make per minute (a token bucket holding a tenth of it, at least 5). */
  apiKeyRatePerMinute?: number;
  /** Built web app (index.html + assets); served when present. */
  webDist?: string;
  register: Array<(app: App) => Promise<void> | void>;
}

const perItemTextSchemas = new WeakSet<object>();

/**
 * Marks a body schema whose route refuses unsafe text item by item with a coded error per item (a batch
 * API where each entry succeeds or fails on its own, like `/api/match`): the whole-request check skips it.
 */
export function perItemTextCheck<T extends object>(schema: T): T {
  perItemTextSchemas.add(schema);
  return schema;
}

/** The coded envelope every error is answered with: `{"error": {"code", "message", "details"?}}`. */
export function errorBody(error: AppError) {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
    },
  };
}

function sendError(reply: FastifyReply, error: AppError): FastifyReply {
  const retryAfter = error.details?.retryAfterSeconds;
  if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
  return reply.status(error.status).send(errorBody(error));
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function contentSecurityPolicy(nonce?: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self'${nonce ? ` 'nonce-${nonce}'` : ''}`,
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Per-API-key token buckets: a partner's key (or a stolen one) cannot read the registry wholesale by
 * calling in a loop. In memory, per process; idle buckets are forgotten.
 */
export class KeyRateLimiter {
  readonly #buckets: TokenBuckets;

  constructor(perMinute: number) {
    this.#buckets = new TokenBuckets(Math.max(5, Math.ceil(perMinute / 10)), perMinute);
  }

  /** Takes one call for `key`: 0 when allowed, else the seconds to wait. */
  take(key: string, now = Date.now()): number {
    return this.#buckets.take(key, now);
  }
}

/** Builds the HTTP application. */
export async function buildApp(options: AppOptions): Promise<App> {
  const app = Fastify({
    logger: options.logger
      ? {
          // No client addresses, user agents or query strings: sources and subscribers must not be traceable.
          level: options.logger.level,
          serializers: {
            req: (request: { method: string; routeOptions?: { url?: string }; url: string }) => ({
              method: request.method,
              route: request.routeOptions?.url ?? request.url.split('?')[0],
            }),
            res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
          },
        }
      : false,
    bodyLimit: options.bodyLimitBytes,
    // Errors found before routing answer in the same coded envelope as every other error.
    frameworkErrors: (error, _request, reply) => {
      const code = (error as { code?: string }).code;
      return sendError(
        reply,
        new AppError(code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'SVD_HTTP_URL_TOO_LONG' : 'SVD_HTTP_BAD_REQUEST'),
      );
    },
    clientErrorHandler: (error, socket) => {
      if (!socket.writable) return socket.destroy();
      const code = (error as { code?: string }).code;
      const coded = new AppError(
        code === 'HPE_HEADER_OVERFLOW'
          ? 'SVD_HTTP_HEADERS_TOO_LARGE'
          : code === 'HPE_URI_TOO_LONG'
            ? 'SVD_HTTP_URL_TOO_LONG'
            : code === 'ERR_HTTP_REQUEST_TIMEOUT'
              ? 'SVD_HTTP_TIMEOUT'
              : 'SVD_HTTP_BAD_REQUEST',
      );
      const body = JSON.stringify(errorBody(coded));
      socket.end(
        `HTTP/1.1 ${coded.status} ${STATUS_CODES[coded.status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    },
    trustProxy: false,
    requestIdHeader: false,
    genReqId: () => randomToken(8),
  }).withTypeProvider<ZodTypeProvider>();

  // Every request part with a schema is first checked for refused characters (text-safety.ts), so no
  // route can hand a NUL byte or a bidi override to the database or a page.
  app.setValidatorCompiler((route) => {
    const validate = validatorCompiler(route as Parameters<typeof validatorCompiler>[0]);
    const perItem = perItemTextSchemas.has(route.schema as object);
    return (data: unknown) => {
      const unsafe = perItem ? undefined : findUnsafeText(data);
      if (unsafe) {
        const where = [route.httpPart ?? 'body', unsafe.path].filter(Boolean).join('.');
        return {
          error: new AppError('SVD_HTTP_UNSAFE_TEXT', {
            message: `Invalid request: ${where} contains a character that is not accepted (${describeCharacter(unsafe.character)}).`,
            details: { path: where, character: describeCharacter(unsafe.character) },
          }),
        };
      }
      return validate(data);
    };
  });
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('principal', null);
  app.decorateRequest('session', null);

  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Sviedka API',
        version: options.version,
        description:
          'Errors: `{"error": {"code": "SVD_...", "message": "..."}}`. Partner calls use `Authorization: Bearer <key>`; calls that read personal data need `X-Purpose`.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  // The docs page gets the app's strict policy: no third-party origins (the plugin's default allows https:).
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    transformStaticCSP: () => contentSecurityPolicy(),
    uiConfig: { validatorUrl: null },
  });

  // Every API route must carry an access rule: a forgotten rule fails start-up, not production.
  const routes: RegisteredRoute[] = [];
  registeredRoutes.set(app, routes);
  app.addHook('onRoute', (route) => {
    const url = route.url;
    if (!url.startsWith('/api/') || url.startsWith('/api/docs')) return;
    const access = route.config?.access as AccessRule | undefined;
    if (!access) throw new Error(`Route ${route.method} ${url} has no access rule`);
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url, access });
  });

  const keyLimiter = new KeyRateLimiter(options.apiKeyRatePerMinute ?? 600);

  app.addHook('onRequest', async (request, reply) => {
    // Decide by the matched route, never by the raw URL: the router decodes `%61pi` to `api`, a prefix
    // test on request.url would not. Every /api route has a rule (enforced above); pages have none.
    const rule = request.routeOptions.config?.access as AccessRule | undefined;
    if (!rule) return;
    reply.header('cache-control', 'no-store');

    const authorization = request.headers.authorization;
    // Why the caller reads personal data: required of API keys on such routes, recorded for anyone.
    const purposeHeader = request.headers['x-purpose'];
    const purpose =
      typeof purposeHeader === 'string' && purposeHeader.trim() ? purposeHeader.trim().slice(0, 500) : null;
    if (purpose && unsafeCharacter(purpose, true)) throw new AppError('SVD_HTTP_UNSAFE_TEXT');
    if (authorization?.startsWith('Bearer ')) {
      request.principal = await options.auth.authenticateApiKey(authorization.slice(7).trim(), purpose);
      const waitSeconds = keyLimiter.take(request.principal.id);
      if (waitSeconds > 0) {
        reply.header('retry-after', String(waitSeconds));
        throw new AppError('SVD_HTTP_RATE_LIMITED');
      }
    } else {
      const session = await options.auth.session(request.cookies[SESSION_COOKIE]);
      if (session) {
        request.session = session;
        if (session.stage === 'ok') {
          request.principal = {
            type: 'user',
            id: session.user.id,
            username: session.user.username,
            role: session.user.role,
            purpose,
          };
        }
      }
    }

    // CSRF: cookie-authenticated changes must echo the session's token; pre-session changes (login)
    // must echo the pre-session cookie (double submit). Bearer API calls carry no ambient credentials.
    if (!SAFE_METHODS.has(request.method) && request.principal?.type !== 'apikey') {
      const header = request.headers['x-csrf-token'];
      const sent = typeof header === 'string' ? header : '';
      if (request.session) {
        if (!constantTimeEqual(sent, request.session.csrfToken)) throw new AppError('SVD_AUTH_CSRF');
      } else if (!('public' in rule) || rule.csrf !== 'none') {
        const cookie = request.cookies[PRESESSION_COOKIE] ?? '';
        if (!cookie || !constantTimeEqual(sent, cookie)) throw new AppError('SVD_AUTH_CSRF');
      }
    }

    if ('public' in rule) return;
    if ('session' in rule) {
      if (!request.session) throw new AppError('SVD_AUTH_REQUIRED');
      return;
    }
    const principal = request.principal;
    if (!principal) {
      if (request.session) throw new AppError('SVD_AUTH_STAGE');
      throw new AppError('SVD_AUTH_REQUIRED');
    }
    if (principal.type === 'user') {
      if (!rule.roles.includes(principal.role)) throw new AppError('SVD_HTTP_NOT_FOUND');
    } else if (principal.type === 'apikey') {
      if (!rule.scopes?.some((scope) => principal.scopes.includes(scope)))
        throw new AppError('SVD_HTTP_NOT_FOUND');
      if (rule.personalData && !principal.purpose) throw new AppError('SVD_AUTH_PURPOSE_REQUIRED');
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (!reply.hasHeader('content-security-policy'))
      reply.header('content-security-policy', contentSecurityPolicy());
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cross-origin-resource-policy', 'same-origin');
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
    if (options.secureCookies)
      reply.header('strict-transport-security', 'max-age=63072000; includeSubDomains');
    if (request.routeOptions.config?.access || request.url.startsWith('/api/'))
      reply.header('cache-control', reply.getHeader('cache-control') ?? 'no-store');
    return payload;
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof AppError) return sendError(reply, error);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.slice(0, 20).map((issue) => ({
        path: `${error.validationContext ?? 'body'}${issue.instancePath.replaceAll('/', '.')}`,
        message: issue.message ?? 'invalid',
      }));
      const summary = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
      return sendError(
        reply,
        new AppError('SVD_HTTP_VALIDATION', { message: `Invalid request: ${summary}`, details: { issues } }),
      );
    }
    const fastifyError = error as { code?: string; statusCode?: number };
    switch (fastifyError.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendError(reply, new AppError('SVD_HTTP_BAD_JSON'));
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendError(reply, new AppError('SVD_HTTP_TOO_LARGE'));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendError(reply, new AppError('SVD_HTTP_UNSUPPORTED_MEDIA'));
    }
    if (error instanceof SyntaxError) return sendError(reply, new AppError('SVD_HTTP_BAD_JSON'));
    // Text the database cannot store (a NUL byte that reached a query past every schema): the
    // client's input, not a server failure.
    if (fastifyError.code === '22021' || fastifyError.code === '22P05')
      return sendError(reply, new AppError('SVD_HTTP_UNSAFE_TEXT'));
    if (fastifyError.statusCode === 429) return sendError(reply, new AppError('SVD_HTTP_RATE_LIMITED'));
    if (fastifyError.statusCode === 404) return sendError(reply, new AppError('SVD_HTTP_NOT_FOUND'));
    if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
      return sendError(reply, new AppError('SVD_HTTP_VALIDATION', { message: 'The request is malformed.' }));
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, new AppError('SVD_HTTP_INTERNAL'));
  });

  app.get('/api/openapi.json', { config: { access: { public: true } }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  for (const register of options.register) await register(app);

  const webDist = options.webDist;
  const indexFile = webDist ? path.join(webDist, 'index.html') : undefined;
  if (webDist && indexFile && existsSync(indexFile)) {
    const indexTemplate = readFileSync(indexFile, 'utf8');
    const sendIndex = (reply: FastifyReply) => {
      const nonce = randomToken(16);
      return reply
        .header('content-security-policy', contentSecurityPolicy(nonce))
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(indexTemplate.replaceAll('__CSP_NONCE__', nonce));
    };
    await app.register(fastifyStatic, {
      root: webDist,
      prefix: '/',
      index: false,
      wildcard: false,
      cacheControl: false,
      // index.html is a template (CSP nonce); it is only ever sent through sendIndex.
      allowedPath: (pathName: string) => pathName !== '/index.html',
    });
    app.get('/', { schema: { hide: true } }, (_request, reply) => sendIndex(reply));
    app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
      // A page of the app (a browser navigating asks for HTML; registry ids may contain a dot, so a path
      // with an extension is a page too when HTML is wanted); anything else not found is a missing file.
      const pathName = request.url.split('?')[0]!;
      const wantsHtml = String(request.headers.accept ?? '').includes('text/html');
      if (
        request.method === 'GET' &&
        !safeDecode(pathName).startsWith('/api/') &&
        (wantsHtml || !path.extname(pathName))
      ) {
        return sendIndex(reply);
      }
      return sendError(reply, new AppError('SVD_HTTP_NOT_FOUND'));
    });
  } else {
    app.setNotFoundHandler((_request, reply) => sendError(reply, new AppError('SVD_HTTP_NOT_FOUND')));
  }

  return app;
}

/** Sets the session cookie (httpOnly, SameSite=Strict, Secure when configured). */
export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure, path: '/' });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
