import { type DiscoveryDocument, DiscoveryDocumentDto, joinUrl, Scope } from '@app/contracts';
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ConfigType } from '@nestjs/config';
import type { FastifyReply } from 'fastify';
import { jwksConfig } from '../config/jwks-route.config.js';
import { keysConfig } from '../config/keys.config.js';
import { idTokenAlgorithms } from '../keys/key-store.js';
import { tokensConfig } from '../config/tokens.config.js';
import { OAuthEndpoints } from './oauth-endpoints.js';
import { REVOCATION_FEED_PATH } from '../revocation/revocation.controller.js';
import { DPOP_SIGNING_ALGORITHMS } from '../dpop/token-endpoint-proofs.js';
import { ID_TOKEN_CLAIMS } from '../tokens/id-token.service.js';

/**
 * The authorization server metadata (RFC 8414) and OpenID Connect Discovery, one document at both
 * well-known names, built from what is wired (docs/oauth.md "Metadata"): the authorization code flow
 * with PKCE S256 and `iss` in its responses, ID tokens, userinfo and RP-initiated logout.
 * `revocation_feed_endpoint` is ours, not a registered member: the feed verifiers poll (docs/revocation.md).
 */
@ApiTags('keys')
@Controller('.well-known')
export class DiscoveryController {
  private readonly cacheControl: string;
  private readonly document: DiscoveryDocument;

  constructor(
    @Inject(keysConfig.KEY) keys: ConfigType<typeof keysConfig>,
    @Inject(tokensConfig.KEY) tokens: ConfigType<typeof tokensConfig>,
    @Inject(jwksConfig.KEY) route: ConfigType<typeof jwksConfig>,
    endpoints: OAuthEndpoints,
  ) {
    this.cacheControl = `public, max-age=${keys.jwksMaxAgeSeconds}`;
    const issuer = tokens.issuer;
    this.document = {
      issuer,
      jwks_uri: joinUrl(issuer, route.path),
      token_endpoint: joinUrl(issuer, endpoints.tokenPath),
      grant_types_supported: endpoints.grantTypes,
      authorization_endpoint: joinUrl(issuer, endpoints.authorizationPath),
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
      subject_types_supported: ['public'],
      // RS256 (the ID-token key), and JWT_ALGORITHM for clients registered with it (docs/oidc.md "Tokens").
      id_token_signing_alg_values_supported: idTokenAlgorithms(tokens.algorithm),
      userinfo_endpoint: joinUrl(issuer, endpoints.userinfoPath),
      end_session_endpoint: joinUrl(issuer, endpoints.endSessionPath),
      claims_supported: [...ID_TOKEN_CLAIMS],
      token_endpoint_auth_methods_supported: [...endpoints.tokenAuthMethods],
      revocation_endpoint: joinUrl(issuer, endpoints.revocationPath),
      revocation_endpoint_auth_methods_supported: [...endpoints.revocationAuthMethods],
      introspection_endpoint: joinUrl(issuer, endpoints.introspectionPath),
      introspection_endpoint_auth_methods_supported: [...endpoints.introspectionAuthMethods],
      scopes_supported: ['openid', ...Object.values(Scope)],
      revocation_feed_endpoint: joinUrl(issuer, REVOCATION_FEED_PATH),
      dpop_signing_alg_values_supported: [...DPOP_SIGNING_ALGORITHMS],
    };
  }

  @Get('oauth-authorization-server')
  @ApiOperation({ summary: 'Authorization server metadata (RFC 8414)' })
  @ApiOkResponse({ type: DiscoveryDocumentDto, description: 'Cacheable issuer metadata' })
  authorizationServer(@Res({ passthrough: true }) reply: FastifyReply): DiscoveryDocument {
    reply.header('cache-control', this.cacheControl);
    return this.document;
  }

  @Get('openid-configuration')
  @ApiOperation({ summary: 'The same metadata at the OpenID Connect Discovery name' })
  @ApiOkResponse({ type: DiscoveryDocumentDto, description: 'Cacheable issuer metadata' })
  discovery(@Res({ passthrough: true }) reply: FastifyReply): DiscoveryDocument {
    return this.authorizationServer(reply);
  }
}
