/** RFC 8693 2.1: the grant type of token exchange (docs/service-chains.md). */
export const TOKEN_EXCHANGE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';

/** RFC 8693 3: the token type of an access token, the only one exchanged and issued here. */
export const ACCESS_TOKEN_TYPE_URN = 'urn:ietf:params:oauth:token-type:access_token';

/** The deepest `act` chain issued or accepted: five services acting one after another for the user. */
export const MAX_ACT_DEPTH = 5;

/**
 * RFC 8693 4.1 `act`: the party acting now (`sub`, a client id here) and, nested, whoever acted
 * before it. A chain user → orders → billing gives billing's token `{sub: 'billing', act: {sub: 'orders'}}`.
 */
export interface ActorClaim {
  sub: string;
  act?: ActorClaim;
}

/** The claims of an access token (docs/oauth.md "Tokens"). */
export interface AccessTokenClaims {
  iss: string;
  /** The user id, or for a client-credentials token the client id. */
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  /** The client the token was issued to (RFC 9068). */
  client_id: string;
  /** User tokens only. */
  username?: string;
  /** User tokens only: the session (refresh-token family). */
  sid?: string;
  /** Space-separated scopes. */
  scope: string;
  /** Exchanged tokens only (RFC 8693): who acts for the user, and who acted before it. */
  act?: ActorClaim;
  /** DPoP-bound tokens (RFC 9449 §6): the RFC 7638 thumbprint of the client's key. */
  cnf?: { jkt: string };
}

/** What a verifier puts on `request.user` for a user token, once it has passed every check. */
export interface AuthenticatedUser {
  userId: string;
  username: string;
  /** The client the user acts through (`client_id`); absent in tokens that do not name one. */
  clientId?: string;
  /** The session (`sid`); absent in tokens that do not name one. */
  sessionId?: string;
  scopes: string[];
  /** Token id, for audit logs and revocation lists. */
  tokenId: string;
  /** Expiry of the token, seconds since the epoch. */
  expiresAt: number;
  /** `iat`, seconds since the epoch (a revoked client refuses tokens issued before its revocation). */
  issuedAt?: number;
  /**
   * Exchanged tokens only (RFC 8693 `act`): the service that called with this token for the user,
   * and, nested, the services before it. `actorChain(user)` lists them, the nearest first.
   */
  actor?: Actor;
  /** `cnf.jkt` of a DPoP-bound token: the thumbprint of the key every request's proof is signed with. */
  keyThumbprint?: string;
}

/** RFC 8693 `act` as the verifier gives it: who acts (`subject`, a client id here) and who acted before. */
export interface Actor {
  subject: string;
  actor?: Actor;
}

/** The services acting for the user, the nearest first: `['billing', 'orders']` for user → orders → billing; empty for a direct token. */
export function actorChain(caller: { actor?: Actor }): string[] {
  const chain: string[] = [];
  for (let actor = caller.actor; actor; actor = actor.actor) chain.push(actor.subject);
  return chain;
}

/**
 * What a verifier puts on `request.user` for a client-credentials token (no user: `sub` is the
 * client id, there is no `username`). Tell the two apart with `isAuthenticatedClient`.
 */
export interface AuthenticatedClient {
  clientId: string;
  scopes: string[];
  tokenId: string;
  expiresAt: number;
  issuedAt?: number;
  /** `cnf.jkt` of a DPoP-bound token. */
  keyThumbprint?: string;
}

/** Whoever presented the token: a user (through a client) or a client acting for itself. */
export type AuthenticatedCaller = AuthenticatedUser | AuthenticatedClient;

export function isAuthenticatedClient(caller: AuthenticatedCaller): caller is AuthenticatedClient {
  return !('userId' in caller);
}
