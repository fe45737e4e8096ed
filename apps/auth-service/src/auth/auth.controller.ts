import { ErrorCode, LoginRequestDto, TokenResponseDto } from '@app/contracts';
import { ApiErrorResponses } from '@app/observability';
import { Body, Controller, Header, HttpCode, Post, UnauthorizedException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UsersService } from '../users/users.service.js';
import { TokenService } from './token.service.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokenService,
  ) {}

  /** Resource-owner password login: one body for unknown user and wrong password. */
  @Post('login')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @ApiOperation({ summary: 'Log in with username and password; returns an access token' })
  @ApiOkResponse({ type: TokenResponseDto, description: 'Signed access token (Cache-Control: no-store)' })
  @ApiErrorResponses(400, 401, 413, 429, 503)
  async login(@Body() body: LoginRequestDto): Promise<TokenResponseDto> {
    const user = await this.users.authenticate(body.username, body.password);
    if (!user) {
      throw new UnauthorizedException({ error: 'Unauthorized', code: ErrorCode.InvalidCredentials, message: 'Invalid username or password' });
    }
    const issued = await this.tokens.issue(user);
    return { access_token: issued.token, token_type: 'Bearer', expires_in: issued.expiresIn, scope: issued.scope };
  }
}
