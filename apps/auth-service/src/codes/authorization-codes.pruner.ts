import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../time/clock.js';
import { Pruner } from '../time/pruner.js';
import { AuthorizationCodeRepository } from './authorization-code.repository.js';

/** Authorization codes long past their life, every ten minutes. */
@Injectable()
export class AuthorizationCodesPruner extends Pruner {
  constructor(repository: AuthorizationCodeRepository, @Inject(CLOCK) clock: Clock) {
    super('authorization code', 10 * 60_000, repository, clock);
  }
}
