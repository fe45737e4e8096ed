import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { JwtAuthError } from '../jwt-auth.errors.js';
import { errorAnswer } from './error-answer.js';

/**
 * The one place errors become HTTP answers (register it with APP_FILTER): verifier errors get their
 * status and `WWW-Authenticate` challenge, Nest HttpExceptions keep their status, anything else is a
 * plain 500. Every body has the `ErrorResponse` shape.
 */
@Catch()
export class JwtAuthExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(JwtAuthExceptionFilter.name);

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const answer = errorAnswer(exception);
    if (!answer.expected) {
      this.logger.error(`${answer.body.statusCode} answered for ${describe(exception)}`, exception instanceof Error ? exception.stack : undefined);
    } else if (exception instanceof HttpException) {
      this.logger.debug(`${answer.body.statusCode} ${answer.body.code}: ${exception.message}`);
    } else if (exception instanceof JwtAuthError) {
      this.logger.debug(`${answer.body.statusCode} ${exception.code}: ${exception.reason}`);
    }

    const { httpAdapter } = this.adapterHost;
    const response: unknown = host.switchToHttp().getResponse();
    for (const [name, value] of Object.entries(answer.headers)) httpAdapter.setHeader(response, name, value);
    httpAdapter.reply(response, answer.body, answer.body.statusCode);
  }
}

function describe(exception: unknown): string {
  return exception instanceof Error ? exception.name : typeof exception;
}
