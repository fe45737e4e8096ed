import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { type DestinationStream, stdSerializers, stdTimeFunctions } from 'pino';
import type { Options } from 'pino-http';
import pretty from 'pino-pretty';
import type { ObservabilityConfig } from '../config/observability.config.js';
import { REDACTED, REDACTED_PATHS } from './redaction.js';
import { flushOnWarn, stdoutDestination } from './stdout-destination.js';

/** Where log lines go: stdout (the default), a stream (tests capture lines), or nowhere. */
export type LogDestination = 'stdout' | 'silent' | DestinationStream;

/** Probes and scrapes get no completion line from `attachRequestLogging` (one per poll would drown the rest); the metrics count them. */
export const QUIET_PATHS = /^\/(health\/|metrics(\/|\?|$))/;

const pathOf = (req: IncomingMessage): string => {
  const url = req.url ?? '';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
};

/**
 * The completion line's `req`: method, path and peer. Headers (and with them `authorization` and
 * `cookie`) are never serialized, and the query string is dropped, so a token sent as a query
 * parameter cannot reach the log either.
 */
function serializeRequest(req: IncomingMessage): Record<string, unknown> {
  return { method: req.method, url: pathOf(req), remoteAddress: req.socket?.remoteAddress };
}

function serializeResponse(res: ServerResponse): Record<string, unknown> {
  return { statusCode: res.statusCode };
}

/**
 * Options of the root logger nestjs-pino builds through pino-http: level, the service's base fields,
 * ISO timestamps, the level as a word, the redaction paths and the serializers of the completion
 * line. pino-http's per-request options (request ids, levels, auto-logging) are absent on purpose:
 * no route runs its middleware, `attachRequestLogging` does that work from fastify hooks.
 */
export function pinoHttpOptions(config: ObservabilityConfig, service: string, silent: boolean): Options<IncomingMessage, ServerResponse> {
  return {
    level: silent ? 'silent' : config.logLevel,
    base: { service, pid: process.pid },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: REDACTED },
    serializers: { req: serializeRequest, res: serializeResponse, err: stdSerializers.err },
    wrapSerializers: false,
  };
}

/**
 * No route goes through nestjs-pino's middleware: on fastify it runs behind Nest's middleware bridge
 * (@fastify/middie) and pino-http, which together cost more per request than the whole route did
 * (docs/performance.md). `attachRequestLogging` does the same from fastify hooks instead: the
 * request id bound to every line logged while the handler runs, and one completion line.
 */
const NO_ROUTES: Params['forRoutes'] = [];

/**
 * nestjs-pino's `LoggerModule.forRoot` parameters for one service. nestjs-pino keeps one pino-http
 * instance per process (the first configured): one service per process in production; tests that
 * read logs give every application of a test file the same destination.
 */
export function loggerParams(config: ObservabilityConfig, service: string, destination: LogDestination = 'stdout'): Params {
  const silent = destination === 'silent';
  const options = pinoHttpOptions(config, service, silent) as Options;
  const target = destination === 'stdout' || destination === 'silent' ? undefined : destination;
  if (config.logFormat === 'pretty' && !silent) {
    const stream = pretty({
      destination: target ?? 1,
      sync: target !== undefined,
      colorize: target === undefined && process.stdout.isTTY,
      ignore: 'pid,hostname,service',
      translateTime: 'SYS:HH:MM:ss.l',
    });
    return { pinoHttp: [options, stream], forRoutes: NO_ROUTES };
  }
  if (target || silent) return { pinoHttp: target ? [options, target] : options, forRoutes: NO_ROUTES };
  // stdout: pino's synchronous destination, batched (stdout-destination.ts). An asynchronous one cost
  // more per line under callgrind (a libuv pool round trip per write).
  return { pinoHttp: [{ ...options, hooks: { logMethod: flushOnWarn } }, stdoutDestination()], forRoutes: NO_ROUTES };
}
