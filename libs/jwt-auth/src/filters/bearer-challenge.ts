import { ErrorCode, type ErrorMappingOptions } from '@app/contracts';
import { InsufficientScopeError, JwtAuthError } from '../jwt-auth.errors.js';

/** A bare 401 or 403 of a protected route is about the token (contracts have no generic Forbidden code). */
export const VERIFIER_ERROR_MAPPING: ErrorMappingOptions = {
  codeOfStatus: { 401: ErrorCode.TokenInvalid, 403: ErrorCode.InsufficientScope },
};

/** RFC 6750 section 3: the `WWW-Authenticate` challenge of a refusal, if it has one. */
export function bearerChallenge(exception: unknown, status: number): string | undefined {
  if (!(exception instanceof JwtAuthError)) return status === 401 ? 'Bearer' : undefined;
  switch (exception.code) {
    case ErrorCode.TokenMissing:
      return 'Bearer';
    case ErrorCode.TokenInvalid:
    case ErrorCode.TokenExpired:
      return `Bearer error="invalid_token", error_description="${exception.clientMessage}"`;
    case ErrorCode.InsufficientScope: {
      const scope = (exception as InsufficientScopeError).requiredScopes.join(' ').replace(/["\\]/g, '');
      return `Bearer error="insufficient_scope", scope="${scope}"`;
    }
    default:
      return undefined;
  }
}
