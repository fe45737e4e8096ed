import type { OAuthTokenResponseDto } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { TokenGrantsService, userScopesVia } from '../token-grants.service.js';
import { GrantAudiences, grantScope } from '../grant-policy.js';
import { invalidRequest } from '../oauth.error.js';
import type { GrantHandler, GrantRequest } from './grant-handler.js';

/**
 * RFC 6749 4.3, the resource owner password grant: the same throttled check as `/auth/login`, so
 * an unknown user and a wrong password get the same `invalid_grant` in about the same time.
 */
@Injectable()
export class PasswordGrant implements GrantHandler {
  readonly grantType = 'password' as const;

  constructor(
    private readonly grants: TokenGrantsService,
    private readonly audiences: GrantAudiences,
  ) {}

  async handle({ client, body, address, dpop }: GrantRequest): Promise<OAuthTokenResponseDto> {
    if (!body.username || body.password === undefined || body.password === '') throw invalidRequest('the password grant needs username and password');
    const audience = this.audiences.of(body, client);
    const user = await this.grants.checkPassword(body.username, body.password, address);
    const scope = grantScope(body.scope, userScopesVia(user, client));
    return this.grants.login(user, client, { scope, audience }, dpop);
  }
}
