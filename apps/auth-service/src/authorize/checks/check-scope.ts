import { type AuthorizeContext, single } from '../authorization-request.js';
import { AuthorizeRedirectError } from '../authorize-errors.js';

/**
 * The scopes asked for must all be registered for the client (`openid` among them: it comes from the
 * registration, not from the user's scopes); none asked means all the client's. What the user may
 * have is applied after sign-in.
 */
export function checkScope(ctx: AuthorizeContext): void {
  const text = single(ctx.params, 'scope');
  const registered = ctx.client!.scopes ?? [];
  const asked = text === undefined ? [...registered] : [...new Set(text!.split(' ').filter(Boolean))];
  const beyond = asked.filter((s) => !registered.includes(s));
  if (beyond.length > 0) throw new AuthorizeRedirectError('invalid_scope', `not registered for this client: ${beyond.slice(0, 10).join(' ')}`);
  ctx.request.scope = asked;
}
