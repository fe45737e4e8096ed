import { type AuthorizeContext, single } from '../authorization-request.js';
import { AuthorizeRedirectError } from '../authorize-errors.js';

/** OAuth 2.1: `response_type=code` only (no implicit, no hybrid); `response_mode` only `query`. */
export function checkResponseType(ctx: AuthorizeContext): void {
  const type = single(ctx.params, 'response_type');
  if (type === undefined) throw new AuthorizeRedirectError('invalid_request', 'response_type is required (code)');
  if (type !== 'code') throw new AuthorizeRedirectError('unsupported_response_type', 'only response_type=code is supported');
  const mode = single(ctx.params, 'response_mode');
  if (mode !== undefined && mode !== 'query') throw new AuthorizeRedirectError('invalid_request', 'only response_mode=query is supported');
}
