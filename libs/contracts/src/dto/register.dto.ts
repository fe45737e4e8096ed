import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { USERNAME_MESSAGE, USERNAME_PATTERN } from './login.dto.js';
import { IsNewPassword } from './password.js';

/** Body of `POST /auth/register` (only when REGISTRATION_ENABLED=true). */
export class RegisterRequestDto {
  @ApiProperty({ example: 'alice', pattern: USERNAME_PATTERN.source, maxLength: 64 })
  @IsString()
  @Matches(USERNAME_PATTERN, { message: USERNAME_MESSAGE })
  username!: string;

  @ApiProperty({ example: 'correct horse battery staple', minLength: 8, format: 'password' })
  @IsString()
  @IsNewPassword()
  password!: string;
}

export class RegisteredUserDto {
  @ApiProperty({ example: '4f1c2b7e-0a9d-4e0b-9a43-2f3c1d5e6a7b' })
  id!: string;

  @ApiProperty({ example: 'alice' })
  username!: string;
}
