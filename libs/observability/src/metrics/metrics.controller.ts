import { applyDecorators, Controller, Get, Header, Inject, type Type } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Registry } from 'prom-client';
import { METRICS_REGISTRY } from './metrics-registry.js';

/** How a service documents its `/metrics`, and the decorators it adds (the resource's `@Public()`). */
export interface MetricsControllerOptions {
  /** The OpenAPI summary: which metrics this service has. */
  summary: string;
  /** One sample line of the exposition, for the OpenAPI example. */
  example: string;
  decorators?: ClassDecorator[];
}

/**
 * The Prometheus scrape endpoint, `GET /metrics` (text exposition format, never cached), as a
 * controller class of its own for each service: each one documents its metrics and adds its own
 * decorators without touching the other's.
 */
export function createMetricsController(options: MetricsControllerOptions): Type {
  @applyDecorators(...(options.decorators ?? []), ApiTags('operations'), Controller('metrics'))
  class MetricsController {
    constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

    @Get()
    @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
    @Header('Cache-Control', 'no-store')
    @ApiOperation({ summary: `${options.summary}; see docs/operations.md` })
    @ApiProduces('text/plain')
    @ApiOkResponse({ description: 'Prometheus text exposition format', schema: { type: 'string', example: options.example } })
    scrape(): Promise<string> {
      return this.registry.metrics();
    }
  }
  return MetricsController;
}
