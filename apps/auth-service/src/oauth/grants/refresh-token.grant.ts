import type { OAuthTokenResponseDto } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { TokenGrantsService } from '../token-grants.service.js';
import { grantScope } from '../grant-policy.js';
import { invalidRequest } from '../oauth.error.js';
import type { GrantHandler, GrantRequest } from './grant-handler.js';

/**
 * RFC 6749 6: the same rotation and reuse detection as `/auth/refresh`. The token must have been
 * issued to this client; `scope` may narrow this access token, never widen it.
 */
@Injectable()
export class RefreshTokenGrant implements GrantHandler {
  readonly grantType = 'refresh_token' as const;

  constructor(private readonly grants: TokenGrantsService) {}

  async handle({ client, body, dpop }: GrantRequest): Promise<OAuthTokenResponseDto> {
    if (!body.refresh_token) throw invalidRequest('the refresh_token grant needs refresh_token');
    return this.grants.refreshOrRefuse(body.refresh_token, client, (granted) => grantScope(body.scope, granted), dpop);
  }
}
