import { redirectUriAllowed } from '../../clients/redirect-uri.js';
import { type AuthorizeContext, single } from '../authorization-request.js';
import { PageError } from '../authorize-errors.js';

/**
 * `redirect_uri` is required and must be one registered for the client, character for character
 * (the loopback port the one relaxation): until it is, nothing is redirected anywhere.
 */
export function checkRedirectUri(ctx: AuthorizeContext): void {
  const uri = single(ctx.params, 'redirect_uri');
  if (uri === null) throw new PageError('redirect_uri was sent more than once.');
  if (uri === undefined) throw new PageError('The request has no redirect_uri.');
  if (!redirectUriAllowed(uri, ctx.client!.redirectUris)) throw new PageError('The app asked to return to an address it has not registered.');
  ctx.redirectUri = uri;
  ctx.request.redirectUri = uri;
}
