import { ErrorCode, type ErrorResponse, IssuerErrorCode } from '@app/contracts';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { DatabaseUnavailableError } from '../database/database.js';
import { NoSigningKeyError } from '../keys/key-store.js';
import { TooManyRequestsException } from './too-many-requests.exception.js';

const CODE_BY_STATUS: Record<number, ErrorResponse['code']> = {
  400: ErrorCode.Validation,
  401: ErrorCode.InvalidCredentials,
  404: ErrorCode.NotFound,
  413: ErrorCode.PayloadTooLarge,
  429: IssuerErrorCode.TooManyRequests,
  503: ErrorCode.ServiceUnavailable,
};

function describe(exception: HttpException): ErrorResponse {
  const status = exception.getStatus();
  const body = exception.getResponse();
  const fields = typeof body === 'object' && body !== null ? (body as Partial<ErrorResponse>) : {};
  return {
    statusCode: status,
    error: fields.error ?? STATUS_CODES[status] ?? 'Error',
    code: fields.code ?? CODE_BY_STATUS[status] ?? (status >= 500 ? ErrorCode.Internal : ErrorCode.Validation),
    message: fields.message ?? (typeof body === 'string' ? body : exception.message),
  };
}

/**
 * The one place errors become HTTP answers: known errors keep their status and code; the database
 * being down is a 503; anything else is logged and becomes a plain 500 without internals.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    let body: ErrorResponse;
    if (exception instanceof HttpException) {
      body = describe(exception);
      this.logger.debug(`${body.statusCode} ${body.code}`);
      if (exception instanceof TooManyRequestsException) reply.header('retry-after', String(exception.retryAfterSeconds));
    } else if (exception instanceof DatabaseUnavailableError) {
      body = { statusCode: 503, error: 'Service Unavailable', code: ErrorCode.ServiceUnavailable, message: 'The user store is unavailable; retry later' };
      this.logger.warn(`database unavailable: ${(exception.cause as Error | undefined)?.message ?? 'unknown'}`);
      reply.header('retry-after', '5');
    } else if (exception instanceof NoSigningKeyError) {
      body = { statusCode: 503, error: 'Service Unavailable', code: ErrorCode.ServiceUnavailable, message: 'No signing key is active; retry later' };
      this.logger.warn('a token was requested while no signing key is active');
      reply.header('retry-after', '5');
    } else {
      body = { statusCode: 500, error: 'Internal Server Error', code: ErrorCode.Internal, message: 'Internal server error' };
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    reply.code(body.statusCode).header('cache-control', 'no-store').send(body);
  }
}
