import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '../time/clock.js';
import { PeriodicTask } from '../time/periodic-task.js';
import { ThrottleRepository } from './throttle.repository.js';

const PRUNE_INTERVAL_MS = 10 * 60_000;

/** Deletes forgotten counters every ten minutes (guessed usernames would otherwise pile up). */
@Injectable()
export class ThrottlePruner extends PeriodicTask {
  protected readonly logger = new Logger(ThrottlePruner.name);

  constructor(
    private readonly counters: ThrottleRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super('throttle counter pruning', PRUNE_INTERVAL_MS);
  }

  /** Deletes the counters forgotten by now; returns the rows deleted. */
  run(): Promise<number> {
    return this.counters.prune(this.clock.now());
  }
}
