import type { LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AuthAppModule } from './app.module.js';
import type { Clock } from './common/clock.js';
import type { AuthConfig } from './config/auth.config.js';

export interface AuthAppOptions {
  clock?: Clock;
  logger?: LoggerService | LogLevel[] | false;
}

/** Largest request body the auth-service reads; a password is at most 1024 characters. */
export const AUTH_BODY_LIMIT = 16 * 1024;

/** Builds the auth-service exactly as `main.ts` runs it; tests call this and `listen(0)`. */
export async function createAuthApp(config: AuthConfig, options: AuthAppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: AUTH_BODY_LIMIT });
  const app = await NestFactory.create<NestFastifyApplication>(AuthAppModule.forRoot(config, options.clock), adapter, {
    abortOnError: false,
    logger: options.logger ?? (config.http.production ? ['log', 'warn', 'error'] : ['log', 'warn', 'error', 'debug']),
  });
  app.enableShutdownHooks();
  return app;
}
