import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';

/** Longest password accepted, in characters; bounds the hashing work an anonymous caller can cause. */
export const PASSWORD_MAX_LENGTH = 1024;
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export class LoginRequestDto {
  @ApiProperty({ example: 'testuser', pattern: USERNAME_PATTERN.source, maxLength: 64 })
  @IsString()
  @Matches(USERNAME_PATTERN, { message: 'username must be 1-64 letters, digits or . _ @ -, starting with a letter or digit' })
  username!: string;

  @ApiProperty({ example: 'password', minLength: 1, maxLength: PASSWORD_MAX_LENGTH, format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;
}

export class TokenResponseDto {
  @ApiProperty({ description: 'A JWS (RFC 9068 at+jwt) signed by the auth-service', example: 'eyJhbGciOiJSUzI1NiIsImtpZCI6Ik5fM3Z...' })
  access_token!: string;

  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' })
  token_type!: 'Bearer';

  /** Seconds until the access token expires. */
  @ApiProperty({ description: 'Seconds until the access token expires', example: 900 })
  expires_in!: number;

  @ApiProperty({ description: 'Space-separated scopes granted', example: 'profile resource:read' })
  scope!: string;
}
