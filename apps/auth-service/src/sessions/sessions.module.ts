import { Module } from '@nestjs/common';
import { SessionsPruner } from './sessions.pruner.js';
import { SessionsRepository } from './sessions.repository.js';
import { SessionsService } from './sessions.service.js';

/** Refresh-token sessions: start, rotate, revoke; state in the shared database. */
@Module({
  providers: [SessionsRepository, SessionsService, SessionsPruner],
  exports: [SessionsService],
})
export class SessionsModule {}
