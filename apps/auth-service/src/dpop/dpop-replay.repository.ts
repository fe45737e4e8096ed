import type { DpopReplayStore } from '@app/jwt-auth';
import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../database/database.js';
import { CLOCK, type Clock } from '../time/clock.js';
import type { Prunable } from '../time/pruner.js';

/**
 * The token endpoint's `jti` record of DPoP proofs, in the shared database (docs/dpop.md "Replay"):
 * one row per proof accepted, keyed by a digest of its key and `jti`, until the proof could no longer
 * be accepted. A proof replayed to any replica is refused. `claim` is one statement: a new key is
 * inserted, an expired row (not pruned yet) taken over, a live one left alone, and the row count
 * says which; of two concurrent claims of one key exactly one inserts (the primary key decides).
 */
@Injectable()
export class DpopReplayRepository implements DpopReplayStore, Prunable {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async claim(key: string, expiresAt: number): Promise<boolean> {
    const changed = await this.db.run(
      `INSERT INTO dpop_replays (key, expires_at) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE dpop_replays.expires_at <= $3`,
      [key, expiresAt, this.clock.now()],
    );
    return changed === 1;
  }

  prune(now: number): Promise<number> {
    return this.db.run('DELETE FROM dpop_replays WHERE expires_at <= $1', [now]);
  }
}
