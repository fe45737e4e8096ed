import { InvalidDpopProofError } from '@app/jwt-auth';
import { Controller, Get, Header, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { UserinfoProofs } from '../dpop/userinfo-proofs.js';
import { UsersService } from '../users/users.service.js';
import { LiveAccessTokens } from './live-access-tokens.js';
import { BearerError } from './bearer.error.js';

/** The token of an Authorization header and its scheme, `Bearer` (RFC 6750 2.1) or `DPoP` (RFC 9449 7.1); undefined when there is none. */
function presentedToken(header: string | undefined): { dpop: boolean; token: string } | undefined {
  const match = /^(Bearer|DPoP) +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header ?? '');
  return match ? { dpop: match[1].toLowerCase() === 'dpop', token: match[2] } : undefined;
}

/**
 * OpenID Connect Core 5.3 UserInfo: for an access token of ours that is live and carries `openid`
 * (whatever its audience), `sub` and the claims of its scopes. Errors per RFC 6750 3 in
 * `WWW-Authenticate`. Only the Authorization header is read (no token in a query or body). A DPoP-bound
 * token comes as `DPoP` with a proof by its key (docs/dpop.md), never as `Bearer`.
 */
@ApiTags('oauth')
@ApiBearerAuth()
@Controller('oauth/userinfo')
export class UserinfoController {
  constructor(
    private readonly tokens: LiveAccessTokens,
    private readonly users: UsersService,
    private readonly proofs: UserinfoProofs,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'OpenID Connect UserInfo: sub, and preferred_username with the profile scope' })
  @ApiOkResponse({ description: '`{sub, preferred_username?}`' })
  @ApiUnauthorizedResponse({ description: 'RFC 6750 invalid_token / no token (WWW-Authenticate: Bearer)' })
  get(@Req() request: FastifyRequest): Promise<Record<string, string>> {
    return this.userinfo(request);
  }

  @Post()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'The same as GET' })
  @ApiOkResponse({ description: '`{sub, preferred_username?}`' })
  @ApiUnauthorizedResponse({ description: 'RFC 6750 invalid_token / no token (WWW-Authenticate: Bearer)' })
  post(@Req() request: FastifyRequest): Promise<Record<string, string>> {
    return this.userinfo(request);
  }

  private async userinfo(request: FastifyRequest): Promise<Record<string, string>> {
    const authorization = request.headers.authorization;
    const presented = presentedToken(authorization);
    if (!presented) throw new BearerError(authorization === undefined ? undefined : 'invalid_request');
    const { token, dpop } = presented;
    const claims = await this.tokens.readLive(token);
    const jkt = (claims?.cnf as { jkt?: unknown } | undefined)?.jkt;
    // A DPoP-bound token never works as a bearer token (no downgrade), and its proof must be by its key.
    if (claims && (jkt !== undefined || dpop)) {
      const challenge = { algs: this.proofs.algorithms };
      if (typeof jkt !== 'string' || !dpop) throw new BearerError(dpop ? 'invalid_dpop_proof' : 'invalid_token', challenge);
      try {
        await this.proofs.check(request.headers.dpop, request.method, token, jkt);
      } catch (error: unknown) {
        if (error instanceof InvalidDpopProofError) throw new BearerError('invalid_dpop_proof', challenge);
        throw error;
      }
    }
    const user = typeof claims?.sub === 'string' && typeof claims.sid === 'string' ? await this.users.findActive(claims.sub) : undefined;
    if (!claims || !user) throw new BearerError('invalid_token');
    const scope = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
    if (!scope.includes('openid')) throw new BearerError('insufficient_scope');
    return { sub: user.id, ...(scope.includes('profile') ? { preferred_username: user.username } : {}) };
  }
}
