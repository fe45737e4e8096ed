import type { Client } from '../clients/client.entity.js';
import type { ClientsService } from '../clients/clients.service.js';
import type { AuthorizationRequest, AuthorizeContext, AuthorizeParams } from './authorization-request.js';
import { AuthorizeRedirectError } from './authorize-errors.js';
import { checkClient } from './checks/check-client.js';
import { checkDpopJkt } from './checks/check-dpop-jkt.js';
import { checkParameters } from './checks/check-parameters.js';
import { checkPkce } from './checks/check-pkce.js';
import { checkPrompt } from './checks/check-prompt.js';
import { checkRedirectUri } from './checks/check-redirect-uri.js';
import { checkResource } from './checks/check-resource.js';
import { checkResponseType } from './checks/check-response-type.js';
import { checkScope } from './checks/check-scope.js';

export type Validated =
  | { kind: 'valid'; request: AuthorizationRequest; client: Client }
  | { kind: 'refused'; client: Client; redirectUri: string; state?: string; error: AuthorizeRedirectError };

/**
 * The authorization request, checked in order, one small check per rule: client, then redirect URI
 * (until both are good, a PageError: the error page), then the rest, whose refusals are redirected
 * back with `error` (docs/oidc.md "The authorization request").
 */
export async function validateAuthorizationRequest(params: AuthorizeParams, clients: ClientsService, defaultAudiences: readonly string[]): Promise<Validated> {
  const ctx: AuthorizeContext = { params, request: { prompt: [] } };
  await checkClient(ctx, clients);
  checkRedirectUri(ctx);
  const client = ctx.client!;
  try {
    checkParameters(ctx);
    checkResponseType(ctx);
    checkPkce(ctx);
    checkDpopJkt(ctx);
    checkScope(ctx);
    checkResource(ctx, defaultAudiences);
    checkPrompt(ctx);
  } catch (error) {
    if (!(error instanceof AuthorizeRedirectError)) throw error;
    const state = typeof params.state === 'string' && params.state.length <= 512 ? params.state : undefined;
    return { kind: 'refused', client, redirectUri: ctx.redirectUri!, state, error };
  }
  return { kind: 'valid', request: ctx.request as AuthorizationRequest, client };
}
