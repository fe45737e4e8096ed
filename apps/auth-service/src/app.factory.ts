import { configureHttpApp, createFastifyAdapter, type LogDestination, type NestLoggerOption, nestLoggingOptions } from '@app/observability';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';
import { AuthAppModule } from './app.module.js';
import { registerClientCors } from './authorize/client-cors.js';
import type { Clock } from './time/clock.js';
import type { AuthConfig } from './config/auth.config.js';

export interface AuthAppOptions {
  clock?: Clock;
  /** A Nest logger of the caller's (tests: `false` for silence); request logs are then off too. */
  logger?: NestLoggerOption;
  /** Where the log lines go instead of stdout (tests read them back). */
  logStream?: DestinationStream;
}

/** Largest request body the auth-service reads; a password is at most 1024 characters. */
export const AUTH_BODY_LIMIT = 16 * 1024;

/** Builds the auth-service exactly as `main.ts` runs it; tests call this and `listen(0)`. */
export async function createAuthApp(config: AuthConfig, options: AuthAppOptions = {}): Promise<NestFastifyApplication> {
  const logs: LogDestination = options.logStream ?? (options.logger === undefined ? 'stdout' : 'silent');
  const logger = options.logStream ? undefined : options.logger;
  const app = await NestFactory.create<NestFastifyApplication>(
    AuthAppModule.forRoot(config, options.clock, logs),
    createFastifyAdapter(AUTH_BODY_LIMIT, config.observability.httpTimeouts),
    {
      abortOnError: false,
      ...nestLoggingOptions(logger, config.observability),
    },
  );
  registerClientCors(app, config.observability.corsOrigins);
  await configureHttpApp(app, {
    config: config.observability,
    logger,
    docs: { title: 'auth-service', description: 'Issues access tokens and publishes the keys that verify them.', version: '1.0' },
  });
  return app;
}
