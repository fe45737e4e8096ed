import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../time/clock.js';
import { Pruner } from '../time/pruner.js';
import { SsoSessionRepository } from './sso-session.repository.js';

/** Ended and expired single sign-on sessions, every ten minutes. */
@Injectable()
export class SsoSessionsPruner extends Pruner {
  constructor(repository: SsoSessionRepository, @Inject(CLOCK) clock: Clock) {
    super('SSO session', 10 * 60_000, repository, clock);
  }
}
