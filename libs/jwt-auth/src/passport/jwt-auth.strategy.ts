import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import passport from 'passport';
import type { AuthenticatedCaller } from '@app/contracts';
import { BearerAuthenticator, type BearerRequest } from '../bearer/bearer-authenticator.js';
import { JWT_AUTH_STRATEGY } from '../jwt-auth.constants.js';
import { JwtAuthError, TokenInvalidError } from '../jwt-auth.errors.js';

/** What passport gives a strategy for the one attempt it runs (`passport-strategy`'s augmented methods). */
interface PassportAttempt {
  success(user: unknown, info?: unknown): void;
  fail(challenge: unknown, status?: number): void;
  error(error: Error): void;
}

/** passport's strategy base class, typed by what the strategy below calls (no `@types/passport-strategy` needed downstream). */
const PassportStrategyBase = passport.Strategy as unknown as new () => PassportAttempt;

/** A verify callback in passport's convention: hand over the caller, get told the outcome. */
export type VerifyCallback = (caller: AuthenticatedCaller, done: (error: unknown, user?: unknown, info?: unknown) => void) => void;

/**
 * A passport strategy whose `authenticate` is the package's own path (`BearerAuthenticator`: bearer
 * token, `TokenVerifier`, revocation check), then the verify callback. A refusal (any 401 of the
 * verifier: no token, an invalid, forged, expired or revoked one) is passport's `fail(error, 401)`,
 * so a composed guard (`AuthGuard(['jwt', 'api-key'])`) goes on to the next strategy; an unreachable
 * key set or a stale revocation feed (503) and any fault are `error`, which ends the attempt.
 */
class BearerStrategy extends PassportStrategyBase {
  constructor(
    private readonly authenticator: BearerAuthenticator,
    private readonly verify: VerifyCallback,
  ) {
    super();
  }

  authenticate(request: BearerRequest): void {
    this.authenticator.authenticate(request).then(
      (caller) =>
        this.verify(caller, (error, user, info) => {
          if (error) this.error(asError(error));
          else if (user) this.success(user, info);
          else this.fail(info ?? new TokenInvalidError('refused by validate()'), 401);
        }),
      (error: unknown) => {
        if (error instanceof JwtAuthError && error.status === 401) this.fail(error, 401);
        else this.error(asError(error));
      },
    );
  }
}

/**
 * The package's passport strategy, registered with passport as `jwt` (`JWT_AUTH_STRATEGY`) when it is
 * instantiated: list it in the providers of a module that imports `JwtAuthModule`, then guard routes
 * with `AuthGuard('jwt')` or a composition such as `AuthGuard(['jwt', 'api-key'])` from
 * `@nestjs/passport`. It verifies exactly as `JwtAuthGuard` does (the same `BearerAuthenticator`);
 * `JwtAuthGuard` itself does not go through passport. Passport keeps one global registry: the last
 * strategy registered as `jwt` in the process is the one used.
 */
@Injectable()
export class JwtAuthStrategy extends PassportStrategy(BearerStrategy, JWT_AUTH_STRATEGY) {
  // oxlint-disable-next-line no-useless-constructor -- Nest injects by this constructor's parameter types; the mixin's has none
  constructor(authenticator: BearerAuthenticator) {
    super(authenticator);
  }

  /** The caller is fully built by `TokenVerifier`; override to enrich it (return a falsy value to refuse). */
  validate(caller: AuthenticatedCaller): AuthenticatedCaller {
    return caller;
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
