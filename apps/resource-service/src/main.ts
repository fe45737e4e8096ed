import { Logger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ResourceAppModule } from './app.module.js';
import { ConfigValidationError, loadResourceConfig, readEnvironment, type ResourceConfig } from './config/resource.config.js';

const PRODUCTION_LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log'];

function configOrExit(): ResourceConfig {
  try {
    return loadResourceConfig(readEnvironment());
  } catch (error: unknown) {
    if (!(error instanceof ConfigValidationError)) throw error;
    process.stderr.write(`resource-service: invalid configuration: ${error.message}\n`);
    process.exit(1);
  }
}

async function bootstrap(): Promise<void> {
  const config = configOrExit();
  const app = await NestFactory.create<NestFastifyApplication>(ResourceAppModule.forRoot(config), new FastifyAdapter(), {
    logger: config.nodeEnv === 'production' ? PRODUCTION_LOG_LEVELS : undefined,
  });
  app.enableShutdownHooks();
  await app.listen(config.port, '0.0.0.0');
  new Logger('ResourceService').log(`listening on ${await app.getUrl()}, verifying tokens of ${config.issuer}`);
}

await bootstrap();
