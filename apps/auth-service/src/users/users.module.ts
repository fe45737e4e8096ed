import { Module } from '@nestjs/common';
import { DemoUserInitializer } from './demo-user.initializer.js';
import { PasswordHasher } from './password-hasher.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

@Module({
  providers: [PasswordHasher, UsersRepository, UsersService, DemoUserInitializer],
  exports: [UsersService],
})
export class UsersModule {}
