import { describeError, logErrorAnswer, ErrorCode, type ErrorMappingOptions, errorResponseBody } from '@app/contracts';
import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

/** A bare 401 of the issuer is a failed login. */
const ISSUER_ERROR_MAPPING: ErrorMappingOptions = { codeOfStatus: { 401: ErrorCode.InvalidCredentials } };

/**
 * Errors become HTTP answers through the shared mapping of `@app/contracts` (`describeError`):
 * errors that carry their status and code keep them (the database down and no signing key are 503s
 * with `Retry-After`), anything else is logged and becomes a plain 500 without internals. Error
 * answers are never cached.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const answer = describeError(exception, ISSUER_ERROR_MAPPING);
    logErrorAnswer(this.logger, answer, host);
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    reply.code(answer.status).headers(answer.headers).header('cache-control', 'no-store').send(errorResponseBody(answer));
  }
}
