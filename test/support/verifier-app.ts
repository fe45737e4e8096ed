import type { LoggerService, Type } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { DestinationStream } from 'pino';
import { JWT_AUTH_CLOCK, type JwtAuthClock } from '@app/jwt-auth';
import { createResourceApp } from '../../apps/resource-service/src/app.factory.js';
import { ResourceAppModule } from '../../apps/resource-service/src/app.module.js';
import type { Environment } from '@app/config';
import { loadResourceConfig } from '../../apps/resource-service/src/config/resource.config.js';
import { TEST_AUDIENCE, TEST_ISSUER, type JwksFixture } from './jwks-fixture.js';

export interface ResourceAppOptions {
  /** Environment on top of issuer, audience and JWKS URI pointing at the fixture. */
  env?: Environment;
  /** Extra controllers mounted next to the real ones (e.g. a scoped test route). */
  controllers?: Type[];
  /** Receives the application's log lines; silent when absent. */
  logger?: LoggerService;
  /** Receives the pino lines (JSON with LOG_FORMAT=json) instead of `logger`. */
  logStream?: DestinationStream;
  /** Replaces the verifier's clock (exp/nbf checks, verified-token cache, key confirmation). */
  clock?: JwtAuthClock;
}

/** Boots the real resource service (its app factory) against a JWKS fixture on 127.0.0.1, port 0. */
export async function startResourceApp(jwks: JwksFixture, options: ResourceAppOptions = {}): Promise<NestFastifyApplication> {
  return bootResource({ AUTH_ISSUER: TEST_ISSUER, AUTH_AUDIENCE: TEST_AUDIENCE, JWKS_URI: jwks.uri, ...options.env }, options);
}

/** Boots the real resource service configured by `env` on 127.0.0.1, port 0. */
export async function bootResource(env: Environment, options: Omit<ResourceAppOptions, 'env'> = {}): Promise<NestFastifyApplication> {
  const config = loadResourceConfig(env);
  let app: NestFastifyApplication;
  if (options.clock) {
    // The factory cannot swap a provider: a verifier on an injected clock is built as a testing module.
    const builder = Test.createTestingModule({ imports: [ResourceAppModule.forRoot(config)], controllers: options.controllers ?? [] });
    const moduleRef = await builder.overrideProvider(JWT_AUTH_CLOCK).useValue(options.clock).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: options.logger ?? false });
  } else {
    app = await createResourceApp(config, {
      controllers: options.controllers,
      logger: options.logStream ? undefined : (options.logger ?? false),
      logStream: options.logStream,
    });
  }
  await app.listen(0, '127.0.0.1');
  return app;
}

/** Collects every log line, to check what is (and is not) written. */
export class CollectingLogger implements LoggerService {
  readonly lines: string[] = [];

  log(message: unknown): void {
    this.lines.push(`log ${text(message)}`);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.lines.push(`error ${text(message)} ${rest.map(String).join(' ')}`);
  }

  warn(message: unknown): void {
    this.lines.push(`warn ${text(message)}`);
  }

  debug(message: unknown): void {
    this.lines.push(`debug ${text(message)}`);
  }

  verbose(message: unknown): void {
    this.lines.push(`verbose ${text(message)}`);
  }
}

/** A line as text: the exception filters log `{ reqId, msg, err? }` (logErrorAnswer), everything else strings. */
function text(message: unknown): string {
  if (typeof message !== 'object' || message === null || !('msg' in message)) return String(message);
  const { msg, reqId, err } = message as { msg: unknown; reqId?: unknown; err?: { stack?: unknown } };
  return `${String(msg)} (reqId ${String(reqId)})${err?.stack === undefined ? '' : ` ${String(err.stack)}`}`;
}
