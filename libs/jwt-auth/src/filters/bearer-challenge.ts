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
 * refusal of a request that used (or had to use) DPoP is challenged in the `DPoP` scheme with the
 * accepted `algs`; every other one in the `Bearer` scheme.
 */
export function bearerChallenge(exception: unknown, status: number): string | undefined {
  if (!(exception instanceof JwtAuthError)) return status === 401 ? 'Bearer' : undefined;
  const scheme = exception.dpopAlgorithms === undefined ? 'Bearer' : 'DPoP';
  const algs = exception.dpopAlgorithms === undefined ? '' : `algs="${exception.dpopAlgorithms}"`;
  if (exception.code === ErrorCode.TokenMissing) return algs === '' ? scheme : `${scheme} ${algs}`;
  if (exception.code === ErrorCode.InsufficientScope) {
    const scope = (exception as InsufficientScopeError).requiredScopes.join(' ').replace(/["\\]/g, '');
    return `Bearer error="insufficient_scope", scope="${scope}"`;
  }
  const error = CHALLENGE_ERROR[exception.code];
  if (error === undefined) return undefined;
  // RFC 6750 §3: error_description holds no `"` or `\`.
  const description = exception.clientMessage.replace(/["\\]/g, '');
  return `${scheme} error="${error}", error_description="${description}"${algs === '' ? '' : `, ${algs}`}`;
}
