import { applyDecorators, Controller, Get, Inject, Res, type Type } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthCheckResult, type HealthIndicatorFunction } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { ShutdownState } from '../shutdown/shutdown-state.js';
import { answerHealth, ApiHealthResponses, shutdownIndicator } from './health-answers.js';

/** One readiness check of a service: up with the details `probe` returns, down with `down` when it throws or returns false. */
export interface ReadinessCheck {
  name: string;
  probe(): Promise<Record<string, unknown> | false> | Record<string, unknown> | false;
  down: string;
}

/** The provider each service gives its health controller: its own readiness checks. */
export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

/** How a service documents its readiness, and the decorators it adds (the resource's `@Public()`). */
export interface HealthControllerOptions {
  /** The OpenAPI summary of `/health/ready`: what "ready" means for this service. */
  readySummary: string;
  decorators?: ClassDecorator[];
}

/**
 * `GET /health/live` (the process serves HTTP) and `GET /health/ready` (not shutting down, and every
 * check of `READINESS_CHECKS` up; a 503 names the failing one), as a controller class of its own for
 * each service, like `createMetricsController`.
 */
export function createHealthController(options: HealthControllerOptions): Type {
  @applyDecorators(...(options.decorators ?? []), ApiTags('operations'), Controller('health'))
  class HealthController {
    private readonly checks: HealthIndicatorFunction[];

    constructor(
      private readonly health: HealthCheckService,
      indicators: HealthIndicatorService,
      state: ShutdownState,
      @Inject(READINESS_CHECKS) readiness: ReadinessCheck[],
    ) {
      this.checks = [
        shutdownIndicator(indicators, state),
        ...readiness.map((check): HealthIndicatorFunction => async () => {
          const session = indicators.check(check.name);
          try {
            const details = await check.probe();
            if (details !== false) return session.up(details);
          } catch {
            // The check's own `down` message says what failed; its error may carry internals.
          }
          return session.down({ message: check.down });
        }),
      ];
    }

    @Get('live')
    @HealthCheck()
    @ApiOperation({ summary: 'Liveness: the process serves HTTP' })
    @ApiHealthResponses()
    live(): Promise<HealthCheckResult> {
      return this.health.check([]);
    }

    @Get('ready')
    @HealthCheck()
    @ApiOperation({ summary: options.readySummary })
    @ApiHealthResponses()
    ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
      return answerHealth(reply, () => this.health.check(this.checks));
    }
  }
  return HealthController;
}
