import { describeError, logErrorAnswer, ErrorCode, type ErrorMappingOptions } from '@app/contracts';
import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { RouteErrorRenderer } from '../http/route-error-renderers.js';
import { OAuthError } from './oauth.error.js';

/** The realm of the Basic challenge on `invalid_client`. */
const BASIC_CHALLENGE = 'Basic realm="oauth", charset="UTF-8"';
const OAUTH_MAPPING: ErrorMappingOptions = { codeOfStatus: { 401: ErrorCode.InvalidCredentials } };

/** The RFC 6749 `error` of an answer that is not an OAuthError: by its status. */
function oauthErrorOf(status: number): string {
  if (status === 429 || status === 503) return 'temporarily_unavailable';
  if (status >= 500) return 'server_error';
  return 'invalid_request';
}

/**
 * Renders every answer of the `/oauth/*` routes in RFC 6749 5.2 shape `{error, error_description}`,
 * from the one error mapping (`describeError`, docs/architecture.md "Errors"): an OAuthError as it
 * is; a body the validation pipe refused as `invalid_request` naming the field; a lockout (429) or a
 * dependency down (503: database, no signing key) as `temporarily_unavailable` with `Retry-After`;
 * anything else as `server_error` without internals. Bound to the OAuth controller with `@UseFilters`,
 * and the global filter's renderer for `/oauth/` (errors before the controller: a body over the
 * limit as `invalid_request`, 413).
 */
@Catch()
export class OAuthExceptionFilter implements ExceptionFilter, RouteErrorRenderer {
  readonly pathPrefix = '/oauth/';
  private readonly logger = new Logger(OAuthExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    this.render(exception, host);
  }

  render(exception: unknown, host: ArgumentsHost): void {
    const answer = describeError(exception, OAUTH_MAPPING);
    logErrorAnswer(this.logger, answer, host);
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    reply.headers(answer.headers).header('cache-control', 'no-store').header('pragma', 'no-cache');
    if (exception instanceof OAuthError && exception.basicChallenge) reply.header('www-authenticate', BASIC_CHALLENGE);
    const message = Array.isArray(answer.message) ? answer.message.join('; ') : answer.message;
    reply.code(answer.status).send({ error: answer.oauthError ?? oauthErrorOf(answer.status), error_description: message });
  }
}
