import type { HealthCheckResult, HealthIndicatorFunction, HealthIndicatorService } from '@nestjs/terminus';
import { applyDecorators, ServiceUnavailableException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiOkResponse, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import type { ShutdownState } from '../shutdown/shutdown-state.js';

/** The readiness check `shutdown`: down from the moment a shutdown begins. */
export function shutdownIndicator(indicators: HealthIndicatorService, state: ShutdownState): HealthIndicatorFunction {
  return () => {
    const session = indicators.check('shutdown');
    return state.draining ? session.down({ message: 'shutting down' }) : session.up();
  };
}

const CHECKS = { type: 'object', additionalProperties: { type: 'object', properties: { status: { type: 'string', enum: ['up', 'down'] } } } };

/** The terminus answer of /health/live and /health/ready, 200 and 503. */
export function ApiHealthResponses(): MethodDecorator & ClassDecorator {
  const schema = (status: string, example: object) => ({
    type: 'object',
    properties: { status: { type: 'string', example: status }, info: CHECKS, error: CHECKS, details: CHECKS },
    example,
  });
  return applyDecorators(
    ApiOkResponse({
      description: 'Every check is up',
      schema: schema('ok', { status: 'ok', info: { shutdown: { status: 'up' } }, error: {}, details: { shutdown: { status: 'up' } } }),
    }),
    ApiServiceUnavailableResponse({
      description: 'A check is down; `error` names it',
      schema: schema('error', {
        status: 'error',
        info: {},
        error: { shutdown: { status: 'down', message: 'shutting down' } },
        details: { shutdown: { status: 'down', message: 'shutting down' } },
      }),
    }),
  );
}

/** Turns terminus's 503 into an answer that names the failing check, past the services' error filters. */
export async function answerHealth(reply: FastifyReply, check: () => Promise<HealthCheckResult>): Promise<unknown> {
  try {
    return await check();
  } catch (error) {
    if (!(error instanceof ServiceUnavailableException)) throw error;
    reply.code(503).header('cache-control', 'no-store');
    return error.getResponse();
  }
}
