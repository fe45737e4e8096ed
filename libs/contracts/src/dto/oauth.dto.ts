import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ACCESS_TOKEN_TYPE_URN } from '../claims.js';
import { USERNAME_MESSAGE, USERNAME_PATTERN } from './login.dto.js';
import { REFRESH_TOKEN_MAX_LENGTH, RevokeRequestDto } from './session.dto.js';

/** Longest `subject_token`/`actor_token` read: ours are about 900 characters (an `act` chain adds a little). */
export const TOKEN_EXCHANGE_MAX_LENGTH = 8192;

/** Client id and secret, when sent in the body (`client_secret_post`, or `none` with `client_id` alone). */
class ClientCredentialsFields {
  @ApiPropertyOptional({ description: 'client_secret_post / none: the client id', maxLength: 128 })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  client_id?: string;

  @ApiPropertyOptional({ description: 'client_secret_post: the client secret (prefer HTTP Basic)', maxLength: 256, format: 'password' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  client_secret?: string;
}

/** Body of `POST /oauth/token` (RFC 6749 4.3, 4.4, 6; RFC 8707), form-encoded or JSON. */
export class TokenRequestDto extends ClientCredentialsFields {
  @ApiProperty({
    enum: ['password', 'refresh_token', 'client_credentials', 'authorization_code', 'urn:ietf:params:oauth:grant-type:token-exchange'],
    example: 'client_credentials',
    maxLength: 128,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  grant_type!: string;

  @ApiPropertyOptional({ description: 'password grant', example: 'testuser', pattern: USERNAME_PATTERN.source, maxLength: 64 })
  @IsOptional()
  @IsString()
  @Matches(USERNAME_PATTERN, { message: USERNAME_MESSAGE })
  username?: string;

  @ApiPropertyOptional({ description: 'password grant', format: 'password', maxLength: 1024 })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  password?: string;

  @ApiPropertyOptional({ description: 'refresh_token grant', example: 'nts_rt_Qm9vZ...', maxLength: REFRESH_TOKEN_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(REFRESH_TOKEN_MAX_LENGTH)
  refresh_token?: string;

  @ApiPropertyOptional({ description: 'authorization_code grant: the code from the redirect', maxLength: 128 })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  code?: string;

  @ApiPropertyOptional({ description: 'authorization_code grant: the redirect_uri of the authorization request', maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  redirect_uri?: string;

  @ApiPropertyOptional({ description: 'authorization_code grant: the PKCE code verifier (RFC 7636)', maxLength: 128 })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  code_verifier?: string;

  @ApiPropertyOptional({ description: 'Space-separated scopes, within what the client (and the user) may have', example: 'resource:read', maxLength: 1024 })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  scope?: string;

  @ApiPropertyOptional({ description: 'RFC 8707 resource indicator: the audience of the token (one)', example: 'resource-service', maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  resource?: string;

  @ApiPropertyOptional({ description: 'The audience of the token, as `resource` (one of the two)', example: 'resource-service', maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  audience?: string;

  @ApiPropertyOptional({ description: 'token exchange (RFC 8693): the access token the caller received', maxLength: TOKEN_EXCHANGE_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(TOKEN_EXCHANGE_MAX_LENGTH)
  subject_token?: string;

  @ApiPropertyOptional({ description: 'token exchange: only `urn:ietf:params:oauth:token-type:access_token`', example: ACCESS_TOKEN_TYPE_URN, maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  subject_token_type?: string;

  @ApiPropertyOptional({ description: 'token exchange: not supported (refused with invalid_request)', maxLength: TOKEN_EXCHANGE_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(TOKEN_EXCHANGE_MAX_LENGTH)
  actor_token?: string;

  @ApiPropertyOptional({ description: 'token exchange: not supported (refused with invalid_request)', maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  actor_token_type?: string;

  @ApiPropertyOptional({ description: 'token exchange: only `urn:ietf:params:oauth:token-type:access_token` (the default)', maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  requested_token_type?: string;
}

/**
 * Body of `POST /oauth/revoke` (RFC 7009) and `POST /oauth/introspect` (RFC 7662): the `/auth/revoke`
 * body (`token`, `token_type_hint`) plus the body client credentials; one definition of each field.
 */
export class OAuthTokenRequestDto extends IntersectionType(RevokeRequestDto, ClientCredentialsFields) {}

/** The answer of `POST /oauth/token` (RFC 6749 5.1); no refresh token for client credentials or token exchange. */
export class OAuthTokenResponseDto {
  @ApiProperty({ description: 'A JWS (RFC 9068 at+jwt)' })
  access_token!: string;

  @ApiProperty({ enum: ['Bearer', 'DPoP'], description: '`DPoP` when the request carried a DPoP proof (RFC 9449): the token is bound to its key' })
  token_type!: 'Bearer' | 'DPoP';

  @ApiProperty({ example: 900 })
  expires_in!: number;

  @ApiProperty({ example: 'resource:read' })
  scope!: string;

  @ApiPropertyOptional({ description: 'password and refresh_token grants only' })
  refresh_token?: string;

  @ApiPropertyOptional({ description: 'password and refresh_token grants only' })
  refresh_expires_in?: number;

  @ApiPropertyOptional({ description: 'token exchange only (RFC 8693 2.2.1)', enum: [ACCESS_TOKEN_TYPE_URN] })
  issued_token_type?: string;
  @ApiPropertyOptional({ description: 'authorization_code grant with the openid scope: the OpenID Connect ID token (typ JWT)' })
  id_token?: string;
}

/** RFC 6749 5.2 error answer of the `/oauth/*` routes. */
export class OAuthErrorResponseDto {
  @ApiProperty({
    enum: ['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope', 'invalid_target'],
  })
  error!: string;

  @ApiProperty({ example: 'client authentication failed' })
  error_description!: string;
}
