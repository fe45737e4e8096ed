import { ErrorCode, HttpMappedError } from '@app/contracts';

/**
 * A refusal answered with the error page, never a redirect: the client or the redirect URI is not
 * known good (RFC 6749 4.1.2.1, RFC 9700 4.1.3), or a form came without its CSRF token (403).
 */
export class PageError extends HttpMappedError {
  readonly code = ErrorCode.Validation;

  constructor(
    message: string,
    readonly status: 400 | 403 | 404 = 400,
  ) {
    super(message, `authorization page refused: ${message}`);
  }
}

/** The `error` codes an authorization response carries (RFC 6749 4.1.2.1, OpenID Connect Core 3.1.2.6, RFC 8707). */
export type AuthorizeErrorCode =
  | 'invalid_request'
  | 'unauthorized_client'
  | 'access_denied'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'server_error'
  | 'invalid_target'
  | 'login_required'
  | 'consent_required';

/** A refusal once client and redirect URI are known good: redirected back with `error` (authorize-response.ts). */
export class AuthorizeRedirectError extends Error {
  constructor(
    readonly error: AuthorizeErrorCode,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
    this.name = 'AuthorizeRedirectError';
  }
}
