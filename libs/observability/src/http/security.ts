import helmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RouteOptions } from 'fastify';
import { REQUEST_ID_HEADER } from '../logging/request-id.js';

/**
 * CSP of the API answers: JSON that no browser should render, frame or run scripts from
 * (OWASP REST Security: `default-src 'none'; frame-ancestors 'none'`).
 */
const API_CSP = { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } };

/**
 * CSP of the Swagger UI under /docs only: its scripts and styles from the same origin, the inline
 * <style> it ships and its data: images. No `upgrade-insecure-requests`, so the UI also loads over
 * plain http on an internal host.
 */
const DOCS_CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'self'"],
  },
};

/**
 * helmet's headers on every answer (routes, 404s, errors), with the API CSP except under `docsPath`.
 * fastify sends no `X-Powered-By`, and helmet would remove one.
 */
export async function registerSecurityHeaders(app: NestFastifyApplication, docsPath: string): Promise<void> {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route: RouteOptions) => {
      if (route.url === docsPath || route.url.startsWith(`${docsPath}/`) || route.url.startsWith(`${docsPath}-`)) {
        route.config = { ...(route.config as object), helmet: { contentSecurityPolicy: DOCS_CSP } } as RouteOptions['config'];
      }
    });
  await app.register(helmet, { contentSecurityPolicy: API_CSP, crossOriginResourcePolicy: { policy: 'same-origin' } });
}

/**
 * CORS only when origins are configured; otherwise no Access-Control-* header is ever sent and
 * browsers keep other sites' pages from reading the answers. Bearer tokens, not cookies: no credentials.
 */
export function enableCors(app: NestFastifyApplication, origins: string[]): void {
  if (origins.length === 0) return;
  app.enableCors({
    origin: origins.includes('*') ? '*' : origins,
    methods: ['GET', 'HEAD', 'POST', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'If-None-Match', 'X-Request-Id'],
    exposedHeaders: ['ETag', 'Retry-After', 'WWW-Authenticate', 'X-Request-Id'],
    credentials: false,
    maxAge: 600,
  });
}

/** Returns the request id (see `genReqId`) in the `X-Request-Id` header of every answer. */
export function echoRequestId(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      reply.header(REQUEST_ID_HEADER, request.id);
      done();
    });
}
