/** Stable error codes: libraries throw them, one filter per service maps them to HTTP. */
export const ErrorCode = {
  Validation: 'ERR_VALIDATION',
  InvalidCredentials: 'ERR_INVALID_CREDENTIALS',
  TokenMissing: 'ERR_TOKEN_MISSING',
  TokenInvalid: 'ERR_TOKEN_INVALID',
  TokenExpired: 'ERR_TOKEN_EXPIRED',
  InsufficientScope: 'ERR_INSUFFICIENT_SCOPE',
  /** A DPoP proof (RFC 9449) missing, malformed, or not matching the request, the key or the token: `invalid_dpop_proof`. */
  DpopProofInvalid: 'ERR_DPOP_PROOF_INVALID',
  /** The server wants a DPoP proof carrying its nonce (`DPoP-Nonce` header): `use_dpop_nonce`. */
  DpopNonceRequired: 'ERR_DPOP_NONCE_REQUIRED',
  JwksUnreachable: 'ERR_JWKS_UNREACHABLE',
  /** A verifier could not get a token for the next service (token exchange or client credentials at the issuer). */
  DownstreamToken: 'ERR_DOWNSTREAM_TOKEN',
  ServiceUnavailable: 'ERR_SERVICE_UNAVAILABLE',
  NotFound: 'ERR_NOT_FOUND',
  PayloadTooLarge: 'ERR_PAYLOAD_TOO_LARGE',
  Internal: 'ERR_INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * Codes only the auth-service's session, login-throttling and registration routes answer with. Kept
 * apart from ErrorCode because verifiers map every ErrorCode to a status and never meet these.
 */
export const IssuerErrorCode = {
  /** A refresh token that is unknown, expired, revoked or already used (RFC 6749 5.2 `invalid_grant`). */
  InvalidGrant: 'ERR_INVALID_GRANT',
  /** Too many failed attempts for the account or the client address; see `Retry-After`. */
  TooManyRequests: 'ERR_TOO_MANY_REQUESTS',
  UsernameTaken: 'ERR_USERNAME_TAKEN',
  /** The `/oauth/*` refusals of RFC 6749 5.2 (and RFC 8707's `invalid_target`), answered in OAuth's shape. */
  InvalidClient: 'ERR_INVALID_CLIENT',
  UnauthorizedClient: 'ERR_UNAUTHORIZED_CLIENT',
  UnsupportedGrantType: 'ERR_UNSUPPORTED_GRANT_TYPE',
  InvalidScope: 'ERR_INVALID_SCOPE',
  InvalidTarget: 'ERR_INVALID_TARGET',
} as const;

export type IssuerErrorCode = (typeof IssuerErrorCode)[keyof typeof IssuerErrorCode];

/** The body of every error answer of both services. */
export interface ErrorResponse {
  statusCode: number;
  error: string;
  code: ErrorCode | IssuerErrorCode;
  message: string | string[];
}
