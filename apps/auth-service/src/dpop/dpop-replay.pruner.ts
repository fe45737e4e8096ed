import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../time/clock.js';
import { Pruner } from '../time/pruner.js';
import { DpopReplayRepository } from './dpop-replay.repository.js';

/** Expired DPoP `jti` records, every minute: the table holds about one proof window of proofs. */
@Injectable()
export class DpopReplayPruner extends Pruner {
  constructor(repository: DpopReplayRepository, @Inject(CLOCK) clock: Clock) {
    super('DPoP replay', 60_000, repository, clock);
  }
}
