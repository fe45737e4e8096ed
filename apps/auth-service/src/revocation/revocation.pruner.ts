import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../time/clock.js';
import { Pruner } from '../time/pruner.js';
import { RevocationRepository } from './revocation.repository.js';

/** Expired feed entries, every minute, so the feed holds the revocations of one token lifetime. */
@Injectable()
export class RevocationPruner extends Pruner {
  constructor(repository: RevocationRepository, @Inject(CLOCK) clock: Clock) {
    super('revocation feed', 60_000, repository, clock);
  }
}
