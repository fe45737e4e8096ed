import { MAX_TOKEN_LENGTH } from '../algorithms.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * A refresh token is 50 characters. The bound is far above it so that an access token sent by mistake
 * (a JWS of one to two thousand characters) is answered `invalid_grant`, like any other wrong token;
 * anything longer is refused by validation before any lookup.
 */
export const REFRESH_TOKEN_MAX_LENGTH = 4096;
/** Any token RFC 7009 revocation may receive: a refresh token or an access token (JWS). */
export const REVOCABLE_TOKEN_MAX_LENGTH = MAX_TOKEN_LENGTH;

/** Body of `POST /auth/refresh` and `POST /auth/logout`. */
export class RefreshTokenRequestDto {
  @ApiProperty({ description: 'The refresh token of the last login or refresh', example: 'nts_rt_Qm9vZ...', maxLength: REFRESH_TOKEN_MAX_LENGTH })
  @IsString()
  @IsNotEmpty()
  @MaxLength(REFRESH_TOKEN_MAX_LENGTH)
  refresh_token!: string;
}

/** Body of `POST /auth/revoke` (RFC 7009 2.1), JSON or application/x-www-form-urlencoded. */
export class RevokeRequestDto {
  @ApiProperty({ description: 'The token to revoke (a refresh token ends its session)', example: 'nts_rt_Qm9vZ...', maxLength: REVOCABLE_TOKEN_MAX_LENGTH })
  @IsString()
  @IsNotEmpty()
  @MaxLength(REVOCABLE_TOKEN_MAX_LENGTH)
  token!: string;

  /** A hint only (RFC 7009 2.1): every token type is searched whatever it says. */
  @ApiPropertyOptional({ example: 'refresh_token', maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  token_type_hint?: string;

  /** Public OAuth clients send their id; there is no client authentication to check it against. */
  @ApiPropertyOptional({ description: 'Accepted and ignored (public clients)', maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  client_id?: string;
}
