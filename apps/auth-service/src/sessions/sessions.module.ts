import { Module } from '@nestjs/common';
import { RevocationModule } from '../revocation/revocation.module.js';
import { SessionsPruner } from './sessions.pruner.js';
import { SessionsRepository } from './sessions.repository.js';
import { SessionsService } from './sessions.service.js';

/** Refresh-token sessions: start, rotate, revoke (ending one writes the revocation feed); state in the shared database. */
@Module({
  imports: [RevocationModule],
  providers: [SessionsRepository, SessionsService, SessionsPruner],
  exports: [SessionsService],
})
export class SessionsModule {}
