import { Module } from '@nestjs/common';
import { RevocationController } from './revocation.controller.js';
import { RevocationPruner } from './revocation.pruner.js';
import { RevocationRecorder } from './revocation-recorder.js';
import { RevocationRepository } from './revocation.repository.js';
import { RevocationService } from './revocation.service.js';

/** The revocation feed: entries written by whatever revokes, served at `/oauth/revocations`, pruned once expired. */
@Module({
  controllers: [RevocationController],
  providers: [RevocationRepository, RevocationRecorder, RevocationService, RevocationPruner],
  exports: [RevocationService, RevocationRecorder],
})
export class RevocationModule {}
