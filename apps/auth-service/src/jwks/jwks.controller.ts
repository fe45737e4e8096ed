import { type DiscoveryDocument, DiscoveryDocumentDto, JwksDocumentDto, joinUrl } from '@app/contracts';
import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ApiHeader, ApiNotModifiedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ConfigService } from '@nestjs/config';
import type { FastifyReply } from 'fastify';
import type { KeysConfig, TokensConfig } from '../config/auth.config.js';
import { KEY_STORE, type KeyStore } from '../keys/key-store.js';
import { etagMatches } from './etag.js';

/** The public half of the key store and the issuer metadata, both cacheable. */
@ApiTags('keys')
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
  @ApiOperation({ summary: 'The public keys verifiers accept (JWKS)' })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'An ETag from an earlier answer' })
  @ApiOkResponse({ type: JwksDocumentDto, description: 'Cacheable: Cache-Control max-age and ETag' })
  @ApiNotModifiedResponse({ description: 'The key set has not changed since the ETag given' })
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
  @ApiOperation({ summary: 'Issuer metadata (RFC 8414 / OpenID Connect Discovery subset)' })
  @ApiOkResponse({ type: DiscoveryDocumentDto, description: 'Cacheable issuer metadata' })
  discovery(@Res({ passthrough: true }) reply: FastifyReply): DiscoveryDocument {
    reply.header('cache-control', this.cacheControl);
    const algorithms = [...new Set(this.keys.jwks().document.keys.map((k) => k.alg))];
    return {
      issuer: this.issuer,
      jwks_uri: joinUrl(this.issuer, '.well-known/jwks.json'),
      token_endpoint: joinUrl(this.issuer, 'auth/login'),
      grant_types_supported: ['password', 'refresh_token'],
      response_types_supported: ['token'],
      token_endpoint_auth_methods_supported: ['none'],
      revocation_endpoint: joinUrl(this.issuer, 'auth/revoke'),
      revocation_endpoint_auth_methods_supported: ['none'],
      id_token_signing_alg_values_supported: algorithms,
      scopes_supported: ['profile', 'resource:read'],
    };
  }
}
