import type { ArgumentsHost } from '@nestjs/common';

/**
 * Feature modules whose routes answer errors in a shape of their own (the OAuth routes: RFC 6749
 * `{error, error_description}`) provide one of these, so that the errors raised before their
 * controller runs (a body over the limit, a body that does not parse: fastify refuses those before
 * any route-scoped filter is reached) get that shape too. The global filter hands every error of a
 * request under `pathPrefix` to it.
 */
export interface RouteErrorRenderer {
  /** A path prefix with its trailing slash (`/oauth/`). */
  readonly pathPrefix: string;
  /** Sends the error answer of `exception` for the request of `host`. */
  render(exception: unknown, host: ArgumentsHost): void;
}

export const ROUTE_ERROR_RENDERERS = Symbol('ROUTE_ERROR_RENDERERS');
