import type { ArgumentsHost, LoggerService } from '@nestjs/common';
import type { ErrorDescription } from './error-answer.js';

/**
 * Logs what `describeError` says to log for one answer. With a request id (`request.id`: the
 * `X-Request-Id` of our fastify apps, docs/operations.md "Logs"), the line carries it as `reqId`,
 * the field of the request's access line: requests are not bound to a logging context (async hooks
 * on every promise of every request cost more than the rest of the access log, docs/performance.md
 * "The operations layer"), so the filters that log inside a request name it themselves. An error
 * keeps its stack as `err` (nestjs-pino's shape for `logger.error(line, stack)`).
 */
export function logErrorAnswer(logger: LoggerService, answer: ErrorDescription, host: ArgumentsHost): void {
  const { level, line, stack } = answer.log;
  const reqId = requestIdOf(host);
  if (reqId === undefined) {
    if (level === 'error') logger.error(line, stack);
    else logger[level]?.(line);
    return;
  }
  if (level === 'error') logger.error({ reqId, msg: line, err: { type: 'Error', message: line, stack } });
  else logger[level]?.({ reqId, msg: line });
}

function requestIdOf(host: ArgumentsHost): string | undefined {
  if (host.getType() !== 'http') return undefined;
  const id = (host.switchToHttp().getRequest<{ id?: unknown } | undefined>() as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}
