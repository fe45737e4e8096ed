/** Stable error codes: libraries throw them, one filter per service maps them to HTTP. */
export const ErrorCode = {
  Validation: 'ERR_VALIDATION',
  InvalidCredentials: 'ERR_INVALID_CREDENTIALS',
  TokenMissing: 'ERR_TOKEN_MISSING',
  TokenInvalid: 'ERR_TOKEN_INVALID',
  TokenExpired: 'ERR_TOKEN_EXPIRED',
  InsufficientScope: 'ERR_INSUFFICIENT_SCOPE',
  JwksUnreachable: 'ERR_JWKS_UNREACHABLE',
  ServiceUnavailable: 'ERR_SERVICE_UNAVAILABLE',
  NotFound: 'ERR_NOT_FOUND',
  PayloadTooLarge: 'ERR_PAYLOAD_TOO_LARGE',
  Internal: 'ERR_INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The body of every error answer of both services. */
export interface ErrorResponse {
  statusCode: number;
  error: string;
  code: ErrorCode;
  message: string | string[];
}
