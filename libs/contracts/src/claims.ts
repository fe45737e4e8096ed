/** The claims of an access token (docs/sessions.md, "The two tokens"). */
export interface AccessTokenClaims {
  iss: string;
  /** The user id. */
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  username: string;
  /** Space-separated scopes. */
  scope: string;
}

/** What a verifier puts on `request.user` once a token has passed every check. */
export interface AuthenticatedUser {
  userId: string;
  username: string;
  scopes: string[];
  /** Token id, for audit logs and revocation lists. */
  tokenId: string;
  /** Expiry of the token, seconds since the epoch. */
  expiresAt: number;
}
