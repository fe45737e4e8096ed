import { ErrorCode, HttpMappedError, IssuerErrorCode } from '@app/contracts';

/** The realm of the Basic challenge on `invalid_client`. */
const BASIC_CHALLENGE = 'Basic realm="oauth", charset="UTF-8"';

/** The error codes of RFC 6749 5.2, and RFC 8707's `invalid_target`. */
export type OAuthErrorCode =
  'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type' | 'invalid_scope' | 'invalid_target';

const CODE_OF: Record<OAuthErrorCode, ErrorCode | IssuerErrorCode> = {
  invalid_request: ErrorCode.Validation,
  invalid_client: IssuerErrorCode.InvalidClient,
  invalid_grant: IssuerErrorCode.InvalidGrant,
  unauthorized_client: IssuerErrorCode.UnauthorizedClient,
  unsupported_grant_type: IssuerErrorCode.UnsupportedGrantType,
  invalid_scope: IssuerErrorCode.InvalidScope,
  invalid_target: IssuerErrorCode.InvalidTarget,
};

/**
 * A refusal of the `/oauth/*` routes: an `HttpMappedError` (docs/architecture.md, "Errors") whose
 * `oauthError` the OAuth filter answers exactly as RFC 6749 5.2 `{error, error_description}`: 400,
 * except `invalid_client` (401; with `WWW-Authenticate: Basic` when the client used Basic). The
 * description is for the developer and never holds a secret or a token.
 */
export class OAuthError extends HttpMappedError {
  readonly status: number;
  readonly code: ErrorCode | IssuerErrorCode;
  override readonly oauthError: OAuthErrorCode;

  override readonly challenge: string | undefined;

  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    basicChallenge = false,
  ) {
    super(description, `${error}: ${description}`);
    this.oauthError = error;
    this.code = CODE_OF[error];
    this.status = error === 'invalid_client' ? 401 : 400;
    this.challenge = basicChallenge ? BASIC_CHALLENGE : undefined;
  }
}

export const invalidRequest = (description: string) => new OAuthError('invalid_request', description);
export const invalidClient = (basic: boolean) => new OAuthError('invalid_client', 'client authentication failed', basic);
export const invalidScope = (description: string) => new OAuthError('invalid_scope', description);
