import { ErrorCode, HttpMappedError } from '@app/contracts';

type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope' | 'invalid_dpop_proof';

const DESCRIPTIONS: Record<BearerErrorCode, string> = {
  invalid_request: 'send the access token as Authorization: Bearer <token>',
  invalid_token: 'the access token is invalid, expired or revoked',
  insufficient_scope: 'the access token lacks the openid scope',
  invalid_dpop_proof: 'the DPoP proof is missing or invalid',
};

/**
 * RFC 6750 3 (and RFC 9449 7.1 for DPoP): a refusal of a protected route of ours (userinfo). No code at all when no token
 * was sent (3.1: "SHOULD NOT include an error code"); 400 invalid_request, 401 invalid_token, 403 insufficient_scope.
 */
export class BearerError extends HttpMappedError {
  readonly status: number;
  readonly code: ErrorCode;
  override readonly challenge: string;
  override readonly oauthError?: string;

  /** `dpop`: the token came (or had to come) with a DPoP proof: the challenge is `DPoP` with the proof's `algs` (RFC 9449 7.1). */
  constructor(error?: BearerErrorCode, dpop?: { algs: string }) {
    const description = error ? DESCRIPTIONS[error] : 'an access token is required';
    super(description, `userinfo refused: ${error ?? 'no token'}`);
    this.status = error === 'invalid_request' ? 400 : error === 'insufficient_scope' ? 403 : 401;
    this.code = error === 'insufficient_scope' ? ErrorCode.InsufficientScope : error === 'invalid_token' ? ErrorCode.TokenInvalid : ErrorCode.TokenMissing;
    this.oauthError = error;
    const scheme = dpop ? 'DPoP' : 'Bearer';
    const algs = dpop ? `, algs="${dpop.algs}"` : '';
    this.challenge = error
      ? `${scheme} realm="oauth", error="${error}", error_description="${description}"${error === 'insufficient_scope' ? ', scope="openid"' : ''}${algs}`
      : `${scheme} realm="oauth"${algs}`;
  }
}
