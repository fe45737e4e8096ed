import type { VerificationOutcome } from '../interfaces/jwt-auth-metrics.interface.js';
import { RevocationFeedStaleError } from '../revocation/revocation-feed-stale.error.js';
import { DpopReplayStoreUnavailableError, InvalidDpopProofError, UseDpopNonceError } from '../dpop/dpop.errors.js';
import { InsufficientScopeError, JwksUnreachableError, TokenExpiredError, TokenInvalidError, TokenMissingError } from '../jwt-auth.errors.js';

/**
 * `TokenInvalidError` carries its cause as `reason` text (token-header.ts, jws-signature.ts,
 * claims-set.ts, claim-times.ts, token-verifier.ts, signing-key.resolver.ts, authenticated-user.ts);
 * these patterns sort it into outcomes. The first match wins, so the specific claim checks come
 * before the generic ones. The metrics e2e test and the verifier spec send each kind of bad token and
 * pin the outcome it is counted under.
 */
const INVALID_REASONS: ReadonlyArray<readonly [RegExp, VerificationOutcome]> = [
  [/^revoked: /, 'revoked'],
  [/^signature verification failed/, 'invalid_signature'],
  [/^unexpected "aud"/, 'wrong_audience'],
  [/^unexpected "iss"/, 'wrong_issuer'],
  [/^unexpected "typ"/, 'wrong_type'],
  [/^"(nbf|iat)" is in the future/, 'not_yet_valid'],
  [/is not in the key set/, 'unknown_kid'],
  [/^header names a key source|^header carries "crit"/, 'forbidden_header'],
  [/^header alg /, 'alg_not_allowed'],
  [/ does not do /, 'alg_mismatch'],
  [/^token longer than|^not a compact JWS|^unreadable protected header|^header has no "kid"|^malformed /, 'malformed'],
  [/^missing required "|^"\w+" is not a|^lifetime exp - iat/, 'invalid_claims'],
];

/** The outcome label of a refusal the guard saw (any thrown value). */
export function verificationOutcomeOf(error: unknown): VerificationOutcome {
  if (error instanceof TokenMissingError) return 'missing';
  if (error instanceof TokenExpiredError) return 'expired';
  if (error instanceof InsufficientScopeError) return 'insufficient_scope';
  if (error instanceof JwksUnreachableError) return 'jwks_unavailable';
  if (error instanceof InvalidDpopProofError) return 'invalid_dpop_proof';
  if (error instanceof UseDpopNonceError) return 'use_dpop_nonce';
  if (error instanceof DpopReplayStoreUnavailableError) return 'replay_store_unavailable';
  if (error instanceof RevocationFeedStaleError) return 'revocation_unavailable';
  if (error instanceof TokenInvalidError) {
    return INVALID_REASONS.find(([pattern]) => pattern.test(error.reason))?.[1] ?? 'invalid';
  }
  return 'error';
}
