import { describeError, logErrorAnswer, ErrorCode, type ErrorMappingOptions, errorResponseBody } from '@app/contracts';
import { type ArgumentsHost, Catch, type ExceptionFilter, Inject, Logger, Optional } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ROUTE_ERROR_RENDERERS, type RouteErrorRenderer } from './route-error-renderers.js';

/** A bare 401 of the issuer is a failed login. */
const ISSUER_ERROR_MAPPING: ErrorMappingOptions = { codeOfStatus: { 401: ErrorCode.InvalidCredentials } };

/**
 * Errors become HTTP answers through the shared mapping of `@app/contracts` (`describeError`):
 * errors that carry their status and code keep them (the database down and no signing key are 503s
 * with `Retry-After`), anything else is logged and becomes a plain 500 without internals. Error
 * answers are never cached. Requests under a feature's `RouteErrorRenderer` prefix get its shape.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpExceptionFilter.name);

  constructor(@Optional() @Inject(ROUTE_ERROR_RENDERERS) private readonly renderers: RouteErrorRenderer[] = []) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const url = host.switchToHttp().getRequest<FastifyRequest>().url ?? '';
    const renderer = this.renderers.find((candidate) => url.startsWith(candidate.pathPrefix));
    if (renderer) return renderer.render(exception, host);
    const answer = describeError(exception, ISSUER_ERROR_MAPPING);
    logErrorAnswer(this.logger, answer, host);
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    reply.code(answer.status).headers(answer.headers).header('cache-control', 'no-store').send(errorResponseBody(answer));
  }
}
