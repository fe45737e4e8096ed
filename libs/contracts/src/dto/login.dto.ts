import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MinLength } from 'class-validator';
import { IsAtMostUtf8Bytes, PASSWORD_MAX_BYTES } from './password.js';

export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
export const USERNAME_MESSAGE = 'username must be 1-64 letters, digits or . _ @ -, starting with a letter or digit';

/** Login takes any non-empty password up to the byte bound: the length rule applies when a password is set. */
export class LoginRequestDto {
  @ApiProperty({ example: 'testuser', pattern: USERNAME_PATTERN.source, maxLength: 64 })
  @IsString()
  @Matches(USERNAME_PATTERN, { message: USERNAME_MESSAGE })
  username!: string;

  @ApiProperty({
    example: 'password',
    minLength: 1,
    maxLength: PASSWORD_MAX_BYTES,
    format: 'password',
    description: `At most ${PASSWORD_MAX_BYTES} bytes of UTF-8`,
  })
  @IsString()
  @MinLength(1)
  @IsAtMostUtf8Bytes(PASSWORD_MAX_BYTES)
  password!: string;
}

/** The answer of login and refresh: an access token and the refresh token that replaces the one sent. */
export class TokenResponseDto {
  @ApiProperty({ description: 'A JWS (RFC 9068 at+jwt) signed by the auth-service', example: 'eyJhbGciOiJSUzI1NiIsImtpZCI6Ik5fM3Z...' })
  access_token!: string;

  @ApiProperty({
    enum: ['Bearer', 'DPoP'],
    example: 'Bearer',
    description: '`DPoP` when the request carried a DPoP proof (RFC 9449): the token is bound to its key',
  })
  token_type!: 'Bearer' | 'DPoP';

  /** Seconds until the access token expires. */
  @ApiProperty({ description: 'Seconds until the access token expires', example: 900 })
  expires_in!: number;

  @ApiProperty({ description: 'Space-separated scopes granted', example: 'profile resource:read' })
  scope!: string;

  /** Opaque, single use: send it to `/auth/refresh` once, then keep the one that comes back. */
  @ApiProperty({ description: 'Opaque, single-use refresh token (256 random bits); rotated on every refresh', example: 'nts_rt_Qm9vZ...' })
  refresh_token!: string;

  /** Seconds until the refresh token expires unless used (never past the session's absolute end). */
  @ApiProperty({ description: "Seconds until the refresh token expires unless used (never past the session's absolute end)", example: 2592000 })
  refresh_expires_in!: number;
}
