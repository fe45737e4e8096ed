import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock.js';
import { every } from '../common/periodic-task.js';
import { ThrottleRepository } from './throttle.repository.js';

const PRUNE_INTERVAL_MS = 10 * 60_000;

/** Deletes forgotten counters every ten minutes (guessed usernames would otherwise pile up). */
@Injectable()
export class ThrottlePruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ThrottlePruner.name);
  private stop?: () => void;

  constructor(
    private readonly counters: ThrottleRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.stop = every('throttle counter pruning', PRUNE_INTERVAL_MS, () => this.prune(), this.logger);
  }

  onApplicationShutdown(): void {
    this.stop?.();
  }

  prune(): Promise<number> {
    return this.counters.prune(this.clock.now());
  }
}
