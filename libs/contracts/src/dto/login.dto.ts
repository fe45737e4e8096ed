import { IsByteLength, IsString, Matches, MinLength } from 'class-validator';
import { PASSWORD_MAX_BYTES } from './password.js';

export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
export const USERNAME_MESSAGE = 'username must be 1-64 letters, digits or . _ @ -, starting with a letter or digit';

/** Login takes any non-empty password up to the byte bound: the length rule applies when a password is set. */
export class LoginRequestDto {
  @IsString()
  @Matches(USERNAME_PATTERN, { message: USERNAME_MESSAGE })
  username!: string;

  @IsString()
  @MinLength(1)
  @IsByteLength(0, PASSWORD_MAX_BYTES, { message: `password must be at most ${PASSWORD_MAX_BYTES} bytes (UTF-8)` })
  password!: string;
}

/** The answer of login and refresh: an access token and the refresh token that replaces the one sent. */
export class TokenResponseDto {
  access_token!: string;
  token_type!: 'Bearer';
  /** Seconds until the access token expires. */
  expires_in!: number;
  scope!: string;
  /** Opaque, single use: send it to `/auth/refresh` once, then keep the one that comes back. */
  refresh_token!: string;
  /** Seconds until the refresh token expires unless used (never past the session's absolute end). */
  refresh_expires_in!: number;
}
