import type { JwsAlgorithm } from './algorithms.js';

/** Public members of a JWK as published in the JWKS (never `d`, `p`, `q`, `dp`, `dq`, `qi`). */
export interface PublicJwk {
  kty: 'RSA' | 'EC' | 'OKP';
  kid: string;
  alg: JwsAlgorithm;
  use: 'sig';
  n?: string;
  e?: string;
  crv?: string;
  x?: string;
  y?: string;
}

export interface JwksDocument {
  keys: PublicJwk[];
}

/**
 * The authorization server metadata (RFC 8414), served at `/.well-known/oauth-authorization-server`
 * and `/.well-known/openid-configuration` alike; every member is something that works (docs/oauth.md).
 */
export interface DiscoveryDocument {
  issuer: string;
  jwks_uri: string;
  token_endpoint: string;
  grant_types_supported: string[];
  /** Empty: there is no authorization endpoint, so no response type (RFC 8414 makes the member REQUIRED). */
  response_types_supported: string[];
  token_endpoint_auth_methods_supported: string[];
  /** RFC 7009 token revocation. */
  revocation_endpoint: string;
  revocation_endpoint_auth_methods_supported: string[];
  /** RFC 7662 token introspection. */
  introspection_endpoint: string;
  introspection_endpoint_auth_methods_supported: string[];
  scopes_supported: string[];
  /** Ours, not registered with IANA: the revocation feed verifiers poll (docs/revocation.md). */
  revocation_feed_endpoint: string;
  /** RFC 9449 §5.1: the algorithms a DPoP proof may use. */
  dpop_signing_alg_values_supported: string[];
}
