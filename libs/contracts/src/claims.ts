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
  /** `cnf.jkt` of a DPoP-bound token: the thumbprint of the key every request's proof is signed with. */
  keyThumbprint?: string;
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
