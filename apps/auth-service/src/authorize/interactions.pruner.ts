import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../time/clock.js';
import { Pruner } from '../time/pruner.js';
import { InteractionRepository } from './interaction.repository.js';

/** Abandoned sign-in and consent pages, every ten minutes. */
@Injectable()
export class InteractionsPruner extends Pruner {
  constructor(repository: InteractionRepository, @Inject(CLOCK) clock: Clock) {
    super('interaction', 10 * 60_000, repository, clock);
  }
}
