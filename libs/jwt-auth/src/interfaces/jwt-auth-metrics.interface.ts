/**
 * How a protected request's bearer token fared, one bounded label value per case (never the token,
 * the user or the reason text). `invalid` is a refusal no more specific case describes.
 */
export type VerificationOutcome =
  | 'ok'
  | 'missing'
  | 'expired'
  | 'not_yet_valid'
  | 'invalid_signature'
  | 'unknown_kid'
  | 'wrong_audience'
  | 'wrong_issuer'
  | 'wrong_type'
  | 'alg_not_allowed'
  | 'alg_mismatch'
  | 'forbidden_header'
  | 'malformed'
  | 'invalid_claims'
  | 'invalid'
  | 'insufficient_scope'
  | 'invalid_dpop_proof'
  | 'use_dpop_nonce'
  | 'replay_store_unavailable'
  | 'revoked'
  | 'revocation_unavailable'
  | 'jwks_unavailable'
  | 'error';

export type JwksFetchResult = 'ok' | 'error';

/** One poll of the revocation feed: new entries read, nothing new (304), or unreadable (the last list kept). */
export type RevocationFeedResult = 'ok' | 'not_modified' | 'error';

/**
 * The optional metrics hook of `JwtAuthModule` (option `metrics`). The library counts nothing
 * itself and imports no metrics client; `VerifierMetrics` of @app/observability fits this shape.
 */
export interface JwtAuthMetrics {
  verification(outcome: VerificationOutcome): void;
  jwksFetch(result: JwksFetchResult): void;
  /** After each poll of the revocation feed: its result, and how old the list in force now is (0 after a good read). */
  revocationFeed?(result: RevocationFeedResult, ageSeconds: number): void;
}
