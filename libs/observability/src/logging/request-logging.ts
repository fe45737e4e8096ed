import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PinoLogger } from 'nestjs-pino';
import { QUIET_PATHS } from './logger-options.js';

/**
 * The access log, from a fastify `onResponse` hook (no middleware bridge): one completion line per
 * request (`request completed`, `error` level for 5xx) with the request id, method, path without
 * query, peer, status and `responseTime` in ms, through the root logger and so through its
 * redaction and serializers. /health/* and /metrics get none.
 *
 * Requests are not bound to a logging context: on Node 20 that is an AsyncLocalStorage, whose async
 * hooks run on every promise and tick of every request, and cost more than all the rest of this
 * layer (docs/performance.md "The operations layer"). The lines that matter inside a request, those
 * of the exception filters, carry `reqId` themselves (`logErrorAnswer`).
 */
export function attachRequestLogging(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', (request, reply, done) => {
      if (!QUIET_PATHS.test(request.url)) {
        const fields = { reqId: request.id, req: request.raw, res: reply.raw, responseTime: Math.round(reply.elapsedTime) };
        if (reply.statusCode >= 500) PinoLogger.root.error(fields, 'request errored');
        else PinoLogger.root.info(fields, 'request completed');
      }
      done();
    });
}
