import { ErrorCode, type ErrorMappingOptions } from '@app/contracts';
import { InsufficientScopeError, JwtAuthError } from '../jwt-auth.errors.js';

/** A bare 401 or 403 of a protected route is about the token (contracts have no generic Forbidden code). */
export const VERIFIER_ERROR_MAPPING: ErrorMappingOptions = {
  codeOfStatus: { 401: ErrorCode.TokenInvalid, 403: ErrorCode.InsufficientScope },
};

/** The `error` of each refusal's challenge (RFC 6750 §3.1, RFC 9449 §7.1). */
const CHALLENGE_ERROR: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.TokenInvalid]: 'invalid_token',
  [ErrorCode.TokenExpired]: 'invalid_token',
  [ErrorCode.DpopProofInvalid]: 'invalid_dpop_proof',
  [ErrorCode.DpopNonceRequired]: 'use_dpop_nonce',
};

/**
 * RFC 6750 §3 and RFC 9449 §7.1: the `WWW-Authenticate` challenge of a refusal, if it has one. A
 * refusal of a request that used (or had to use) DPoP, `insufficient_scope` included, is challenged
 * in the `DPoP` scheme with the accepted `algs`; every other one in the `Bearer` scheme.
 */
export function bearerChallenge(exception: unknown, status: number): string | undefined {
  if (!(exception instanceof JwtAuthError)) return status === 401 ? 'Bearer' : undefined;
  const params = challengeParams(exception);
  if (params === undefined) return undefined;
  if (exception.dpopAlgorithms === undefined) return params.length === 0 ? 'Bearer' : `Bearer ${params.join(', ')}`;
  return `DPoP ${[...params, `algs="${exception.dpopAlgorithms}"`].join(', ')}`;
}

/** The auth-params of a refusal's challenge (none for a missing token), or undefined when it has no challenge. */
function challengeParams(exception: JwtAuthError): string[] | undefined {
  if (exception.code === ErrorCode.TokenMissing) return [];
  if (exception.code === ErrorCode.InsufficientScope) {
    return ['error="insufficient_scope"', `scope="${quotable((exception as InsufficientScopeError).requiredScopes.join(' '))}"`];
  }
  const error = CHALLENGE_ERROR[exception.code];
  return error === undefined ? undefined : [`error="${error}"`, `error_description="${quotable(exception.clientMessage)}"`];
}

/** RFC 6750 §3: a quoted auth-param holds no `"` or `\`. */
function quotable(text: string): string {
  return text.replace(/["\\]/g, '');
}
