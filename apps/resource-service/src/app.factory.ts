import { configureHttpApp, createFastifyAdapter, type LogDestination, type NestLoggerOption, nestLoggingOptions } from '@app/observability';
import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';
import { ResourceAppModule } from './app.module.js';
import type { ResourceConfig } from './config/resource.config.js';

export interface ResourceAppOptions {
  /** A Nest logger of the caller's (tests: `false` for silence); request logs are then off too. */
  logger?: NestLoggerOption;
  /** Where the log lines go instead of stdout (tests read them back). */
  logStream?: DestinationStream;
  /** Extra controllers mounted next to the real ones (tests: a scoped or failing route). */
  controllers?: Type[];
}

/** Largest request body the resource-service reads (its routes take none today). */
export const RESOURCE_BODY_LIMIT = 16 * 1024;

/** Builds the resource-service exactly as `main.ts` runs it; tests call this and `listen(0)`. */
export async function createResourceApp(config: ResourceConfig, options: ResourceAppOptions = {}): Promise<NestFastifyApplication> {
  const logs: LogDestination = options.logStream ?? (options.logger === undefined ? 'stdout' : 'silent');
  const logger = options.logStream ? undefined : options.logger;
  const root = ResourceAppModule.forRoot(config, logs);
  const app = await NestFactory.create<NestFastifyApplication>(
    { ...root, controllers: [...(root.controllers ?? []), ...(options.controllers ?? [])] },
    createFastifyAdapter(RESOURCE_BODY_LIMIT, config.observability.httpTimeouts),
    { abortOnError: false, ...nestLoggingOptions(logger, config.observability) },
  );
  await configureHttpApp(app, {
    config: config.observability,
    logger,
    docs: { title: 'resource-service', description: 'An example resource server: verifies access tokens against the issuer JWKS.', version: '1.0' },
  });
  return app;
}
