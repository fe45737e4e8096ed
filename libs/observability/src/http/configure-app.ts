import { ConsoleLogger, type LoggerService, type LogLevel } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { genReqId } from '../logging/request-id.js';
import { HttpMetrics } from '../metrics/http-metrics.js';
import type { ObservabilityConfig } from '../config/observability.config.js';
import type { HttpTimeouts } from '../config/http-timeouts.config.js';
import { capIdleConnections } from './idle-connections.js';
import { serverTimeoutOptions } from './server-timeouts.js';
import { API_DOCS_PATH, type ApiDocsInfo, setupApiDocs } from './api-docs.js';
import { ShutdownState } from '../shutdown/shutdown-state.js';
import { echoRequestId, enableCors, registerSecurityHeaders } from './security.js';
import { attachRequestLogging } from '../logging/request-logging.js';

/** The fastify adapter both services run on: a body limit (413 beyond), our request ids, and the HTTP timeouts. */
export function createFastifyAdapter(bodyLimit: number, timeouts: HttpTimeouts): FastifyAdapter {
  return new FastifyAdapter({ bodyLimit, genReqId, ...serverTimeoutOptions(timeouts) });
}

/** What the app factories pass to `NestFactory.create` about logging. */
export type NestLoggerOption = LoggerService | LogLevel[] | false;

export interface HttpAppSetup {
  config: ObservabilityConfig;
  docs: ApiDocsInfo;
  /** A Nest logger the caller chose (tests); absent: Nest logs through pino (nestjs-pino). */
  logger?: NestLoggerOption;
}

/**
 * NestFactory options: pino takes over Nest's own logging unless the caller brought a logger. Until
 * it does, lines are buffered; if the application fails to start they go to Nest's console logger,
 * as JSON when the service logs JSON.
 */
export function nestLoggingOptions(logger: NestLoggerOption | undefined, config: ObservabilityConfig): { logger?: NestLoggerOption; bufferLogs: boolean } {
  if (logger !== undefined) return { logger, bufferLogs: false };
  return { bufferLogs: true, logger: config.logFormat === 'json' ? new ConsoleLogger({ json: true }) : undefined };
}

/**
 * Answers sent while draining carry `Connection: close`, so that a keep-alive client (a load
 * balancer, a connection pool) lets go once its in-flight request is answered instead of holding
 * the shutdown until SHUTDOWN_GRACE.
 */
function closeConnectionsWhileDraining(app: NestFastifyApplication): void {
  const state = app.get(ShutdownState);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', (_request, reply, payload, done) => {
      if (state.draining) reply.header('connection', 'close');
      done(null, payload);
    });
}

/**
 * Wires what lives on the fastify instance, before the application initialises its routes: Nest's
 * logger → pino, the X-Request-Id answer header, `Connection: close` while draining, the HTTP
 * metrics hook, helmet, CORS and the API docs; and the cap on idle kept-alive connections, on the node server.
 */
export async function configureHttpApp(app: NestFastifyApplication, setup: HttpAppSetup): Promise<void> {
  if (setup.logger === undefined) app.useLogger(app.get(Logger));
  capIdleConnections(app.getHttpServer(), setup.config.httpTimeouts.maxIdleConnections);
  echoRequestId(app);
  if (setup.logger === undefined) attachRequestLogging(app);
  closeConnectionsWhileDraining(app);
  if (setup.config.metrics) app.get(HttpMetrics).attach(app.getHttpAdapter().getInstance());
  registerSecurityHeaders(app, API_DOCS_PATH);
  enableCors(app, setup.config.corsOrigins);
  if (setup.config.apiDocs) setupApiDocs(app, setup.docs);
}
