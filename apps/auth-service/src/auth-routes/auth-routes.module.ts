import { Module } from '@nestjs/common';
import { OAuthModule } from '../oauth/oauth.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { ThrottlingModule } from '../throttling/throttling.module.js';
import { UsersModule } from '../users/users.module.js';
import { AuthController } from './auth.controller.js';
import { RegistrationEnabledGuard } from './registration.guard.js';

/** The `/auth/*` JSON routes: a thin adapter over the grants of `oauth/`, acting for the built-in `default` client. */
@Module({
  imports: [OAuthModule, UsersModule, SessionsModule, ThrottlingModule],
  controllers: [AuthController],
  providers: [RegistrationEnabledGuard],
})
export class AuthRoutesModule {}
