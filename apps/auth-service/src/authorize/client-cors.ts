import { Inject, Injectable } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ClientsService } from '../clients/clients.service.js';
import { CLOCK, type Clock } from '../time/clock.js';

/** The routes a browser app calls from its own origin (docs/oidc.md "CORS"). */
const CLIENT_ROUTES = new Set(['/oauth/token', '/oauth/revoke', '/oauth/userinfo']);
/** Public documents any origin may read. */
const PUBLIC_PREFIX = '/.well-known/';
/** How long the registered origins are reused before they are read again (a new client's origin works within this). */
const ORIGINS_TTL_MS = 10_000;

/** The origins of every enabled client's redirect URIs (http and https only), read at most every ten seconds. */
@Injectable()
export class ClientOrigins {
  private origins: Set<string> = new Set();
  private readAt = -Infinity;

  constructor(
    private readonly clients: ClientsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async allows(origin: string): Promise<boolean> {
    if (this.clock.now() - this.readAt > ORIGINS_TTL_MS) {
      const uris = (await this.clients.list()).filter((c) => !c.disabled).flatMap((c) => c.redirectUris);
      this.origins = new Set(uris.filter((u) => /^https?:/.test(u)).map((u) => new URL(u).origin));
      this.readAt = this.clock.now();
    }
    return this.origins.has(origin);
  }
}

function allow(reply: FastifyReply, origin: string): void {
  reply
    .header('access-control-allow-origin', origin)
    .header('vary', 'Origin')
    .header('access-control-expose-headers', 'WWW-Authenticate, Retry-After, DPoP-Nonce');
}

/**
 * CORS without credentials: the token, revocation and userinfo endpoints for the origins of
 * registered redirect URIs (a single-page app redeems its code and reads userinfo from its own
 * origin); discovery and the JWKS for any origin (unless CORS_ORIGINS sets the operator's own list).
 * Preflights of those routes are answered here.
 */
export function registerClientCors(app: NestFastifyApplication, operatorOrigins: readonly string[]): void {
  const origins = app.get(ClientOrigins);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
      const origin = request.headers.origin;
      if (typeof origin !== 'string') return undefined;
      const path = (request.url ?? '').split('?')[0];
      // CORS_ORIGINS, when set, is the operator's policy for every route but the three client routes.
      const publicDocument = operatorOrigins.length === 0 && path.startsWith(PUBLIC_PREFIX);
      if (!publicDocument && !(CLIENT_ROUTES.has(path) && (await origins.allows(origin)))) return undefined;
      allow(reply, publicDocument ? '*' : origin);
      if (request.method === 'OPTIONS') {
        return reply
          .header('access-control-allow-methods', publicDocument ? 'GET' : 'GET, POST')
          .header('access-control-allow-headers', 'Authorization, Content-Type, DPoP')
          .header('access-control-max-age', '600')
          .code(204)
          .send();
      }
      return undefined;
    });
}
