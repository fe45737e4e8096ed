import { type AuthorizeContext, type Prompt, single } from '../authorization-request.js';
import { AuthorizeRedirectError } from '../authorize-errors.js';

const PROMPTS: readonly string[] = ['none', 'login', 'consent'];

/** OpenID Connect Core 3.1.2.1: `prompt` (none alone, or login and/or consent) and `max_age` (seconds). */
export function checkPrompt(ctx: AuthorizeContext): void {
  const prompt = (single(ctx.params, 'prompt') ?? '').split(' ').filter(Boolean);
  const unknown = prompt.filter((p) => !PROMPTS.includes(p));
  if (unknown.length > 0) throw new AuthorizeRedirectError('invalid_request', 'prompt may be none, login or consent');
  if (prompt.includes('none') && prompt.length > 1) throw new AuthorizeRedirectError('invalid_request', 'prompt=none cannot be combined with other values');
  ctx.request.prompt = prompt as Prompt[];
  const maxAge = single(ctx.params, 'max_age');
  if (maxAge !== undefined) {
    if (!/^\d{1,9}$/.test(maxAge!)) throw new AuthorizeRedirectError('invalid_request', 'max_age must be a number of seconds');
    ctx.request.maxAge = Number(maxAge);
  }
}
