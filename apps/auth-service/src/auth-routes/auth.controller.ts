import { LoginRequestDto, RefreshTokenRequestDto, RegisteredUserDto, RegisterRequestDto, RevokeRequestDto, TokenResponseDto } from '@app/contracts';
import { ApiErrorResponses } from '@app/observability';
import { Body, Controller, Header, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBody, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DEFAULT_CLIENT_ID } from '../clients/client.entity.js';
import { TooManyRequestsException } from '../http/too-many-requests.exception.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { ClientAddressResolver } from '../throttling/client-address.js';
import { LoginThrottle } from '../throttling/login-throttle.service.js';
import { UsersService } from '../users/users.service.js';
import { RegistrationEnabledGuard } from './registration.guard.js';
import { TokenRevocation } from '../oauth/token-revocation.service.js';
import { TokenGrantsService } from '../oauth/token-grants.service.js';
import { InvalidRefreshTokenError } from '../oauth/grant-errors.js';
import { ApiInvalidRefreshToken } from './api-responses.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly users: UsersService,
    private readonly grants: TokenGrantsService,
    private readonly sessions: SessionsService,
    private readonly throttle: LoginThrottle,
    private readonly addresses: ClientAddressResolver,
    private readonly revocation: TokenRevocation,
  ) {}

  /**
   * Resource-owner password login: one body for unknown user and wrong password, and one 429 for a
   * locked account or address, whether or not the account exists.
   */
  @Post('login')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @ApiOperation({ summary: 'Log in with username and password; returns an access token and a refresh token' })
  @ApiOkResponse({ type: TokenResponseDto, description: 'Signed access token and a new session (Cache-Control: no-store)' })
  @ApiErrorResponses(400, 401, 413, 429, 503)
  async login(@Body() body: LoginRequestDto, @Req() request: FastifyRequest): Promise<TokenResponseDto> {
    return this.grants.login(await this.grants.checkPassword(body.username, body.password, this.clientAddress(request)));
  }

  /** Exchanges a refresh token (single use) for a new access token and a new refresh token. */
  @Post('refresh')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @ApiOperation({ summary: 'Exchange a refresh token (single use) for a new access token and refresh token' })
  @ApiOkResponse({ type: TokenResponseDto, description: 'A new pair; the refresh token sent is now used' })
  @ApiInvalidRefreshToken()
  @ApiErrorResponses(413, 503)
  async refresh(@Body() body: RefreshTokenRequestDto): Promise<TokenResponseDto> {
    return this.grants.refreshOrRefuse(body.refresh_token);
  }

  /**
   * Ends the session the refresh token belongs to; its access tokens are refused by every verifier
   * within the revocation feed's poll interval (docs/revocation.md).
   */
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Log out: end the session the refresh token belongs to' })
  @ApiNoContentResponse({ description: 'The session is ended' })
  @ApiInvalidRefreshToken()
  @ApiErrorResponses(413, 503)
  async logout(@Body() body: RefreshTokenRequestDto): Promise<void> {
    // Acts for `default`: another client's refresh token is answered as an unknown one, and stays valid.
    if (!(await this.sessions.revoke(body.refresh_token, 'logout', DEFAULT_CLIENT_ID))) throw new InvalidRefreshTokenError('nothing to log out');
  }

  /**
   * RFC 7009 revocation for the `default` client, JSON or form-encoded: a refresh token of `default`
   * ends its session, an access token issued to `default` enters the revocation feed; anything else,
   * another client's token included, changes nothing and is answered 200 (docs/oauth.md "Revocation").
   */
  @Post('revoke')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'RFC 7009 token revocation (JSON or application/x-www-form-urlencoded)' })
  @ApiBody({ type: RevokeRequestDto })
  @ApiOkResponse({ description: 'Always 200 for a well-formed request, whether or not the token was known' })
  @ApiErrorResponses(400, 413, 503)
  async revoke(@Body() body: RevokeRequestDto): Promise<void> {
    await this.revocation.revoke(body.token, DEFAULT_CLIENT_ID);
  }

  /** Self-registration, only with REGISTRATION_ENABLED=true; throttled per client address. */
  @Post('register')
  @UseGuards(RegistrationEnabledGuard)
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Self-registration (only with REGISTRATION_ENABLED=true; 404 otherwise)' })
  @ApiCreatedResponse({ type: RegisteredUserDto, description: 'The user was created' })
  @ApiConflictResponse({
    description: 'The username is taken',
    schema: { example: { statusCode: 409, error: 'Conflict', code: 'ERR_USERNAME_TAKEN', message: 'username is taken' } },
  })
  @ApiErrorResponses(400, 404, 413, 429, 503)
  async register(@Body() body: RegisterRequestDto, @Req() request: FastifyRequest): Promise<RegisteredUserDto> {
    const waitMs = await this.throttle.beforeRegister(this.clientAddress(request));
    if (waitMs > 0) throw new TooManyRequestsException(waitMs);
    const user = await this.users.create(body.username, body.password);
    return { id: user.id, username: user.username };
  }

  private clientAddress(request: FastifyRequest): string {
    return this.addresses.resolve(request.socket.remoteAddress, request.headers['x-forwarded-for']);
  }
}
