import type { Client } from '../clients/client.entity.js';
import type { User } from '../users/user.entity.js';

/** Scopes granted by the client's registration and the user's consent, not by the user's scope list (OpenID Connect). */
export const REGISTRATION_SCOPES: readonly string[] = ['openid', 'offline_access'];

/** What a signed-in user gets of the scopes a request asked for: `openid` as asked, the rest as far as the user has them. */
export function grantedScope(asked: readonly string[], user: User): string[] {
  return asked.filter((s) => REGISTRATION_SCOPES.includes(s) || user.scopes.includes(s));
}

/** The registration scopes a client has (a session keeps them across refreshes, whatever the user's scope list). */
export function registrationScopesOf(client: Client): string[] {
  return (client.scopes ?? []).filter((s) => REGISTRATION_SCOPES.includes(s));
}
