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

/** The subset of RFC 8414 / OpenID Connect Discovery metadata the auth-service publishes. */
export interface DiscoveryDocument {
  issuer: string;
  jwks_uri: string;
  token_endpoint: string;
  grant_types_supported: string[];
  response_types_supported: string[];
  token_endpoint_auth_methods_supported: string[];
  /** RFC 7009 token revocation (RFC 8414 section 2). */
  revocation_endpoint: string;
  revocation_endpoint_auth_methods_supported: string[];
  id_token_signing_alg_values_supported: JwsAlgorithm[];
  scopes_supported: string[];
}
