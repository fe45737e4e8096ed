import { ExtractJwt, Strategy, type JwtFromRequestFunction } from 'passport-jwt';
import type { AuthenticatedUser } from '@app/contracts';
import { JwksUnreachableError, JwtAuthError, TokenInvalidError, TokenMissingError } from '../jwt-auth.errors.js';
import type { TokenVerifier } from '../verification/token-verifier.js';

/** passport-jwt's verify callback contract: hand over the verified user, get told the outcome. */
export type VerifiedUserCallback = (
  user: AuthenticatedUser,
  done: (error: unknown, user?: AuthenticatedUser | false, info?: unknown) => void,
) => void;

const fromBearerHeader: JwtFromRequestFunction = ExtractJwt.fromAuthHeaderAsBearerToken();

/**
 * passport-jwt's strategy with the verification swapped out: passport-jwt extracts the bearer token
 * and keeps its verify-callback contract, but jsonwebtoken (no EdDSA, no `typ`, no `crit`) never
 * sees the token; `TokenVerifier` (jose + jwks-rsa) does the verification instead.
 */
export class JoseBearerStrategy extends Strategy {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly onVerified: VerifiedUserCallback,
  ) {
    super({ jwtFromRequest: fromBearerHeader, secretOrKeyProvider: refuseKeyLookup }, onVerified);
  }

  override authenticate(request: Parameters<Strategy['authenticate']>[0]): void {
    const token = fromBearerHeader(request);
    if (!token) {
      this.fail(new TokenMissingError(), 401);
      return;
    }
    this.verifier.verify(token).then(
      (user) =>
        this.onVerified(user, (error, verifiedUser, info) => {
          if (error) this.error(asError(error));
          else if (!verifiedUser) this.fail(info ?? new TokenInvalidError('refused by validate()'), 401);
          else this.success(verifiedUser, info);
        }),
      (error: unknown) => {
        if (error instanceof JwksUnreachableError || !(error instanceof JwtAuthError)) this.error(asError(error));
        else this.fail(error, 401);
      },
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
