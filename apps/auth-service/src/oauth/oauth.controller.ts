import { OAuthErrorResponseDto, OAuthTokenRequestDto, OAuthTokenResponseDto, TokenRequestDto } from '@app/contracts';
import { ApiErrorResponses } from '@app/observability';
import { Body, Controller, Header, Headers, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBasicAuth, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TokenEndpointProofs } from '../dpop/token-endpoint-proofs.js';
import { CONFIDENTIAL_GRANTS, isGrantType } from '../clients/client.entity.js';
import { TokenRevocation } from './token-revocation.service.js';
import { ClientAddressResolver } from '../throttling/client-address.js';
import { ClientAuthenticator } from './client-authentication.js';
import { GRANT_HANDLERS, type GrantHandler } from './grants/grant-handler.js';
import { type Introspection, IntrospectionService } from './introspection.service.js';
import { invalidClient, OAuthError } from './oauth.error.js';

const FORM = 'application/x-www-form-urlencoded';

/** RFC 6749 token endpoint, RFC 7009 revocation, RFC 7662 introspection; errors in RFC 6749 5.2 shape. */
@ApiTags('oauth')
@ApiBasicAuth()
@Controller('oauth')
export class OAuthController {
  private readonly handlers: Map<string, GrantHandler>;

  constructor(
    @Inject(GRANT_HANDLERS) handlers: GrantHandler[],
    private readonly authenticator: ClientAuthenticator,
    private readonly revocation: TokenRevocation,
    private readonly introspection: IntrospectionService,
    private readonly addresses: ClientAddressResolver,
    private readonly proofs: TokenEndpointProofs,
  ) {
    this.handlers = new Map(handlers.map((h) => [h.grantType, h]));
  }

  @Post('token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @ApiConsumes(FORM, 'application/json')
  @ApiOperation({
    summary:
      'RFC 6749 token endpoint: password, refresh_token, client_credentials and RFC 8693 token-exchange grants; a DPoP header (RFC 9449) binds the tokens to its key',
  })
  @ApiOkResponse({ type: OAuthTokenResponseDto, description: 'An access token (and, for user grants, a refresh token); Cache-Control: no-store' })
  @ApiBadRequestResponse({ type: OAuthErrorResponseDto, description: 'RFC 6749 5.2 error' })
  @ApiUnauthorizedResponse({ type: OAuthErrorResponseDto, description: 'invalid_client (WWW-Authenticate: Basic when Basic was used)' })
  @ApiErrorResponses(413, 429, 503)
  async token(
    @Body() body: TokenRequestDto,
    @Headers('authorization') authorization: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OAuthTokenResponseDto> {
    const { client } = await this.authenticator.authenticate(authorization, body);
    const handler = this.handlers.get(body.grant_type);
    if (!handler || !isGrantType(body.grant_type))
      throw new OAuthError('unsupported_grant_type', `grant_type must be one of ${[...this.handlers.keys()].join(', ')}`);
    if (!client.grantTypes.includes(handler.grantType) || (client.public && CONFIDENTIAL_GRANTS.includes(handler.grantType))) {
      throw new OAuthError('unauthorized_client', `this client may not use the ${handler.grantType} grant`);
    }
    // After the client and its grant are known good, before the grant reads anything (docs/dpop.md).
    const dpop = await this.proofs.bindingOf(request, client);
    if (dpop !== undefined) {
      // RFC 9449 §8.2: the next nonce with every answer to a proof, so the client need not be refused for it.
      const nonce = await this.proofs.currentNonce();
      if (nonce !== undefined) reply.header('dpop-nonce', nonce);
    }
    const address = this.addresses.resolve(request.socket.remoteAddress, request.headers['x-forwarded-for']);
    return handler.handle({ client, body, address, dpop });
  }

  /**
   * RFC 7009: a refresh token of this client ends its session, an access token issued to this client
   * enters the revocation feed (docs/revocation.md); anything else is answered 200 as the RFC requires.
   */
  @Post('revoke')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @ApiConsumes(FORM, 'application/json')
  @ApiOperation({ summary: 'RFC 7009 token revocation (client-authenticated; public clients with client_id)' })
  @ApiOkResponse({ description: 'Always 200 for an authenticated, well-formed request, whether or not the token was known' })
  @ApiBadRequestResponse({ type: OAuthErrorResponseDto, description: 'invalid_request (RFC 6749 5.2)' })
  @ApiUnauthorizedResponse({ type: OAuthErrorResponseDto, description: 'invalid_client' })
  @ApiErrorResponses(413, 503)
  async revoke(@Body() body: OAuthTokenRequestDto, @Headers('authorization') authorization: string | undefined): Promise<void> {
    const { client } = await this.authenticator.authenticate(authorization, body);
    await this.revocation.revoke(body.token, client.id);
  }

  /** RFC 7662, for confidential clients (resource servers, gateways). */
  @Post('introspect')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @ApiConsumes(FORM, 'application/json')
  @ApiOperation({ summary: 'RFC 7662 token introspection (confidential clients)' })
  @ApiOkResponse({ description: '`{"active": false}` for an expired, revoked, unknown or foreign token; the claims for an active one' })
  @ApiBadRequestResponse({ type: OAuthErrorResponseDto, description: 'invalid_request (RFC 6749 5.2)' })
  @ApiUnauthorizedResponse({ type: OAuthErrorResponseDto, description: 'invalid_client' })
  @ApiErrorResponses(413, 503)
  async introspect(@Body() body: OAuthTokenRequestDto, @Headers('authorization') authorization: string | undefined): Promise<Introspection> {
    const { client, method } = await this.authenticator.authenticate(authorization, body);
    if (method === 'none') throw invalidClient(false);
    return this.introspection.introspect(body.token, client);
  }
}
