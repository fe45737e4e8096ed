import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../time/clock.js';
import { Pruner } from '../time/pruner.js';
import { ThrottleRepository } from './throttle.repository.js';

/** Forgotten throttle counters, every ten minutes (guessed usernames would otherwise pile up). */
@Injectable()
export class ThrottlePruner extends Pruner {
  constructor(counters: ThrottleRepository, @Inject(CLOCK) clock: Clock) {
    super('throttle counter', 10 * 60_000, counters, clock);
  }
}
