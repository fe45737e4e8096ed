import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { AuthenticatedUser } from '@app/contracts';
import type { JwtAuthMetrics } from './interfaces/jwt-auth-metrics.interface.js';
import { IS_PUBLIC_KEY, JWT_AUTH_METRICS, JWT_AUTH_STRATEGY, REQUIRED_SCOPES_KEY } from './jwt-auth.constants.js';
import { InsufficientScopeError, JwtAuthError, TokenMissingError } from './jwt-auth.errors.js';
import { verificationOutcomeOf } from './metrics/verification-outcome.js';

/**
 * Authenticates every route unless it is `@Public()`, then enforces `@RequireScopes()` (every scope
 * listed on the handler and its controller). Register it globally with APP_GUARD. Each decision on
 * a protected route is reported to the `metrics` hook as one outcome.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard(JWT_AUTH_STRATEGY) {
  constructor(
    private readonly reflector: Reflector,
    @Inject(JWT_AUTH_METRICS) private readonly metrics: JwtAuthMetrics,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;

    try {
      await super.canActivate(context);
    } catch (error: unknown) {
      this.metrics.verification(verificationOutcomeOf(error));
      throw error;
    }
    const required = this.reflector.getAllAndMerge<string[]>(REQUIRED_SCOPES_KEY, targets) ?? [];
    const { user } = context.switchToHttp().getRequest<{ user: AuthenticatedUser }>();
    const needed = [...new Set(required)];
    if (!needed.every((scope) => user.scopes.includes(scope))) {
      this.metrics.verification('insufficient_scope');
      throw new InsufficientScopeError(needed);
    }
    this.metrics.verification('ok');
    return true;
  }

  /** Passport reports a refused token as `info`; rethrow it as the typed error the filter maps. */
  override handleRequest<TUser = AuthenticatedUser>(error: unknown, user: unknown, info: unknown): TUser {
    if (error) throw error;
    if (!user) throw info instanceof JwtAuthError ? info : new TokenMissingError();
    return user as TUser;
  }
}
