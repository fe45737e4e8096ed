import { ErrorCode, HttpMappedError } from '@app/contracts';

/**
 * Base of every error the verifier throws, each with its status and code. `clientMessage` is what
 * the client may read; `reason` (the `message`) is the precise cause for the debug log. Neither ever
 * contains the token.
 */
export abstract class JwtAuthError extends HttpMappedError {
  abstract override readonly code: ErrorCode;
  /**
   * Set on refusals of a request that used (or had to use) the `DPoP` scheme: the algorithms a proof
   * may use, so the challenge is `DPoP error=…, algs="…"` (RFC 9449 §7.1) instead of `Bearer …`.
   */
  dpopAlgorithms?: string;

  protected constructor(clientMessage: string, reason?: string) {
    // No stack: one of these is thrown per refused request, the filter logs `reason`, never a stack,
    // and capturing it cost more than the signature check (docs/performance.md, "Forged tokens").
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(clientMessage, reason);
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/** No bearer token in the request. */
export class TokenMissingError extends JwtAuthError {
  readonly status = 401;
  readonly code = ErrorCode.TokenMissing;

  constructor() {
    super('Authentication required', 'no bearer token in the request');
  }
}

/** Malformed, forged, wrongly typed or otherwise unacceptable token. */
export class TokenInvalidError extends JwtAuthError {
  readonly status = 401;
  readonly code = ErrorCode.TokenInvalid;

  constructor(reason: string) {
    super('The access token is invalid', reason);
  }
}

/** A well-formed, correctly signed token whose `exp` (plus the clock tolerance) has passed. */
export class TokenExpiredError extends JwtAuthError {
  readonly status = 401;
  readonly code = ErrorCode.TokenExpired;

  constructor(reason = 'the token has expired') {
    super('The access token has expired', reason);
  }
}

/** A valid token that does not grant every scope the route requires. */
export class InsufficientScopeError extends JwtAuthError {
  readonly status = 403;
  readonly code = ErrorCode.InsufficientScope;

  constructor(readonly requiredScopes: readonly string[]) {
    super('The access token does not grant the required scope', `required scopes: ${requiredScopes.join(' ')}`);
  }
}

/** The key set could not be consulted and the token's key is not known from an earlier fetch. */
export class JwksUnreachableError extends JwtAuthError {
  readonly status = 503;
  readonly code = ErrorCode.JwksUnreachable;

  constructor(reason: string) {
    super('The signing keys cannot be fetched right now; try again later', reason);
  }
}

/**
 * A token for the next service could not be had (`DownstreamTokens`): the issuer refused the request
 * (502: a registration to fix, e.g. `invalid_target` for an audience the client may not ask for, or
 * `invalid_client`), or could not be reached or answered unreadably (503: retry later). `issuerError`
 * is the RFC 6749 `error` the issuer answered, if any. Never holds a token or the secret.
 */
export class DownstreamTokenError extends JwtAuthError {
  readonly status: 502 | 503;
  readonly code = ErrorCode.DownstreamToken;
  override readonly logLevel = 'warn';

  constructor(
    reason: string,
    readonly issuerError?: string,
  ) {
    super('A token for the next service could not be obtained', reason);
    this.status = issuerError === undefined ? 503 : 502;
  }
}

/** The module was given options it cannot work with; thrown at start, never per request. */
export class JwtAuthOptionsError extends Error {
  constructor(option: string, problem: string) {
    super(`JwtAuthModule option "${option}" ${problem}`);
    this.name = 'JwtAuthOptionsError';
  }
}
