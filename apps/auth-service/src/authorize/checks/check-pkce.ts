import { CODE_CHALLENGE } from '../../codes/pkce.js';
import { type AuthorizeContext, single } from '../authorization-request.js';
import { AuthorizeRedirectError } from '../authorize-errors.js';

/** PKCE for every client, public or confidential (RFC 9700 2.1.1), S256 only: `plain` is refused. */
export function checkPkce(ctx: AuthorizeContext): void {
  const challenge = single(ctx.params, 'code_challenge');
  const method = single(ctx.params, 'code_challenge_method');
  if (challenge === undefined) throw new AuthorizeRedirectError('invalid_request', 'code_challenge is required (PKCE, S256)');
  if (method !== 'S256') throw new AuthorizeRedirectError('invalid_request', 'code_challenge_method must be S256');
  if (!CODE_CHALLENGE.test(challenge!)) throw new AuthorizeRedirectError('invalid_request', 'code_challenge must be 43 base64url characters (S256)');
  ctx.request.codeChallenge = challenge!;
}
