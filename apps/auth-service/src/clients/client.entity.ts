/** The grants a client may be allowed (docs/oauth.md). */
export const GRANT_TYPES = ['password', 'refresh_token', 'client_credentials', 'authorization_code'] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

export const isGrantType = (value: string): value is GrantType => (GRANT_TYPES as readonly string[]).includes(value);

/** A registered OAuth 2.0 client. */
export interface Client {
  id: string;
  /** SHA-256 (hex) of the secret; absent for a public client, which has none. */
  secretHash?: string;
  grantTypes: GrantType[];
  /**
   * The scopes a token for this client may carry. `null` only for the built-in `default` client: its
   * user tokens carry the user's scopes, as `/auth/login` always did.
   */
  scopes: string[] | null;
  /** Audiences it may ask for with `resource`/`audience`; the default `AUTH_AUDIENCE` is always allowed. */
  audiences: string[];
  public: boolean;
  /** Where the authorization endpoint may send the browser back (exact strings; docs/browser-sign-in.md). */
  redirectUris: string[];
  /** Where `/oauth/logout` may send the browser after signing out. */
  postLogoutRedirectUris: string[];
  /** Skips the consent page (a client of the same organisation). */
  firstParty: boolean;
  disabled: boolean;
  createdAt: number;
}

/** Client ids: what fits in a Basic header and a log line without escaping. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export const DEFAULT_CLIENT_ID = 'default';

/**
 * The built-in public client `/auth/login` acts for: password and refresh grants, the user's own
 * scopes. It is not in the clients table, so it cannot be disabled or removed by accident.
 */
export const DEFAULT_CLIENT: Readonly<Client> = Object.freeze<Client>({
  id: DEFAULT_CLIENT_ID,
  grantTypes: ['password', 'refresh_token'],
  scopes: null,
  audiences: [],
  public: true,
  redirectUris: [],
  postLogoutRedirectUris: [],
  firstParty: false,
  disabled: false,
  createdAt: 0,
});
