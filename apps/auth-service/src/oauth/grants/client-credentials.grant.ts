import type { OAuthTokenResponseDto } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { TokenService } from '../../tokens/token.service.js';
import { GrantAudiences, grantScope } from '../grant-policy.js';
import type { GrantHandler, GrantRequest } from './grant-handler.js';

/**
 * RFC 6749 4.4: a confidential client gets a token for itself (`sub` = its id, no `username`, no
 * `sid`) with its registered scopes, and no refresh token: it can always ask again.
 */
@Injectable()
export class ClientCredentialsGrant implements GrantHandler {
  readonly grantType = 'client_credentials' as const;

  constructor(
    private readonly tokens: TokenService,
    private readonly audiences: GrantAudiences,
  ) {}

  async handle({ client, body, dpop }: GrantRequest): Promise<OAuthTokenResponseDto> {
    const audience = this.audiences.of(body, client);
    const scope = grantScope(body.scope, client.scopes ?? []);
    const access = await this.tokens.issue({ kind: 'client', clientId: client.id, scope, audience, dpopJkt: dpop?.jkt });
    return { access_token: access.token, token_type: access.tokenType, expires_in: access.expiresIn, scope: access.scope };
  }
}
