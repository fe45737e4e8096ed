import { answerHealth, ApiHealthResponses, ShutdownState, shutdownIndicator } from '@app/observability';
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthCheckResult, type HealthIndicatorFunction } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { DATABASE, type Database } from '../database/database.js';
import { KEY_STORE, type KeyStore } from '../keys/key-store.js';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  private readonly shutdown: HealthIndicatorFunction;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(DATABASE) private readonly db: Database,
    @Inject(KEY_STORE) private readonly keys: KeyStore,
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

  /** Ready to issue tokens: not shutting down, the database answers and a signing key is active. */
  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: not shutting down, database reachable, a signing key active' })
  @ApiHealthResponses()
  ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    return answerHealth(reply, () => this.health.check([this.shutdown, this.database, this.signingKey]));
  }

  private readonly database: HealthIndicatorFunction = async () => {
    const session = this.indicators.check('database');
    try {
      await this.db.ping();
      return session.up({ dialect: this.db.dialect });
    } catch {
      return session.down({ message: 'database unreachable' });
    }
  };

  private readonly signingKey: HealthIndicatorFunction = async () => {
    const session = this.indicators.check('signing_key');
    const key = this.keys.signingKey();
    return key ? session.up({ kid: key.kid, alg: key.alg }) : session.down({ message: 'no active signing key' });
  };
}
