import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { describeError, logErrorAnswer, errorResponseBody } from '@app/contracts';
import { bearerChallenge, VERIFIER_ERROR_MAPPING } from './bearer-challenge.js';

/**
 * Turns errors into HTTP answers (register it with APP_FILTER) through the shared mapping of
 * `@app/contracts` (`describeError`): verifier errors get their status and `WWW-Authenticate`
 * challenge, Nest HttpExceptions keep their status, anything else is a plain 500. Every body has
 * the `ErrorResponse` shape.
 */
@Catch()
export class JwtAuthExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(JwtAuthExceptionFilter.name);

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const answer = describeError(exception, VERIFIER_ERROR_MAPPING);
    logErrorAnswer(this.logger, answer, host);

    const { httpAdapter } = this.adapterHost;
    const response: unknown = host.switchToHttp().getResponse();
    const challenge = bearerChallenge(exception, answer.status);
    for (const [name, value] of Object.entries(answer.headers)) httpAdapter.setHeader(response, name, value);
    if (challenge !== undefined) httpAdapter.setHeader(response, 'WWW-Authenticate', challenge);
    httpAdapter.reply(response, errorResponseBody(answer), answer.status);
  }
}
