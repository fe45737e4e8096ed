import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { every } from '../time/periodic-task.js';
import { RevocationService } from './revocation.service.js';

const PRUNE_INTERVAL_MS = 60_000;

/** Deletes expired feed entries every minute, so the feed holds the revocations of one token lifetime. */
@Injectable()
export class RevocationPruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RevocationPruner.name);
  private stop?: () => void;

  constructor(private readonly revocations: RevocationService) {}

  onApplicationBootstrap(): void {
    this.stop = every('revocation feed pruning', PRUNE_INTERVAL_MS, () => this.prune(), this.logger);
  }

  onApplicationShutdown(): void {
    this.stop?.();
  }

  async prune(): Promise<number> {
    const deleted = await this.revocations.prune();
    if (deleted > 0) this.logger.debug(`pruned ${deleted} expired revocation feed entries`);
    return deleted;
  }
}
