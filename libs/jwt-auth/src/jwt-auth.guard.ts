import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { AuthenticatedCaller } from '@app/contracts';
import type { JwtAuthMetrics } from './interfaces/jwt-auth-metrics.interface.js';
import { IS_PUBLIC_KEY, JWT_AUTH_METRICS, JWT_AUTH_STRATEGY, REQUIRED_SCOPES_KEY } from './jwt-auth.constants.js';
import { InsufficientScopeError, JwtAuthError, TokenMissingError } from './jwt-auth.errors.js';
import { verificationOutcomeOf } from './metrics/verification-outcome.js';
import type { BearerOutcome, BearerRequest } from './passport/jose-bearer.strategy.js';
import { isPromise } from './verification/maybe-promise.js';
import { JwtAuthStrategy } from './passport/jwt-auth.strategy.js';

interface RouteRules {
  isPublic: boolean;
  /** Every scope listed on the handler and its controller, without repeats. */
  scopes: readonly string[];
}

/**
 * Authenticates every route unless it is `@Public()`, then enforces `@RequireScopes()` (every scope
 * listed on the handler and its controller). Register it globally with APP_GUARD. Each decision on
 * a protected route is reported to the `metrics` hook as one outcome.
 *
 * It runs the registered passport strategy's own check (`JwtAuthStrategy.check`: bearer extraction,
 * TokenVerifier, the `validate()` hook) and awaits it directly instead of going through
 * `passport.authenticate`, whose per-request wrapping (a strategy object, closures and five methods
 * added to every request) cost more than a cached verification; see docs/performance.md. The outcome
 * still goes through `handleRequest`, and `AuthGuard('jwt-auth')` keeps working through passport.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard(JWT_AUTH_STRATEGY) {
  constructor(
    private readonly reflector: Reflector,
    @Inject(JWT_AUTH_METRICS) private readonly metrics: JwtAuthMetrics,
    private readonly strategy: JwtAuthStrategy,
  ) {
    super();
  }

  /** `@Public()` and `@RequireScopes()` of each controller and handler, read once: decorators ran at load. */
  private readonly rules = new WeakMap<object, WeakMap<object, RouteRules>>();

  /** Synchronous for `@Public()` routes and whenever the check is (a cached token, a known key): no promise for Nest to await. */
  override canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const rules = this.rulesOf(context);
    if (rules.isPublic) return true;

    const request = this.getRequest(context) as BearerRequest & { user?: AuthenticatedCaller };
    const checked = this.strategy.check(request);
    return isPromise(checked) ? checked.then((result) => this.decide(result, request, rules, context)) : this.decide(checked, request, rules, context);
  }

  /** The outcome through `handleRequest`, then the scopes; each decision is reported to the metrics hook. */
  private decide(result: BearerOutcome, request: BearerRequest & { user?: AuthenticatedCaller }, rules: RouteRules, context: ExecutionContext): boolean {
    let user: AuthenticatedCaller;
    try {
      user =
        result.outcome === 'success'
          ? this.handleRequest<AuthenticatedCaller>(null, result.user, result.info, context)
          : result.outcome === 'fail'
            ? this.handleRequest<AuthenticatedCaller>(null, false, result.challenge, context)
            : this.handleRequest<AuthenticatedCaller>(result.error, false, undefined, context);
    } catch (error: unknown) {
      this.metrics.verification(verificationOutcomeOf(error));
      throw error;
    }
    request.user = user;

    const needed = rules.scopes;
    if (needed.length > 0 && !needed.every((scope) => user.scopes.includes(scope))) {
      this.metrics.verification('insufficient_scope');
      throw new InsufficientScopeError(needed);
    }
    this.metrics.verification('ok');
    return true;
  }

  private rulesOf(context: ExecutionContext): RouteRules {
    const handler = context.getHandler();
    const controller = context.getClass();
    let ofController = this.rules.get(controller);
    if (ofController === undefined) this.rules.set(controller, (ofController = new WeakMap()));
    let rules = ofController.get(handler);
    if (rules === undefined) {
      const targets = [handler, controller];
      rules = {
        isPublic: this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets) === true,
        scopes: [...new Set(this.reflector.getAllAndMerge<string[]>(REQUIRED_SCOPES_KEY, targets) ?? [])],
      };
      ofController.set(handler, rules);
    }
    return rules;
  }

  /** A refused token comes as `info`; rethrow it as the typed error the filter maps. */
  override handleRequest<TUser = AuthenticatedCaller>(error: unknown, user: unknown, info: unknown, _context?: ExecutionContext): TUser {
    if (error) throw error;
    if (!user) throw info instanceof JwtAuthError ? info : new TokenMissingError();
    return user as TUser;
  }
}
