import { JwksStatus, Public } from '@app/jwt-auth';
import { answerHealth, ApiHealthResponses, ShutdownState, shutdownIndicator } from '@app/observability';
import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthCheckResult, type HealthIndicatorFunction } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';

@Public()
@ApiTags('operations')
@Controller('health')
export class HealthController {
  private readonly shutdown: HealthIndicatorFunction;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly jwks: JwksStatus,
    state: ShutdownState,
  ) {
    this.shutdown = shutdownIndicator(indicators, state);
  }

  /** The process is up and serving HTTP. */
  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process serves HTTP' })
  @ApiHealthResponses()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /** Ready to verify: not shutting down, and the JWKS has been read at least once or answers now. */
  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: not shutting down, JWKS read at least once or reachable' })
  @ApiHealthResponses()
  ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    return answerHealth(reply, () => this.health.check([this.shutdown, this.jwksIndicator]));
  }

  private readonly jwksIndicator: HealthIndicatorFunction = async () => {
    const session = this.indicators.check('jwks');
    try {
      await this.jwks.ensureReachable();
      return session.up();
    } catch {
      return session.down({ message: 'JWKS never fetched and not reachable' });
    }
  };
}
