import type { OAuthTokenResponseDto, TokenRequestDto } from '@app/contracts';
import type { Client, GrantType } from '../../clients/client.entity.js';

/** What a grant handler gets: the authenticated client, the body, the caller's address. */
export interface GrantRequest {
  client: Client;
  body: TokenRequestDto;
  address: string;
}

/** One grant type of the token endpoint (RFC 6749 4.3, 4.4, 6). */
export interface GrantHandler {
  readonly grantType: GrantType;
  handle(request: GrantRequest): Promise<OAuthTokenResponseDto>;
}

/** Every GrantHandler the token endpoint serves (and the metadata lists). */
export const GRANT_HANDLERS = Symbol('GRANT_HANDLERS');
