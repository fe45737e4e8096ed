import { Logger } from '@nestjs/common';
import type { Clock } from './clock.js';
import { PeriodicTask } from './periodic-task.js';

/** A table that forgets what has ended: deletes the rows expired at `now` and returns how many. */
export interface Prunable {
  prune(now: number): Promise<number>;
}

/**
 * Prunes one table every `intervalMs` from application start until shutdown, so it stays the size
 * of what is live. Each table's pruner is a subclass only so that it can be injected and named.
 */
export abstract class Pruner extends PeriodicTask {
  protected readonly logger: Logger;

  protected constructor(
    private readonly what: string,
    intervalMs: number,
    private readonly table: Prunable,
    private readonly clock: Clock,
  ) {
    super(`${what} pruning`, intervalMs);
    this.logger = new Logger(new.target.name);
  }

  /** Deletes what has ended by now; returns the rows deleted. */
  async run(): Promise<number> {
    const deleted = await this.table.prune(this.clock.now());
    if (deleted > 0) this.logger.debug(`pruned ${deleted} ${this.what} rows`);
    return deleted;
  }
}
