import { IsString, Matches } from 'class-validator';
import { USERNAME_MESSAGE, USERNAME_PATTERN } from './login.dto.js';
import { IsNewPassword } from './password.js';

/** Body of `POST /auth/register` (only when REGISTRATION_ENABLED=true). */
export class RegisterRequestDto {
  @IsString()
  @Matches(USERNAME_PATTERN, { message: USERNAME_MESSAGE })
  username!: string;

  @IsString()
  @IsNewPassword()
  password!: string;
}

export class RegisteredUserDto {
  id!: string;
  username!: string;
}
