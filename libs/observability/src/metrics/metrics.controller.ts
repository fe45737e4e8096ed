import { applyDecorators, Controller, Get, Header, Headers, Inject, Res, type Type, UnauthorizedException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorCode } from '@app/contracts';
import type { FastifyReply } from 'fastify';
import type { Registry } from 'prom-client';
import { OBSERVABILITY_OPTIONS, type ObservabilityModuleOptions } from '../observability.options.js';
import { bearerMatches } from './metrics-token.js';
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
 * decorators without touching the other's. With METRICS_TOKEN set, a scrape without
 * `Authorization: Bearer <METRICS_TOKEN>` gets a 401 (docs/operations.md "Protecting /metrics").
 */
export function createMetricsController(options: MetricsControllerOptions): Type {
  @applyDecorators(...(options.decorators ?? []), ApiTags('operations'), Controller('metrics'))
  class MetricsController {
    private readonly token: string | undefined;

    constructor(
      @Inject(METRICS_REGISTRY) private readonly registry: Registry,
      @Inject(OBSERVABILITY_OPTIONS) observability: ObservabilityModuleOptions,
    ) {
      this.token = observability.config.metricsToken;
    }

    @Get()
    @Header('Cache-Control', 'no-store')
    @ApiOperation({ summary: `${options.summary}; see docs/operations.md` })
    @ApiProduces('text/plain')
    @ApiOkResponse({ description: 'Prometheus text exposition format', schema: { type: 'string', example: options.example } })
    @ApiUnauthorizedResponse({ description: 'METRICS_TOKEN is set and the request does not carry it as a bearer token' })
    scrape(@Headers('authorization') authorization: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
      if (this.token !== undefined && !bearerMatches(authorization, this.token)) {
        reply.header('WWW-Authenticate', 'Bearer realm="metrics"');
        throw new UnauthorizedException({ error: 'Unauthorized', code: ErrorCode.TokenInvalid, message: 'A valid metrics token is required' });
      }
      // Here, not in a @Header decorator: that one is set before the handler runs, and the 401 above is JSON.
      reply.header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8');
      return this.registry.metrics();
    }
  }
  return MetricsController;
}
