import { type ArgumentsHost, BadRequestException, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { TooManyRequestsException } from '../common/too-many-requests.exception.js';
import { OAuthError } from './oauth.error.js';

/** The realm of the Basic challenge on `invalid_client`. */
const BASIC_CHALLENGE = 'Basic realm="oauth", charset="UTF-8"';

function description(exception: BadRequestException): string {
  const message = (exception.getResponse() as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : String(message ?? exception.message);
}

/**
 * Answers the `/oauth/*` routes' refusals in RFC 6749 5.2 shape: an OAuthError as it is, a body the
 * validation pipe refused as `invalid_request` naming the field, a lockout as 429
 * `temporarily_unavailable` with `Retry-After`. Anything else (database down, no signing key, a bug)
 * falls through to the service's own filter (503/500, docs/oauth.md "Errors").
 */
@Catch(OAuthError, BadRequestException, TooManyRequestsException)
export class OAuthExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(OAuthExceptionFilter.name);

  catch(exception: OAuthError | BadRequestException | TooManyRequestsException, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    if (exception instanceof OAuthError) {
      this.logger.debug(`${exception.status} ${exception.error}`);
      if (exception.basicChallenge) reply.header('www-authenticate', BASIC_CHALLENGE);
      reply.code(exception.status).send({ error: exception.error, error_description: exception.description });
    } else if (exception instanceof TooManyRequestsException) {
      reply.header('retry-after', String(exception.retryAfterSeconds));
      reply.code(429).send({ error: 'temporarily_unavailable', error_description: 'too many attempts; retry after the number of seconds in Retry-After' });
    } else {
      reply.code(400).send({ error: 'invalid_request', error_description: description(exception) });
    }
  }
}
