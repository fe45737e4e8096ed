import { Module, type INestApplication, type LoggerService, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { JwtAuthExceptionFilter, JwtAuthGuard, JwtAuthModule, type JwtAuthModuleOptions } from '@app/jwt-auth';

export interface ConsumerAppOptions {
  /** The team's own routes. */
  controllers: Type[];
  /** Receives the application's log lines; silent when absent. */
  logger?: LoggerService;
}

/**
 * A team's own service on fastify, 127.0.0.1 at port 0: the package's three lines of setup
 * (`JwtAuthModule.forRoot(options)`, `JwtAuthGuard` as APP_GUARD, `JwtAuthExceptionFilter` as
 * APP_FILTER) and `controllers`, nothing of the resource-service.
 */
export async function bootConsumer(options: JwtAuthModuleOptions, app: ConsumerAppOptions): Promise<INestApplication> {
  @Module({
    imports: [JwtAuthModule.forRoot(options)],
    controllers: app.controllers,
    providers: [
      { provide: APP_GUARD, useClass: JwtAuthGuard },
      { provide: APP_FILTER, useClass: JwtAuthExceptionFilter },
    ],
  })
  class ConsumerModule {}
  const consumer = await NestFactory.create(ConsumerModule, new FastifyAdapter(), { logger: app.logger ?? false });
  await consumer.listen(0, '127.0.0.1');
  return consumer;
}
