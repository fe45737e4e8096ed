import { ApiBadRequestResponse } from '@nestjs/swagger';
import { InvalidRefreshTokenError } from '../oauth/grant-errors.js';

/** The one 400 of `/auth/refresh` and `/auth/logout` (RFC 6749 5.2's `invalid_grant`), documented from the error itself. */
export function ApiInvalidRefreshToken(): MethodDecorator & ClassDecorator {
  const error = new InvalidRefreshTokenError('example');
  return ApiBadRequestResponse({
    description: 'invalid_grant (RFC 6749 5.2): the refresh token is unknown, expired, revoked or already used; log in again',
    schema: { example: { statusCode: error.status, error: error.oauthError, code: error.code, message: error.clientMessage } },
  });
}
