import { ExtractJwt, Strategy, type JwtFromRequestFunction } from 'passport-jwt';
import type { AuthenticatedUser } from '@app/contracts';
import { JwksUnreachableError, JwtAuthError, TokenInvalidError, TokenMissingError } from '../jwt-auth.errors.js';
import type { TokenVerifier } from '../verification/token-verifier.js';

/** passport-jwt's verify callback contract: hand over the verified user, get told the outcome. */
export type VerifiedUserCallback = (
  user: AuthenticatedUser,
  done: (error: unknown, user?: AuthenticatedUser | false, info?: unknown) => void,
) => void;

/** What one authentication attempt ended in, in passport's three outcomes. */
export type BearerOutcome =
  | { outcome: 'success'; user: AuthenticatedUser; info?: unknown }
  | { outcome: 'fail'; challenge: unknown }
  | { outcome: 'error'; error: Error };

/** The request as passport-jwt's extractor reads it (node's IncomingMessage shape; fastify's request fits). */
export type BearerRequest = Parameters<Strategy['authenticate']>[0];

const fromBearerHeader: JwtFromRequestFunction = ExtractJwt.fromAuthHeaderAsBearerToken();

/**
 * passport-jwt's strategy with the verification swapped out: passport-jwt extracts the bearer token
 * and keeps its verify-callback contract, but jsonwebtoken (no EdDSA, no `typ`, no `crit`) never
 * sees the token; `TokenVerifier` (jose + jwks-rsa) does the verification instead.
 * `check` is the whole attempt; `authenticate` (passport's entry) reports its outcome to passport,
 * and `JwtAuthGuard` awaits it directly, without passport's per-request wrapping.
 */
export class JoseBearerStrategy extends Strategy {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly onVerified: VerifiedUserCallback,
  ) {
    super({ jwtFromRequest: fromBearerHeader, secretOrKeyProvider: refuseKeyLookup }, onVerified);
  }

  override authenticate(request: BearerRequest): void {
    void this.check(request).then((result) => {
      if (result.outcome === 'success') this.success(result.user, result.info);
      else if (result.outcome === 'fail') this.fail(result.challenge, 401);
      else this.error(result.error);
    });
  }

  /** Extracts and verifies the bearer token, then runs the verify callback (`validate`). Never rejects. */
  async check(request: BearerRequest): Promise<BearerOutcome> {
    const token = fromBearerHeader(request);
    if (!token) return { outcome: 'fail', challenge: new TokenMissingError() };
    let user: AuthenticatedUser;
    try {
      user = await this.verifier.verify(token);
    } catch (error: unknown) {
      if (error instanceof JwksUnreachableError || !(error instanceof JwtAuthError)) return { outcome: 'error', error: asError(error) };
      return { outcome: 'fail', challenge: error };
    }
    return new Promise((resolve) =>
      this.onVerified(user, (error, verifiedUser, info) => {
        if (error) resolve({ outcome: 'error', error: asError(error) });
        else if (!verifiedUser) resolve({ outcome: 'fail', challenge: info ?? new TokenInvalidError('refused by validate()') });
        else resolve({ outcome: 'success', user: verifiedUser, info });
      }),
    );
  }
}

/** Never called: `authenticate` above replaces passport-jwt's key lookup and jsonwebtoken check. */
function refuseKeyLookup(_request: unknown, _token: unknown, done: (error: Error) => void): void {
  done(new Error('JoseBearerStrategy does not use passport-jwt key lookup'));
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
