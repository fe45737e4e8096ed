import type { OAuthTokenResponseDto, TokenRequestDto } from '@app/contracts';
import type { Client, GrantType } from '../../clients/client.entity.js';
import type { DpopBinding } from '../../dpop/token-endpoint-proofs.js';

/**
 * What a grant handler gets: the authenticated client, the body, the caller's address, and the
 * request's checked DPoP proof, if it sent one. Every grant binds what it issues to `dpop` (pass
 * `dpopJkt: dpop?.jkt` to `TokenService.issue`; `token_type` follows). A grant whose source is bound
 * already compares first: the refresh grant a public client's session (`dpop_jkt`; another key, or
 * none, is `invalid_grant`), the authorization code grant the code's `dpop_jkt` from /oauth/authorize
 * (RFC 9449 §10; another key, or none, is `invalid_dpop_proof` and leaves the code unused). A
 * `--dpop-bound` client never gets here without one.
 */
export interface GrantRequest {
  client: Client;
  body: TokenRequestDto;
  address: string;
  dpop?: DpopBinding;
}

/** One grant type of the token endpoint (RFC 6749 4.3, 4.4, 6). */
export interface GrantHandler {
  readonly grantType: GrantType;
  handle(request: GrantRequest): Promise<OAuthTokenResponseDto>;
}

/** Every GrantHandler the token endpoint serves (and the metadata lists). */
export const GRANT_HANDLERS = Symbol('GRANT_HANDLERS');
