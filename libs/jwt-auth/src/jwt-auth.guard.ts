import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthenticatedCaller } from '@app/contracts';
import { BearerAuthenticator, type BearerRequest } from './bearer/bearer-authenticator.js';
import type { JwtAuthMetrics } from './interfaces/jwt-auth-metrics.interface.js';
import { IS_PUBLIC_KEY, JWT_AUTH_METRICS, REQUIRED_SCOPES_KEY } from './jwt-auth.constants.js';
import { InsufficientScopeError } from './jwt-auth.errors.js';
import { verificationOutcomeOf } from './metrics/verification-outcome.js';

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
 * A plain Nest guard over `BearerAuthenticator` (bearer token, `TokenVerifier`, revocation check):
 * it does not go through passport, whose per-request wrapping costs more than a cached verification
 * (docs/performance.md, "The passport question"). Teams that compose passport strategies use
 * `JwtAuthStrategy` (`AuthGuard('jwt')`), which runs the same authenticator.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(JWT_AUTH_METRICS) private readonly metrics: JwtAuthMetrics,
    private readonly authenticator: BearerAuthenticator,
  ) {}

  /** `@Public()` and `@RequireScopes()` of each controller and handler, read once: decorators ran at load. */
  private readonly rules = new WeakMap<object, WeakMap<object, RouteRules>>();

  /** `true` at once for a `@Public()` route (no promise for Nest to await), else the authentication. */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const rules = this.rulesOf(context);
    return rules.isPublic || this.authenticate(context.switchToHttp().getRequest(), rules);
  }

  /** The caller on `request.user`, then the scopes; each decision is reported to the metrics hook. */
  private async authenticate(request: BearerRequest & { user?: AuthenticatedCaller }, rules: RouteRules): Promise<boolean> {
    let caller: AuthenticatedCaller;
    try {
      caller = await this.authenticator.authenticate(request);
    } catch (error: unknown) {
      this.metrics.verification(verificationOutcomeOf(error));
      throw error;
    }
    request.user = caller;
    const needed = rules.scopes;
    if (needed.length > 0 && !needed.every((scope) => caller.scopes.includes(scope))) {
      this.metrics.verification('insufficient_scope');
      throw this.authenticator.refusalOf(caller, new InsufficientScopeError(needed));
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
}
