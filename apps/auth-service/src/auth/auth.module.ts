import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module.js';
import { KeysModule } from '../keys/keys.module.js';
import { RevocationModule } from '../revocation/revocation.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { ThrottlingModule } from '../throttling/throttling.module.js';
import { UsersModule } from '../users/users.module.js';
import { AccessTokenReader } from './access-token-reader.js';
import { AuthController } from './auth.controller.js';
import { RegistrationEnabledGuard } from './registration.guard.js';
import { TokenGrantsService } from './token-grants.service.js';
import { TokenRevocation } from './token-revocation.service.js';
import { TokenService } from './token.service.js';

@Module({
  imports: [UsersModule, KeysModule, SessionsModule, ThrottlingModule, ClientsModule, RevocationModule],
  controllers: [AuthController],
  providers: [TokenService, TokenGrantsService, RegistrationEnabledGuard, AccessTokenReader, TokenRevocation],
  exports: [TokenService, TokenGrantsService, AccessTokenReader, TokenRevocation],
})
export class AuthModule {}
