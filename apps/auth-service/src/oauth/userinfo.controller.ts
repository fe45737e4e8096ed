import { Controller, Get, Header, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { UsersService } from '../users/users.service.js';
import { LiveAccessTokens } from './live-access-tokens.js';
import { BearerError } from './bearer.error.js';

/** The Bearer token of an Authorization header (RFC 6750 2.1); undefined when there is none. */
function bearerOf(header: string | undefined): string | undefined {
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * OpenID Connect Core 5.3 UserInfo: for an access token of ours that is live and carries `openid`
 * (whatever its audience), `sub` and the claims of its scopes. Errors per RFC 6750 3 in
 * `WWW-Authenticate`. Only the Authorization header is read (no token in a query or body).
 */
@ApiTags('oauth')
@ApiBearerAuth()
@Controller('oauth/userinfo')
export class UserinfoController {
  constructor(
    private readonly tokens: LiveAccessTokens,
    private readonly users: UsersService,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'OpenID Connect UserInfo: sub, and preferred_username with the profile scope' })
  @ApiOkResponse({ description: '`{sub, preferred_username?}`' })
  @ApiUnauthorizedResponse({ description: 'RFC 6750 invalid_token / no token (WWW-Authenticate: Bearer)' })
  get(@Headers('authorization') authorization: string | undefined): Promise<Record<string, string>> {
    return this.userinfo(authorization);
  }

  @Post()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'The same as GET' })
  @ApiOkResponse({ description: '`{sub, preferred_username?}`' })
  @ApiUnauthorizedResponse({ description: 'RFC 6750 invalid_token / no token (WWW-Authenticate: Bearer)' })
  post(@Headers('authorization') authorization: string | undefined): Promise<Record<string, string>> {
    return this.userinfo(authorization);
  }

  private async userinfo(authorization: string | undefined): Promise<Record<string, string>> {
    const token = bearerOf(authorization);
    if (!token) throw new BearerError(authorization === undefined ? undefined : 'invalid_request');
    const claims = await this.tokens.readLive(token);
    const user = typeof claims?.sub === 'string' && typeof claims.sid === 'string' ? await this.users.findActive(claims.sub) : undefined;
    if (!claims || !user) throw new BearerError('invalid_token');
    const scope = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
    if (!scope.includes('openid')) throw new BearerError('insufficient_scope');
    return { sub: user.id, ...(scope.includes('profile') ? { preferred_username: user.username } : {}) };
  }
}
