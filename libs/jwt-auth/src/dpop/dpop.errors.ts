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
