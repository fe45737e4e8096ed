import { type JwsAlgorithm, TOKEN_EXCHANGE_GRANT_TYPE } from '@app/contracts';

/** RFC 8693 token exchange (docs/service-chains.md); the CLI's `--grant token-exchange`. */
export const TOKEN_EXCHANGE_GRANT = TOKEN_EXCHANGE_GRANT_TYPE;

/** The grants a client may be allowed (docs/oauth.md). */
export const GRANT_TYPES = ['password', 'refresh_token', 'client_credentials', 'authorization_code', TOKEN_EXCHANGE_GRANT] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

export const isGrantType = (value: string): value is GrantType => (GRANT_TYPES as readonly string[]).includes(value);

/**
 * Grants only a confidential client may use: client credentials (RFC 6749 4.4) and token exchange (a
 * service proves who acts with its own secret; docs/service-chains.md).
 */
export const CONFIDENTIAL_GRANTS: readonly GrantType[] = ['client_credentials', TOKEN_EXCHANGE_GRANT];

/** How the CLI and `clients list` name a grant: the token-exchange URN as `token-exchange`. */
export const grantName = (grant: GrantType): string => (grant === TOKEN_EXCHANGE_GRANT ? 'token-exchange' : grant);

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
  /**
   * The audiences this client serves, as a resource server (`--serves`); empty: its own id. A token
   * whose `aud` names one of them was meant for this client (introspection, docs/oauth.md).
   */
  serves: string[];
  /** May introspect other clients' tokens meant for an audience it serves (`--introspect`, RFC 7662 §4). */
  introspect: boolean;
  /** Must present a DPoP proof at the token endpoint (`--dpop-bound`): all its tokens are sender-constrained (docs/dpop.md). */
  dpopBound: boolean;
  public: boolean;
  /** Where the authorization endpoint may send the browser back (exact strings; docs/oidc.md). */
  redirectUris: string[];
  /** Where `/oauth/logout` may send the browser after signing out. */
  postLogoutRedirectUris: string[];
  /** Skips the consent page (a client of the same organisation). */
  firstParty: boolean;
  /** The algorithm its ID tokens are signed with (`--id-token-alg`, OpenID Connect Registration `id_token_signed_response_alg`); absent: RS256. */
  idTokenAlg?: JwsAlgorithm;
  disabled: boolean;
  createdAt: number;
}

/** The audiences a client serves: its `--serves` list, or its own id. */
export function servedAudiences(client: Client): string[] {
  return client.serves.length > 0 ? client.serves : [client.id];
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
  serves: [],
  introspect: false,
  dpopBound: false,
  public: true,
  redirectUris: [],
  postLogoutRedirectUris: [],
  firstParty: false,
  disabled: false,
  createdAt: 0,
});
