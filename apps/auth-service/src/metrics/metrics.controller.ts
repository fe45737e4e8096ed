import { METRICS_REGISTRY } from '@app/observability';
import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Registry } from 'prom-client';

/** Prometheus scrape endpoint (text exposition format). Off with METRICS=false. */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Prometheus metrics (process, HTTP, logins, tokens, keys); see docs/operations.md' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format', schema: { type: 'string', example: 'auth_logins_total{outcome="success"} 3' } })
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
