import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../time/clock.js';
import { Pruner } from '../time/pruner.js';
import { SessionsRepository } from './sessions.repository.js';

/** Ended sessions and expired refresh tokens, every ten minutes. */
@Injectable()
export class SessionsPruner extends Pruner {
  constructor(repository: SessionsRepository, @Inject(CLOCK) clock: Clock) {
    super('session', 10 * 60_000, repository, clock);
  }
}
