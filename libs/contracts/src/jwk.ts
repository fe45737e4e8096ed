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
  /** `["code"]`: the authorization code flow only (no implicit, no hybrid). */
  response_types_supported: string[];
  authorization_endpoint: string;
  userinfo_endpoint: string;
  /** OpenID RP-Initiated Logout 1.0. */
  end_session_endpoint: string;
  response_modes_supported: string[];
  code_challenge_methods_supported: string[];
  /** RFC 9207: every authorization response carries `iss`. */
  authorization_response_iss_parameter_supported: boolean;
  subject_types_supported: string[];
  id_token_signing_alg_values_supported: string[];
  claims_supported: string[];
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
