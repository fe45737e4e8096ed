import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SUPPORTED_ALGORITHMS, type JwsAlgorithm } from '../algorithms.js';
import type { DiscoveryDocument, JwksDocument, PublicJwk } from '../jwk.js';

/** `PublicJwk` as a class, for the OpenAPI document. */
export class PublicJwkDto implements PublicJwk {
  @ApiProperty({ enum: ['RSA', 'EC', 'OKP'], example: 'RSA' })
  kty!: 'RSA' | 'EC' | 'OKP';

  @ApiProperty({ description: 'RFC 7638 thumbprint of the key', example: 'N_3vTqQ8sQ1m0ZkXo2iO6m0K3Yg9h0bq3Jm6rY1yX2c' })
  kid!: string;

  @ApiProperty({ enum: SUPPORTED_ALGORITHMS, example: 'RS256' })
  alg!: JwsAlgorithm;

  @ApiProperty({ enum: ['sig'], example: 'sig' })
  use!: 'sig';

  @ApiPropertyOptional({ description: 'RSA modulus (base64url)' })
  n?: string;

  @ApiPropertyOptional({ description: 'RSA exponent (base64url)', example: 'AQAB' })
  e?: string;

  @ApiPropertyOptional({ description: 'Curve of an EC or OKP key', example: 'P-256' })
  crv?: string;

  @ApiPropertyOptional({ description: 'EC/OKP public x coordinate (base64url)' })
  x?: string;

  @ApiPropertyOptional({ description: 'EC public y coordinate (base64url)' })
  y?: string;
}

export class JwksDocumentDto implements JwksDocument {
  @ApiProperty({ type: [PublicJwkDto], description: 'Every key a verifier must accept now' })
  keys!: PublicJwkDto[];
}

export class DiscoveryDocumentDto implements DiscoveryDocument {
  @ApiProperty({ example: 'http://localhost:3000' })
  issuer!: string;

  @ApiProperty({ example: 'http://localhost:3000/.well-known/jwks.json' })
  jwks_uri!: string;

  @ApiProperty({ example: 'http://localhost:3000/oauth/token' })
  token_endpoint!: string;

  @ApiProperty({ type: [String], example: ['authorization_code', 'password', 'refresh_token', 'client_credentials'] })
  grant_types_supported!: string[];

  @ApiProperty({ example: 'http://localhost:3000/oauth/authorize' })
  authorization_endpoint!: string;

  @ApiProperty({ type: [String], example: ['code'], description: 'The authorization code flow only' })
  response_types_supported!: string[];

  @ApiProperty({ type: [String], example: ['query'] })
  response_modes_supported!: string[];

  @ApiProperty({ type: [String], example: ['S256'], description: 'PKCE is required for every client' })
  code_challenge_methods_supported!: string[];

  @ApiProperty({ example: true, description: 'RFC 9207: iss in every authorization response' })
  authorization_response_iss_parameter_supported!: boolean;

  @ApiProperty({ example: 'http://localhost:3000/oauth/userinfo' })
  userinfo_endpoint!: string;

  @ApiProperty({ example: 'http://localhost:3000/oauth/logout', description: 'OpenID RP-Initiated Logout 1.0' })
  end_session_endpoint!: string;

  @ApiProperty({ type: [String], example: ['public'] })
  subject_types_supported!: string[];

  @ApiProperty({ type: [String], example: ['RS256'] })
  id_token_signing_alg_values_supported!: string[];

  @ApiProperty({ type: [String], example: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'sid', 'at_hash', 'preferred_username'] })
  claims_supported!: string[];

  @ApiProperty({ type: [String], example: ['client_secret_basic', 'client_secret_post', 'none'] })
  token_endpoint_auth_methods_supported!: string[];

  @ApiProperty({ example: 'http://localhost:3000/oauth/revoke', description: 'RFC 7009 token revocation' })
  revocation_endpoint!: string;

  @ApiProperty({ type: [String], example: ['client_secret_basic', 'client_secret_post', 'none'] })
  revocation_endpoint_auth_methods_supported!: string[];

  @ApiProperty({ example: 'http://localhost:3000/oauth/introspect', description: 'RFC 7662 token introspection' })
  introspection_endpoint!: string;

  @ApiProperty({ type: [String], example: ['client_secret_basic', 'client_secret_post'] })
  introspection_endpoint_auth_methods_supported!: string[];

  @ApiProperty({ type: [String], example: ['openid', 'profile', 'resource:read', 'resource:admin'] })
  scopes_supported!: string[];

  @ApiProperty({ example: 'http://localhost:3000/oauth/revocations', description: 'Ours (not an RFC 8414 member): the revocation feed verifiers poll' })
  revocation_feed_endpoint!: string;

  @ApiProperty({ type: [String], example: ['ES256', 'EdDSA', 'RS256'], description: 'RFC 9449 §5.1: the algorithms a DPoP proof may use' })
  dpop_signing_alg_values_supported!: string[];
}
