import type { SecurityHeadersOptions } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { onRequestHookHandler, RouteOptions } from 'fastify';
import { REQUEST_ID_HEADER } from '../logging/request-id.js';

/**
 * The security headers of every answer, helmet's set and defaults: CSP of JSON that no browser should
 * render, frame or run scripts from (OWASP REST Security: `default-src 'none'; frame-ancestors
 * 'none'`), and `Cross-Origin-Resource-Policy: same-origin`.
 */
const API_SECURITY_HEADERS: SecurityHeadersOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  crossOriginResourcePolicy: { policy: 'same-origin' },
};

/**
 * CSP of the Swagger UI under /docs only: its scripts and styles from the same origin, the inline
 * <style> it ships and its data: images. No `upgrade-insecure-requests`, so the UI also loads over
 * plain http on an internal host.
 */
const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
].join(';');

const isDocsRoute = (url: string, docsPath: string): boolean => url === docsPath || url.startsWith(`${docsPath}/`) || url.startsWith(`${docsPath}-`);

/**
 * Security headers on every answer (routes, 404s, errors) with Nest's `app.useSecurityHeaders()`:
 * helmet's options and defaults, resolved once at start and written by one request hook (the
 * @fastify/helmet plugin rebuilt helmet's middleware, CSP parsing included, on every request:
 * docs/performance.md "The operations layer"). Routes under `docsPath` get a hook of their own that
 * replaces the CSP with the docs one. fastify sends no `X-Powered-By`.
 */
export function registerSecurityHeaders(app: NestFastifyApplication, docsPath: string): void {
  app.useSecurityHeaders(API_SECURITY_HEADERS);
  const docsHeaders: onRequestHookHandler = (_request, reply, done) => {
    reply.header('content-security-policy', DOCS_CSP);
    done();
  };
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route: RouteOptions) => {
      if (!isDocsRoute(route.url, docsPath)) return;
      const hooks = route.onRequest;
      route.onRequest = hooks === undefined ? [docsHeaders] : [...(Array.isArray(hooks) ? hooks : [hooks]), docsHeaders];
    });
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
    // DPoP (docs/dpop.md): a browser app sends its proof in `DPoP` and reads the server's nonce.
    allowedHeaders: ['Authorization', 'Content-Type', 'DPoP', 'If-None-Match', 'X-Request-Id'],
    exposedHeaders: ['DPoP-Nonce', 'ETag', 'Retry-After', 'WWW-Authenticate', 'X-Request-Id'],
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
