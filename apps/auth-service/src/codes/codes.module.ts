import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module.js';
import { AuthorizationCodeRepository } from './authorization-code.repository.js';
import { AuthorizationCodesPruner } from './authorization-codes.pruner.js';
import { AuthorizationCodesService } from './authorization-codes.service.js';

/** Authorization codes, in the shared database; a reused one ends the app session it started. */
@Module({
  imports: [SessionsModule],
  providers: [AuthorizationCodeRepository, AuthorizationCodesService, AuthorizationCodesPruner],
  exports: [AuthorizationCodesService],
})
export class CodesModule {}
