import { Module } from '@nestjs/common';
import { DemoUserInitializer } from './demo-user.initializer.js';
import { DummyHashes } from './dummy-hashes.js';
import { PasswordHasher } from './password-hasher.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

@Module({
  providers: [PasswordHasher, UsersRepository, DummyHashes, UsersService, DemoUserInitializer],
  exports: [UsersService],
})
export class UsersModule {}
