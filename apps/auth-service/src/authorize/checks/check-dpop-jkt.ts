import { type AuthorizeContext, single } from '../authorization-request.js';
import { AuthorizeRedirectError } from '../authorize-errors.js';

/** An RFC 7638 SHA-256 JWK thumbprint, base64url without padding: 43 characters (RFC 9449 §10). */
export const DPOP_JKT = /^[A-Za-z0-9_-]{43}$/;

/**
 * RFC 9449 §10 `dpop_jkt` (optional): the DPoP key the code will be bound to; its token request must
 * then carry a proof by that key (docs/dpop.md "Binding the code"). Without it, nothing is bound
 * here: a `--dpop-bound` client is held to its proof at the token endpoint.
 */
export function checkDpopJkt(ctx: AuthorizeContext): void {
  const jkt = single(ctx.params, 'dpop_jkt') ?? undefined;
  if (jkt !== undefined && !DPOP_JKT.test(jkt))
    throw new AuthorizeRedirectError('invalid_request', 'dpop_jkt must be a JWK SHA-256 thumbprint: 43 base64url characters');
  ctx.request.dpopJkt = jkt;
}
