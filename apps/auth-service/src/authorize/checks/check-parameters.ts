import { type AuthorizeContext, single } from '../authorization-request.js';
import { AuthorizeRedirectError } from '../authorize-errors.js';

/** Longest `state` or `nonce` kept (they travel back in URLs and tokens). */
const MAX_OPAQUE_LENGTH = 512;
const PRINTABLE = /^[\x20-\x7E]*$/;

/** RFC 6749 3.1: no parameter twice; `state` and `nonce` printable and bounded. */
export function checkParameters(ctx: AuthorizeContext): void {
  const repeated = Object.keys(ctx.params).filter((name) => Array.isArray(ctx.params[name]));
  if (repeated.length > 0) throw new AuthorizeRedirectError('invalid_request', `parameters sent more than once: ${repeated.slice(0, 5).join(', ')}`);
  for (const name of ['state', 'nonce'] as const) {
    const value = single(ctx.params, name) ?? undefined;
    if (value !== undefined && (value.length > MAX_OPAQUE_LENGTH || !PRINTABLE.test(value))) {
      throw new AuthorizeRedirectError('invalid_request', `${name} must be at most ${MAX_OPAQUE_LENGTH} printable ASCII characters`);
    }
    ctx.request[name] = value;
  }
}
