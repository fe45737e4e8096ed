import type { DiscoveryDocument } from '@app/contracts';
import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { FastifyReply } from 'fastify';
import type { KeysConfig, TokensConfig } from '../config/auth.config.js';
import { KEY_STORE, type KeyStore } from '../keys/key-store.js';
import { etagMatches } from './etag.js';

/** The public half of the key store and the issuer metadata, both cacheable. */
@Controller('.well-known')
export class JwksController {
  private readonly cacheControl: string;
  private readonly issuer: string;

  constructor(
    @Inject(KEY_STORE) private readonly keys: KeyStore,
    config: ConfigService,
  ) {
    this.cacheControl = `public, max-age=${config.getOrThrow<KeysConfig>('keys').jwksMaxAgeSeconds}`;
    this.issuer = config.getOrThrow<TokensConfig>('tokens').issuer;
  }

  @Get('jwks.json')
  jwks(@Headers('if-none-match') ifNoneMatch: string | undefined, @Res() reply: FastifyReply): void {
    const { body, etag } = this.keys.jwks();
    reply.header('cache-control', this.cacheControl).header('etag', etag);
    if (etagMatches(ifNoneMatch, etag)) {
      reply.code(304).send();
      return;
    }
    reply.code(200).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  @Get('openid-configuration')
  discovery(@Res({ passthrough: true }) reply: FastifyReply): DiscoveryDocument {
    reply.header('cache-control', this.cacheControl);
    const algorithms = [...new Set(this.keys.jwks().document.keys.map((k) => k.alg))];
    return {
      issuer: this.issuer,
      jwks_uri: `${this.issuer}/.well-known/jwks.json`,
      token_endpoint: `${this.issuer}/auth/login`,
      grant_types_supported: ['password', 'refresh_token'],
      response_types_supported: ['token'],
      token_endpoint_auth_methods_supported: ['none'],
      revocation_endpoint: `${this.issuer}/auth/revoke`,
      revocation_endpoint_auth_methods_supported: ['none'],
      id_token_signing_alg_values_supported: algorithms,
      scopes_supported: ['profile', 'resource:read'],
    };
  }
}
