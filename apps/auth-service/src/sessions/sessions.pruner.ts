import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock.js';
import { every } from '../common/periodic-task.js';
import { SessionsRepository } from './sessions.repository.js';

const PRUNE_INTERVAL_MS = 10 * 60_000;

/** Deletes ended sessions and expired tokens every ten minutes, so the tables stay the size of the live sessions. */
@Injectable()
export class SessionsPruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SessionsPruner.name);
  private stop?: () => void;

  constructor(
    private readonly repository: SessionsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.stop = every('session pruning', PRUNE_INTERVAL_MS, () => this.prune(), this.logger);
  }

  onApplicationShutdown(): void {
    this.stop?.();
  }

  async prune(): Promise<number> {
    const deleted = await this.repository.prune(this.clock.now());
    if (deleted > 0) this.logger.debug(`pruned ${deleted} ended sessions and expired refresh tokens`);
    return deleted;
  }
}
