import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PinoLogger } from 'nestjs-pino';
import { QUIET_PATHS } from './logger-options.js';

/**
 * Request logging from fastify hooks, the work nestjs-pino's middleware would do, without the
 * middleware bridge:
 * - `preValidation` (after the body is read, so the context survives body parsing): everything the
 *   handler, guards, pipes and filters log runs in a pino context bound to `reqId`;
 * - `onResponse`: one completion line (`request completed`, `error` level for 5xx) with the request
 *   id, method, path without query, peer, status and `responseTime` in ms, through the root logger
 *   and so through its redaction and serializers. /health/* and /metrics get none.
 */
export function attachRequestLogging(app: NestFastifyApplication): void {
  const binder = new PinoLogger({});
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('preValidation', (request, _reply, done) => {
    binder.runInContext(done, { bindings: { reqId: request.id } });
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    if (!QUIET_PATHS.test(request.url)) {
      const fields = { reqId: request.id, req: request.raw, res: reply.raw, responseTime: Math.round(reply.elapsedTime) };
      if (reply.statusCode >= 500) PinoLogger.root.error(fields, 'request errored');
      else PinoLogger.root.info(fields, 'request completed');
    }
    done();
  });
}
