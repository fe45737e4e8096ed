import { type DiscoveryDocument, DiscoveryDocumentDto, joinUrl } from '@app/contracts';
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ConfigType } from '@nestjs/config';
import type { FastifyReply } from 'fastify';
import { jwksConfig } from '../config/jwks-route.config.js';
import { keysConfig } from '../config/keys.config.js';
import { tokensConfig } from '../config/tokens.config.js';
import { KEY_STORE, type KeyStore } from '../keys/key-store.js';

/** The issuer metadata: where the keys are (`JWKS_PATH`), the endpoints and what they support. */
@ApiTags('keys')
@Controller('.well-known')
export class DiscoveryController {
  private readonly cacheControl: string;
  private readonly issuer: string;
  private readonly jwksUri: string;

  constructor(
    @Inject(KEY_STORE) private readonly keys: KeyStore,
    @Inject(keysConfig.KEY) keysSettings: ConfigType<typeof keysConfig>,
    @Inject(tokensConfig.KEY) tokens: ConfigType<typeof tokensConfig>,
    @Inject(jwksConfig.KEY) route: ConfigType<typeof jwksConfig>,
  ) {
    this.cacheControl = `public, max-age=${keysSettings.jwksMaxAgeSeconds}`;
    this.issuer = tokens.issuer;
    this.jwksUri = joinUrl(this.issuer, route.path);
  }

  @Get('openid-configuration')
  @ApiOperation({ summary: 'Issuer metadata (RFC 8414 / OpenID Connect Discovery subset)' })
  @ApiOkResponse({ type: DiscoveryDocumentDto, description: 'Cacheable issuer metadata' })
  discovery(@Res({ passthrough: true }) reply: FastifyReply): DiscoveryDocument {
    reply.header('cache-control', this.cacheControl);
    const algorithms = [...new Set(this.keys.jwks().document.keys.map((k) => k.alg))];
    return {
      issuer: this.issuer,
      jwks_uri: this.jwksUri,
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
