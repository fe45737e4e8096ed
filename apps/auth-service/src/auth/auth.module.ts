import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module.js';
import { UsersModule } from '../users/users.module.js';
import { AuthController } from './auth.controller.js';
import { TokenService } from './token.service.js';

@Module({
  imports: [UsersModule, KeysModule],
  controllers: [AuthController],
  providers: [TokenService],
})
export class AuthModule {}
