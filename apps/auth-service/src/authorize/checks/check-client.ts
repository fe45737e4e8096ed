import type { ClientsService } from '../../clients/clients.service.js';
import { type AuthorizeContext, single } from '../authorization-request.js';
import { PageError } from '../authorize-errors.js';

/**
 * The client: known, enabled, registered for the code flow, and for ID tokens of an algorithm signed
 * here (one registered under an earlier JWT_ALGORITHM is not). Any doubt is a page, never a redirect.
 */
export async function checkClient(ctx: AuthorizeContext, clients: ClientsService): Promise<void> {
  const id = single(ctx.params, 'client_id');
  if (id === null) throw new PageError('client_id was sent more than once.');
  if (id === undefined) throw new PageError('The request names no app (client_id is missing).');
  const client = id.length <= 128 ? await clients.find(id) : undefined;
  if (!client || client.disabled) throw new PageError('The app that sent you here is not known to this sign-in service.');
  if (!client.grantTypes.includes('authorization_code')) throw new PageError('The app that sent you here may not use browser sign-in.');
  if (client.idTokenAlg !== undefined && !clients.idTokenAlgorithms.includes(client.idTokenAlg)) {
    throw new PageError(
      `The app that sent you here is registered for ID tokens signed with ${client.idTokenAlg}, which this sign-in service no longer issues.`,
    );
  }
  ctx.client = client;
  ctx.request.clientId = client.id;
}
