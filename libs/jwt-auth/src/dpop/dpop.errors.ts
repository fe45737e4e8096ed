import { ErrorCode } from '@app/contracts';
import { JwtAuthError } from '../jwt-auth.errors.js';

/**
 * A DPoP proof (RFC 9449) that is missing where one is needed, malformed, or does not match the
 * request, its key or the access token: `invalid_dpop_proof`. 401 at a resource server (with
 * `WWW-Authenticate: DPoP error="invalid_dpop_proof", algs="…"`); the auth-service's token endpoint
 * answers it as 400 in RFC 6749 §5.2's shape (every `/oauth/*` error but `invalid_client` is a 400).
 * `clientMessage` names the rule that failed; nothing of the proof or the token is echoed.
 */
export class InvalidDpopProofError extends JwtAuthError {
  readonly status = 401;
  readonly code = ErrorCode.DpopProofInvalid;
  override readonly oauthError = 'invalid_dpop_proof';

  constructor(problem: string, reason: string = problem) {
    super(`Invalid DPoP proof: ${problem}`, `invalid DPoP proof: ${reason}`);
  }
}

/**
 * RFC 9449 §8 and §9: the server wants a proof carrying its nonce. The answer carries the nonce to
 * use in `DPoP-Nonce` (400 `use_dpop_nonce` at the token endpoint, 401 at a resource server).
 */
export class UseDpopNonceError extends JwtAuthError {
  readonly status = 401;
  readonly code = ErrorCode.DpopNonceRequired;
  override readonly oauthError = 'use_dpop_nonce';
  override readonly headers: Readonly<Record<string, string>>;

  constructor(nonce: string, reason: string) {
    super('The DPoP proof must carry the nonce this server sent in DPoP-Nonce', `DPoP nonce: ${reason}`);
    this.headers = { 'dpop-nonce': nonce };
  }
}

/**
 * The replay store could not record a proof's `jti` (Redis down, closed, or slower than its timeout):
 * the proof is refused, fail closed, 503 with no challenge (the proof was not found bad; retry with a
 * new one later). `reason` names the store's failure for the warn log; the answer says nothing of it.
 */
export class DpopReplayStoreUnavailableError extends JwtAuthError {
  readonly status = 503;
  readonly code = ErrorCode.ServiceUnavailable;
  override readonly logLevel = 'warn';

  constructor(reason: string) {
    super('DPoP proofs cannot be checked right now; try again later', `DPoP replay store: ${reason}`);
  }
}
