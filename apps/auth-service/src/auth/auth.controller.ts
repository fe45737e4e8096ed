import {
  ErrorCode,
  IssuerErrorCode,
  LoginRequestDto,
  RefreshTokenRequestDto,
  RegisteredUserDto,
  RegisterRequestDto,
  RevokeRequestDto,
  TokenResponseDto,
} from '@app/contracts';
import { BadRequestException, Body, ConflictException, Controller, Header, HttpCode, Post, Req, UnauthorizedException, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { TooManyRequestsException } from '../common/too-many-requests.exception.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { ClientAddressResolver } from '../throttling/client-address.js';
import { LoginThrottle } from '../throttling/login-throttle.service.js';
import { UsernameTakenError, UsersService } from '../users/users.service.js';
import { RegistrationEnabledGuard } from './registration.guard.js';
import { TokenGrantsService } from './token-grants.service.js';

/** RFC 6749 5.2: one answer for every refresh token that cannot be used, whatever the reason. */
function invalidGrant(): BadRequestException {
  return new BadRequestException({
    error: 'invalid_grant',
    code: IssuerErrorCode.InvalidGrant,
    message: 'The refresh token is invalid, expired or revoked; log in again',
  });
}

@Controller('auth')
export class AuthController {
  constructor(
    private readonly users: UsersService,
    private readonly grants: TokenGrantsService,
    private readonly sessions: SessionsService,
    private readonly throttle: LoginThrottle,
    private readonly addresses: ClientAddressResolver,
  ) {}

  /**
   * Resource-owner password login: one body for unknown user and wrong password, and one 429 for a
   * locked account or address, whether or not the account exists.
   */
  @Post('login')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  async login(@Body() body: LoginRequestDto, @Req() request: FastifyRequest): Promise<TokenResponseDto> {
    const address = this.clientAddress(request);
    const waitMs = await this.throttle.beforeLogin(body.username, address);
    if (waitMs > 0) throw new TooManyRequestsException(waitMs);
    const user = await this.users.authenticate(body.username, body.password);
    if (!user) {
      await this.throttle.loginFailed(address);
      throw new UnauthorizedException({ error: 'Unauthorized', code: ErrorCode.InvalidCredentials, message: 'Invalid username or password' });
    }
    await this.throttle.loginSucceeded(body.username);
    return this.grants.login(user);
  }

  /** Exchanges a refresh token (single use) for a new access token and a new refresh token. */
  @Post('refresh')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  async refresh(@Body() body: RefreshTokenRequestDto): Promise<TokenResponseDto> {
    const result = await this.grants.refresh(body.refresh_token);
    if (result.outcome !== 'rotated') throw invalidGrant();
    return result.tokens;
  }

  /** Ends the session the refresh token belongs to. Access tokens already issued live out their (short) lifetime. */
  @Post('logout')
  @HttpCode(204)
  async logout(@Body() body: RefreshTokenRequestDto): Promise<void> {
    if (!(await this.sessions.revoke(body.refresh_token, 'logout'))) throw invalidGrant();
  }

  /**
   * RFC 7009 revocation, JSON or form-encoded: a refresh token ends its session; anything else (an
   * unknown token, an access token, which cannot be revoked) is answered 200 as the RFC requires.
   */
  @Post('revoke')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async revoke(@Body() body: RevokeRequestDto): Promise<void> {
    await this.sessions.revoke(body.token, 'revocation');
  }

  /** Self-registration, only with REGISTRATION_ENABLED=true; throttled per client address. */
  @Post('register')
  @UseGuards(RegistrationEnabledGuard)
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  async register(@Body() body: RegisterRequestDto, @Req() request: FastifyRequest): Promise<RegisteredUserDto> {
    const waitMs = await this.throttle.beforeRegister(this.clientAddress(request));
    if (waitMs > 0) throw new TooManyRequestsException(waitMs);
    try {
      const user = await this.users.create(body.username, body.password);
      return { id: user.id, username: user.username };
    } catch (error) {
      if (error instanceof UsernameTakenError) {
        throw new ConflictException({ error: 'Conflict', code: IssuerErrorCode.UsernameTaken, message: 'username is taken' });
      }
      throw error;
    }
  }

  private clientAddress(request: FastifyRequest): string {
    return this.addresses.resolve(request.socket.remoteAddress, request.headers['x-forwarded-for']);
  }
}
