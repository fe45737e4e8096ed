import { ErrorCode, HttpMappedError, IssuerErrorCode } from '@app/contracts';

/**
 * Unknown user, wrong password and disabled user alike: one error, so no answer tells them apart.
 * 401 `ERR_INVALID_CREDENTIALS` at `/auth/login`; `invalid_grant` (400) under `/oauth/`.
 */
export class InvalidCredentialsError extends HttpMappedError {
  readonly status = 401;
  readonly code = ErrorCode.InvalidCredentials;

  constructor() {
    super('Invalid username or password', 'invalid username or password');
  }
}

/**
 * RFC 6749 5.2: one answer for every refresh token that cannot be used, whatever the reason (unknown,
 * expired, revoked, reused, another client's): `reason` says which, for the logs only.
 */
export class InvalidRefreshTokenError extends HttpMappedError {
  readonly status = 400;
  readonly code = IssuerErrorCode.InvalidGrant;
  override readonly oauthError = 'invalid_grant';
  /** `/auth/refresh` and `/auth/logout` answer `error: invalid_grant` too, as they always have. */
  override readonly title = 'invalid_grant';

  constructor(reason: string) {
    super('The refresh token is invalid, expired or revoked; log in again', `refresh token refused: ${reason}`);
  }
}
