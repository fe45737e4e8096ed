import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../time/clock.js';
import { Pruner } from '../time/pruner.js';
import { SsoSessionsService } from './sso-sessions.service.js';

/** Ended and expired single sign-on sessions, every ten minutes (ending what an interrupted logout left live). */
@Injectable()
export class SsoSessionsPruner extends Pruner {
  constructor(sessions: SsoSessionsService, @Inject(CLOCK) clock: Clock) {
    super('SSO session', 10 * 60_000, sessions, clock);
  }
}
