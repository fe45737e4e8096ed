import { describeError, ErrorCode, type ErrorMappingOptions, errorResponseBody, logErrorAnswer } from '@app/contracts';
import { type ArgumentsHost, Catch, type ExceptionFilter, Inject, Logger, Optional } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HTML_ERROR_PAGES, type HtmlErrorPages } from './html-pages.js';
import { oauthErrorBody, oauthStatus } from './oauth-error-body.js';

/** A bare 401 of the issuer is a failed login. */
const ISSUER_ERROR_MAPPING: ErrorMappingOptions = { codeOfStatus: { 401: ErrorCode.InvalidCredentials } };

/** The route family whose answers are RFC 6749 5.2's `{error, error_description}`. */
const OAUTH_ROUTES = '/oauth/';

/**
 * The one error path of the auth-service (docs/architecture.md "Errors"): every thrown value goes
 * through the shared mapping of `@app/contracts` (`describeError`) — errors that carry their status
 * and code keep them, anything else is logged and becomes a plain 500 without internals — and the
 * route family decides the body: an HTML page on the hosted pages' routes (sign-in, authorize,
 * logout), RFC 6749 5.2 under `/oauth/` (also for what fastify refuses before a controller runs, such
 * as a body over the limit), the `ErrorResponse` elsewhere. Never cached.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpExceptionFilter.name);

  constructor(@Optional() @Inject(HTML_ERROR_PAGES) private readonly pages?: HtmlErrorPages) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const answer = describeError(exception, ISSUER_ERROR_MAPPING);
    logErrorAnswer(this.logger, answer, host);
    const reply = http.getResponse<FastifyReply>().headers(answer.headers).header('cache-control', 'no-store');
    const url = http.getRequest<FastifyRequest>().url ?? '';
    if (this.pages?.serves(url)) {
      const page = this.pages.renderError(answer);
      reply.headers(page.headers).type('text/html; charset=utf-8').code(answer.status).send(page.html);
    } else if (url.startsWith(OAUTH_ROUTES)) {
      reply.header('pragma', 'no-cache').code(oauthStatus(answer)).send(oauthErrorBody(answer));
    } else {
      reply.code(answer.status).send(errorResponseBody(answer));
    }
  }
}
