import { Strategy } from 'passport-jwt';
import type { AuthenticatedCaller } from '@app/contracts';
import { JwksUnreachableError, JwtAuthError, TokenInvalidError, TokenMissingError } from '../jwt-auth.errors.js';
import type { RevocationPoller } from '../revocation/revocation-poller.js';
import { RevocationFeedStaleError } from '../revocation/revocation-feed-stale.error.js';
import { isPromise, type MaybePromise } from '../verification/maybe-promise.js';
import type { TokenVerifier } from '../verification/token-verifier.js';
import { bearerToken } from './bearer-token.js';

/** passport-jwt's verify callback contract: hand over the verified user, get told the outcome. */
export type VerifiedUserCallback = (user: AuthenticatedCaller, done: (error: unknown, user?: AuthenticatedCaller | false, info?: unknown) => void) => void;

/** What one authentication attempt ended in, in passport's three outcomes. */
export type BearerOutcome =
  { outcome: 'success'; user: AuthenticatedCaller; info?: unknown } | { outcome: 'fail'; challenge: unknown } | { outcome: 'error'; error: Error };

/** The request as passport-jwt's extractor reads it: express's request and fastify's both carry `headers` (test/jwt-auth-express.e2e-spec.ts). */
export type BearerRequest = Parameters<Strategy['authenticate']>[0];

/**
 * passport-jwt's strategy with the verification swapped out: the bearer token is read as passport-jwt
 * reads it (`bearerToken`) and passport-jwt's verify-callback contract is kept, but jsonwebtoken (no
 * EdDSA, no `typ`, no `crit`) never sees the token; `TokenVerifier` (jose, keys from `SigningKeyResolver`) verifies it.
 * `check` is the whole attempt; `authenticate` (passport's entry) reports its outcome to passport,
 * and `JwtAuthGuard` awaits it directly, without passport's per-request wrapping.
 */
export class JoseBearerStrategy extends Strategy {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly revocations: RevocationPoller | undefined,
    private readonly onVerified: VerifiedUserCallback,
  ) {
    super({ jwtFromRequest: bearerToken, secretOrKeyProvider: refuseKeyLookup }, onVerified);
  }

  override authenticate(request: BearerRequest): void {
    Promise.resolve()
      .then(() => this.check(request))
      .then(
        (result) => this.settle(result),
        (error: unknown) => this.error(asError(error)),
      );
  }

  /** Hands the outcome to passport (`success`, `fail` or `error` each end the request for it). */
  private settle(result: BearerOutcome): void {
    if (result.outcome === 'success') this.success(result.user, result.info);
    else if (result.outcome === 'fail') this.fail(result.challenge, 401);
    else this.error(result.error);
  }

  /**
   * Extracts and verifies the bearer token, then runs the verify callback (`validate`). Refusals and
   * verifier errors come back as outcomes; it throws (or rejects) only on a fault outside the
   * verifier. Synchronous whenever the verifier and `validate` are (a cached token, a known key).
   */
  check(request: BearerRequest): MaybePromise<BearerOutcome> {
    const token = bearerToken(request);
    if (!token) return { outcome: 'fail', challenge: new TokenMissingError() };
    let verified: MaybePromise<AuthenticatedCaller>;
    try {
      verified = this.verifier.verify(token);
    } catch (error: unknown) {
      return refusal(error);
    }
    return isPromise(verified) ? verified.then((user) => this.accept(user), refusal) : this.accept(verified);
  }

  /** The one revocation check, after verification (a cached token included: three O(1) lookups), then `validate`. */
  private accept(user: AuthenticatedCaller): MaybePromise<BearerOutcome> {
    try {
      this.revocations?.check(user);
    } catch (error: unknown) {
      return refusal(error);
    }
    const validate = (this as { validate?: Validate }).validate;
    if (typeof validate !== 'function') return this.viaCallback(user);
    let validated: ReturnType<Validate>;
    try {
      validated = validate.call(this, user);
    } catch (error: unknown) {
      return { outcome: 'error', error: asError(error) };
    }
    return isPromise(validated)
      ? validated.then(validatedOutcome, (error: unknown) => ({ outcome: 'error', error: asError(error) }))
      : validatedOutcome(validated);
  }

  /** Without a `validate` method (the class used without Nest's PassportStrategy mixin): passport-jwt's verify callback. */
  private viaCallback(user: AuthenticatedCaller): Promise<BearerOutcome> {
    return new Promise((resolve) =>
      this.onVerified(user, (error, verifiedUser, info) => {
        if (error) resolve({ outcome: 'error', error: asError(error) });
        else if (!verifiedUser) resolve({ outcome: 'fail', challenge: info ?? new TokenInvalidError('refused by validate()') });
        else resolve({ outcome: 'success', user: verifiedUser, info });
      }),
    );
  }
}

/**
 * The `validate()` hook of a Nest strategy (PassportStrategy): called directly, as the mixin's verify
 * callback would (it awaits `validate` and hands the result to passport), without its promise when
 * `validate` is synchronous.
 */
type Validate = (user: AuthenticatedCaller) => MaybePromise<Validated>;
/** What `validate` may return: the user, `[user, info]` (passport's `done(null, user, info)`), or a falsy refusal. */
type Validated = AuthenticatedCaller | [AuthenticatedCaller | false, unknown?] | false | null | undefined;

function validatedOutcome(result: Validated): BearerOutcome {
  const [user, info] = Array.isArray(result) ? result : [result, undefined];
  return user ? { outcome: 'success', user, info } : { outcome: 'fail', challenge: info ?? new TokenInvalidError('refused by validate()') };
}

/** A verifier or revocation error as an outcome: unreachable JWKS, a stale feed and faults are errors, the rest refusals. */
function refusal(error: unknown): BearerOutcome {
  if (error instanceof JwksUnreachableError || error instanceof RevocationFeedStaleError || !(error instanceof JwtAuthError)) {
    return { outcome: 'error', error: asError(error) };
  }
  return { outcome: 'fail', challenge: error };
}

/** Never called: `authenticate` above replaces passport-jwt's key lookup and jsonwebtoken check. */
function refuseKeyLookup(_request: unknown, _token: unknown, done: (error: Error) => void): void {
  done(new Error('JoseBearerStrategy does not use passport-jwt key lookup'));
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
