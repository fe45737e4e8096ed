import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '../time/clock.js';
import { PeriodicTask } from '../time/periodic-task.js';
import { SessionsRepository } from './sessions.repository.js';

const PRUNE_INTERVAL_MS = 10 * 60_000;

/** Deletes ended sessions and expired tokens every ten minutes, so the tables stay the size of the live sessions. */
@Injectable()
export class SessionsPruner extends PeriodicTask {
  protected readonly logger = new Logger(SessionsPruner.name);

  constructor(
    private readonly repository: SessionsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super('session pruning', PRUNE_INTERVAL_MS);
  }

  /** Deletes what has ended by now; returns the rows deleted. */
  async run(): Promise<number> {
    const deleted = await this.repository.prune(this.clock.now());
    if (deleted > 0) this.logger.debug(`pruned ${deleted} ended sessions and expired refresh tokens`);
    return deleted;
  }
}
