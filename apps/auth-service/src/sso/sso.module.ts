import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module.js';
import { SsoSessionRepository } from './sso-session.repository.js';
import { SsoSessionsPruner } from './sso-sessions.pruner.js';
import { SsoSessionsService } from './sso-sessions.service.js';

/** Single sign-on sessions of the hosted pages; ending one ends its app sessions. State in the shared database. */
@Module({
  imports: [SessionsModule],
  providers: [SsoSessionRepository, SsoSessionsService, SsoSessionsPruner],
  exports: [SsoSessionsService],
})
export class SsoModule {}
