import { Public } from '@app/jwt-auth';
import { METRICS_REGISTRY } from '@app/observability';
import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Registry } from 'prom-client';

/** Prometheus scrape endpoint (text exposition format), without a token. Off with METRICS=false. */
@Public()
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Prometheus metrics (process, HTTP, verifications, JWKS fetches); see docs/operations.md' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format', schema: { type: 'string', example: 'jwt_verifications_total{outcome="ok"} 42' } })
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
