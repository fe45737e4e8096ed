import { IsString, Matches, MaxLength, MinLength } from 'class-validator';

/** Longest password accepted, in characters; bounds the hashing work an anonymous caller can cause. */
export const PASSWORD_MAX_LENGTH = 1024;
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export class LoginRequestDto {
  @IsString()
  @Matches(USERNAME_PATTERN, { message: 'username must be 1-64 letters, digits or . _ @ -, starting with a letter or digit' })
  username!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;
}

export class TokenResponseDto {
  access_token!: string;
  token_type!: 'Bearer';
  /** Seconds until the access token expires. */
  expires_in!: number;
  scope!: string;
}
