import { grantAudience } from '../../oauth/grant-policy.js';
import { OAuthError } from '../../oauth/oauth.error.js';
import { type AuthorizeContext, single } from '../authorization-request.js';
import { AuthorizeRedirectError } from '../authorize-errors.js';

/** RFC 8707 `resource`: one audience the client may have, as at the token endpoint (grantAudience). */
export function checkResource(ctx: AuthorizeContext, defaults: readonly string[]): void {
  const resource = single(ctx.params, 'resource') ?? undefined;
  try {
    ctx.request.audience = grantAudience({ resource }, ctx.client!, defaults);
  } catch (error) {
    if (error instanceof OAuthError) throw new AuthorizeRedirectError('invalid_target', error.description);
    throw error;
  }
}
