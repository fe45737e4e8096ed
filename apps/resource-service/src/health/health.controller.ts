import { JwksStatus, Public } from '@app/jwt-auth';
import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthCheckResult, type HealthIndicatorFunction } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';

@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly jwks: JwksStatus,
  ) {}

  /** The process is up and serving HTTP. */
  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /** Ready to verify: the JWKS has been read at least once, or answers now. */
  @Get('ready')
  @HealthCheck()
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    try {
      return await this.health.check([this.jwksIndicator]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      reply.code(503).header('cache-control', 'no-store');
      return error.getResponse();
    }
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
